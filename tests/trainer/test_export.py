"""int8 ONNX export: parity with PyTorch, loadable with onnxruntime alone, fails loudly."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from synthner.spacy_component.onnx_scorer import load_onnx_tagger
from synthner.trainer.export import PARITY_FILE, ParityError, export_model
from synthner.trainer.training.torch_model import load_torch_tagger
from tests.factory import ade_examples

TEXTS = [example.text for example in ade_examples(30, seed=11)]


def test_export_writes_int8_model_with_passing_parity(exported_model: Path) -> None:
    parity = json.loads((exported_model / PARITY_FILE).read_text())
    assert parity["passed"] and parity["agreement"] >= 0.99 and parity["entities_torch"] > 0
    size_mb = (exported_model / "model.onnx").stat().st_size / 1e6
    assert 15 < size_mb < 30  # int8 MiniLM; float32 would be ~90 MB


def test_int8_entities_agree_with_pytorch_on_test_texts(trained_model: Path, exported_model: Path) -> None:
    torch_entities = load_torch_tagger(trained_model).tag(TEXTS)
    onnx_entities = load_onnx_tagger(exported_model).tag(TEXTS)
    assert _as_sets(onnx_entities) == _as_sets(torch_entities)


def test_exported_folder_runs_without_torch(exported_model: Path) -> None:
    script = (
        "import sys; sys.modules['torch'] = None; sys.modules['transformers'] = None\n"
        "from synthner.spacy_component.onnx_scorer import load_onnx_tagger\n"
        f"print(load_onnx_tagger({str(exported_model)!r}).tag(['Patient on lithium developed tremor.']))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "DRUG" in result.stdout


def test_parity_below_threshold_fails_and_keeps_the_rejected_export(
    trained_model: Path, tmp_path: Path
) -> None:
    with pytest.raises(ParityError, match="under the threshold"):
        export_model(trained_model, tmp_path / "out", texts=TEXTS[:5], threshold=1.01)
    assert not (tmp_path / "out").exists()
    assert json.loads((tmp_path / "out.failed-parity" / PARITY_FILE).read_text())["passed"] is False


def _as_sets(found: list[list]) -> list[set[tuple[int, int, str]]]:
    return [{(e.start, e.end, e.label) for e in entities} for entities in found]
