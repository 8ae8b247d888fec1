"""Turn an exported model folder into a spaCy pipeline folder, and that into an installable wheel.

The wheel is made by spaCy's own `spacy package` code (setup.py with a `spacy_models` entry
point, so `spacy.load(NAME)` finds it) and built by pip. It requires `synthner` at the
running minor version: the `synthner_ner` factory comes from synthner's `spacy_factories`
entry point, so the pipeline loads in any environment where synthner is installed.
"""

import importlib.metadata
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

NAME_PATTERN = re.compile(r"([a-z]{2,3})_([A-Za-z0-9_]+)")


class PackagingError(RuntimeError):
    """A pipeline or wheel could not be built."""


def package_pipeline(
    model_dir: Path,
    output: Path,
    name: str = "en_synthner_ade",
    version: str | None = None,
    relations: Path | None = None,
    assertion: Path | None = None,
) -> Path:
    """Write a spaCy pipeline folder `output` (tokenizer + synthner_ner holding the model files,
    plus synthner_assertion / synthner_relations when exported classifier folders are given).
    `name` is `LANG_NAME` as spaCy packages are named; `version` defaults to the model's."""
    from spacy.util import get_minor_version_range

    from synthner.spacy_component.loading import build_pipeline

    match = NAME_PATTERN.fullmatch(name)
    if match is None:
        raise PackagingError(f"pipeline name {name!r} must look like en_synthner_ade (language code, _, name)")
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise PackagingError(f"{output} exists and is not empty; remove it or choose another folder")
    nlp = build_pipeline(Path(model_dir), lang=match.group(1), relations=relations, assertion=assertion)
    synthner = importlib.metadata.version("synthner")
    nlp.meta.update(
        {
            # spaCy's package code prefixes the language itself: the meta holds the bare name.
            "name": match.group(2),
            "version": version or nlp.meta["version"],
            "requirements": [f"synthner{get_minor_version_range(synthner)}"],
        }
    )
    output.parent.mkdir(parents=True, exist_ok=True)  # spaCy creates only the last folder
    nlp.to_disk(output)
    return output


def build_wheel(pipeline_dir: Path, wheel_dir: Path) -> Path:
    """Build an installable wheel of the pipeline folder into `wheel_dir`; returns its path."""
    from spacy.cli.package import package

    wheel_dir = Path(wheel_dir)
    wheel_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sources, built = Path(tmp) / "src", Path(tmp) / "dist"
        sources.mkdir()
        package(Path(pipeline_dir), sources, create_sdist=False, create_wheel=False, silent=True)
        (project,) = [path for path in sources.iterdir() if path.is_dir()]
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(built)]
        if _can_build_offline():
            command.append("--no-build-isolation")
        result = subprocess.run([*command, str(project)], capture_output=True, text=True)
        if result.returncode != 0:
            raise PackagingError(f"pip wheel failed for {project.name}:\n{result.stderr[-3000:]}")
        (wheel,) = built.glob("*.whl")
        target = wheel_dir / wheel.name
        shutil.move(wheel, target)
    return target


def _can_build_offline() -> bool:
    """Whether the installed setuptools builds wheels by itself (70.1+) or has `wheel` beside it;
    otherwise pip fetches a build environment from the package index."""
    try:
        version = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        return False
    major_minor = tuple(int(part) for part in version.split(".")[:2] if part.isdigit())
    return major_minor >= (70, 1) or importlib.util.find_spec("wheel") is not None
