"""deploy/systemd/synthner.service: hardened, verified by systemd's own tools."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.helpers import DEFAULT_PORT, DEPLOY, unknown_settings

UNIT = DEPLOY / "systemd" / "synthner.service"


def _settings() -> list[tuple[str, str]]:
    return [
        tuple(line.split("=", 1)) for line in UNIT.read_text().splitlines() if re.match(r"^[A-Z]\w*=", line)
    ]


def test_the_unit_runs_synthner_serve_sandboxed_and_off_the_network_except_allowed_addresses() -> None:
    settings = _settings()
    values = dict(settings)
    assert values["ExecStart"].endswith("/bin/synthner serve")
    assert values["DynamicUser"] == "yes" and values["ProtectSystem"] == "strict"
    assert values["NoNewPrivileges"] == "yes" and values["CapabilityBoundingSet"] == ""
    assert values["RestrictAddressFamilies"] == "AF_INET AF_INET6 AF_UNIX"
    assert values["IPAddressDeny"] == "any" and values["IPAddressAllow"] == "localhost"
    env = [value.split("=", 1) for key, value in settings if key == "Environment"]
    assert unknown_settings([name for name, _ in env]) == []
    assert dict(env)["SYNTHNER_PORT"] == str(DEFAULT_PORT) and dict(env)["SYNTHNER_HOST"] == "127.0.0.1"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_accepts_the_unit_and_rates_it_well(tmp_path: Path) -> None:
    # verify insists that ExecStart exists: point it at this environment's synthner.
    synthner = Path(sys.executable).parent / "synthner"
    unit = tmp_path / "synthner.service"
    unit.write_text(UNIT.read_text().replace("/opt/synthner/venv/bin/synthner", str(synthner)))
    verify = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)], capture_output=True, text=True
    )
    assert verify.returncode == 0 and verify.stdout + verify.stderr == ""
    security = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", str(unit)], capture_output=True, text=True
    )
    exposure = float(
        re.search(r"Overall exposure level for synthner.service: ([\d.]+)", security.stdout).group(1)
    )
    assert exposure <= 2.0
