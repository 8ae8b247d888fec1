"""`synthner serve` on the command line: lazy imports, bad settings and a missing model."""

import subprocess
import sys

from synthner.trainer.cli import app
from typer.testing import CliRunner

from tests.serving.servers import REPO, free_port


def test_the_cli_imports_no_web_framework_until_serve_runs() -> None:
    code = (
        "import sys, synthner.trainer.cli; print(sorted({'fastapi', 'uvicorn', 'torch'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"


def test_invalid_flags_exit_2_naming_the_setting() -> None:
    result = CliRunner().invoke(app, ["serve", "--workers", "0"])
    assert result.exit_code == 2
    assert "workers" in result.output and "greater than or equal to 1" in result.output


def test_a_missing_model_stops_the_server_at_startup_with_the_reason(tmp_path) -> None:
    missing = tmp_path / "no-model-here"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "synthner.trainer.cli",
            "serve",
            "--model",
            str(missing),
            "--port",
            str(free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert result.returncode != 0
    assert "is not a shipped pipeline" in result.stderr and "Application startup failed" in result.stderr
