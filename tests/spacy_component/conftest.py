"""A saved spaCy pipeline built from the session's exported tiny model."""

from pathlib import Path

import pytest
import spacy
from spacy.language import Language


@pytest.fixture(scope="session")
def pipeline_dir(exported_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`synthner package` output for the tiny model: a pipeline folder loadable by spacy.load."""
    from synthner.trainer.packaging import package_pipeline

    return package_pipeline(exported_model, tmp_path_factory.mktemp("pipelines") / "en_synthner_tiny", "en_synthner_tiny")


@pytest.fixture(scope="session")
def nlp(pipeline_dir: Path) -> Language:
    """The saved pipeline, loaded once for the session."""
    return spacy.load(pipeline_dir)
