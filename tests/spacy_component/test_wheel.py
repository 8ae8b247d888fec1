"""`synthner package --wheel`: the wheel installs into a fresh virtualenv and loads by name."""

import json
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

NAME = "en_synthner_wheeltest"
LOAD_BY_NAME = f"""
import json, sys
import spacy
assert "synthner" not in sys.modules
nlp = spacy.load("{NAME}")
doc = nlp("Patient on warfarin developed bleeding.")
print(json.dumps({{"ents": [[e.text, e.label_] for e in doc.ents], "path": nlp.get_pipe("synthner_ner").model_dir.as_posix()}}))
"""


@pytest.mark.slow
def test_wheel_installs_in_a_new_venv_and_loads_by_name(exported_model: Path, tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "synthner.trainer.cli", "package", str(exported_model), "-o", str(tmp_path / "pipeline"),
         "--name", NAME, "--version", "1.2.3", "--wheel", "--wheel-dir", str(tmp_path / "dist")],
        check=True, capture_output=True, text=True,
    )
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"{NAME}-1.2.3.dist-info/METADATA").decode()
    assert "Requires-Dist: synthner" in metadata

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    # The new venv sees this environment's packages (synthner, spaCy, pip) as an extra site dir,
    # so pip installs only the wheel, offline, after checking that its requirement is met.
    ours = sysconfig.get_paths()["purelib"]
    (Path(site) / "_parent_env.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    subprocess.run([python, "-m", "pip", "install", "--no-index", "--quiet", str(wheel)], check=True)
    assert (Path(site) / NAME).is_dir()

    result = subprocess.run([python, "-c", LOAD_BY_NAME], check=True, capture_output=True, text=True)
    report = json.loads(result.stdout)
    assert ["warfarin", "DRUG"] in report["ents"]
    assert report["path"].startswith(Path(site).as_posix())
