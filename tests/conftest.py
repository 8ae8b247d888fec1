"""Shared fixtures: offline mode, the real MiniLM encoder, and a tiny trained DRUG/ADE model."""

import os
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

from tests.factory import write_ade_corpus  # noqa: E402

pytest_plugins = ["tests.classifier_fixtures"]


@pytest.fixture(scope="session")
def minilm_path() -> Path:
    from synthner.trainer.training.data import default_base_path

    return default_base_path()


@pytest.fixture(scope="session")
def ade_corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A small DRUG/ADE corpus written by the tests (train and dev JSONL)."""
    folder = tmp_path_factory.mktemp("ade_corpus")
    return {
        "train": write_ade_corpus(folder / "train.jsonl", n=240, seed=1),
        "dev": write_ade_corpus(folder / "dev.jsonl", n=40, seed=2),
    }


@pytest.fixture(scope="session")
def trained_model(ade_corpus: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A MiniLM token classifier trained for a few epochs on the tiny corpus (PyTorch folder)."""
    from synthner.trainer.training.config import TrainConfig, TrainSource
    from synthner.trainer.training.trainer import Trainer

    output = tmp_path_factory.mktemp("models") / "tiny-ade"
    config = TrainConfig(
        train=[TrainSource(path=ade_corpus["train"])], dev=ade_corpus["dev"], output=output,
        epochs=3, batch_size=16, learning_rate=1e-4, name="tiny_ade", version="0.0.1",
    )
    Trainer(config, show_progress=False).train()
    return output


@pytest.fixture(scope="session")
def exported_model(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny model exported to int8 ONNX (runtime model folder)."""
    from synthner.trainer.export import export_model

    output = tmp_path_factory.mktemp("exported") / "tiny-ade-onnx"
    export_model(trained_model, output)
    return output
