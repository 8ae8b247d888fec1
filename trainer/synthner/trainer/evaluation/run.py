"""Evaluate a model folder on a gold corpus through the production decoding path."""

from pathlib import Path

from synthner.spacy_component.model_files import MODEL_FILE
from synthner.spacy_component.onnx_scorer import load_onnx_tagger
from synthner.spacy_component.tagger import Tagger
from synthner.trainer.corpus import Example
from synthner.trainer.evaluation.metrics import Report, evaluate


def load_tagger(model_dir: Path, batch_size: int = 32) -> Tagger:
    """An exported folder runs on onnxruntime; a trained (PyTorch) folder on torch."""
    model_dir = Path(model_dir)
    if (model_dir / MODEL_FILE).is_file():
        return load_onnx_tagger(model_dir, batch_size=batch_size)
    from synthner.trainer.training.torch_model import load_torch_tagger

    return load_torch_tagger(model_dir, batch_size=batch_size)


def evaluate_tagger(tagger: Tagger, gold: list[Example]) -> Report:
    """Strict and partial scores of the tagger's entities against gold entities."""
    predicted = tagger.tag([example.text for example in gold])
    return evaluate(
        [[(s.start, s.end, s.label) for s in example.entities] for example in gold],
        [[(e.start, e.end, e.label) for e in entities] for entities in predicted],
    )
