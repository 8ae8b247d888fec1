"""int8 ONNX export of a relation or assertion classifier, ending in a label parity check
against PyTorch; staging, quantisation and failure handling are the NER export's own."""

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from synthner.spacy_component.classifier_files import (
    ClassifierMeta,
    read_classifier_meta,
    write_classifier_meta,
)
from synthner.spacy_component.classifier_inputs import ASSERTION_MASK, mask
from synthner.spacy_component.model_files import TOKENIZER_FILE
from synthner.spacy_component.sequence_classifier import SequenceClassifier
from synthner.trainer.classify.config import CONFIG_FILE, ClassifierConfig
from synthner.trainer.classify.data import load_items
from synthner.trainer.classify.torch_model import load_torch_classifier
from synthner.trainer.export import staged_export, write_int8_onnx

MAX_TEXTS = 300
# Used only when the model's own data is gone: `{}` is each mask in turn.
BUILT_IN = [
    "Patient on {} developed {} two days later.",
    "{} was stopped because of {}.",
    "No {} was seen while on {}.",
    "She took {} and reports {} since then.",
    "The risk of {} with {} was discussed.",
    "{} is associated with {} in this cohort.",
]


@dataclass
class LabelParityReport:
    """How often the int8 model predicts PyTorch's class (PyTorch taken as the reference)."""

    texts: int
    agreement: float  # share of inputs with the same predicted class
    max_probability_gap: float  # largest difference of a class probability
    threshold: float

    @property
    def passed(self) -> bool:
        return self.agreement >= self.threshold


def export_classifier(
    model_dir: Path, output: Path, texts: list[str] | None = None, threshold: float = 0.99
) -> LabelParityReport:
    """Export `model_dir` to `output` (model.onnx int8, tokenizer.json, classifier.json,
    parity.json); `texts` are model inputs (masked, see `classifier_inputs`). Raises
    ParityError below `threshold`, keeping the rejected export beside `output`."""
    model_dir = Path(model_dir)
    meta = read_classifier_meta(model_dir)
    texts = texts if texts is not None else parity_inputs(model_dir, meta)

    def fill(staging: Path) -> LabelParityReport:
        write_int8_onnx(model_dir, staging, "text-classification")
        shutil.copyfile(model_dir / TOKENIZER_FILE, staging / TOKENIZER_FILE)
        write_classifier_meta(staging, meta)
        return check_label_parity(model_dir, staging, texts, threshold)

    return staged_export(Path(output), fill, "labels")


def check_label_parity(
    model_dir: Path, onnx_dir: Path, texts: list[str], threshold: float
) -> LabelParityReport:
    """Classify `texts` with both models and compare the predicted classes."""
    if not texts:
        raise ValueError("the parity check needs at least one text")
    reference = load_torch_classifier(model_dir).probabilities(texts)
    candidate = SequenceClassifier(onnx_dir).probabilities(texts)
    agreement = float(np.mean(reference.argmax(axis=1) == candidate.argmax(axis=1)))
    gap = float(np.abs(reference - candidate).max())
    return LabelParityReport(len(texts), round(agreement, 4), round(gap, 4), threshold)


def parity_inputs(model_dir: Path, meta: ClassifierMeta) -> list[str]:
    """Up to MAX_TEXTS inputs from the model's dev or training data while it is on disk
    (a seeded sample, so both classes appear), else built-in masked sentences."""
    config_path = Path(model_dir) / CONFIG_FILE
    if config_path.is_file():
        config = ClassifierConfig.load(Path(model_dir))
        for source in [config.dev, *config.train]:
            if source is not None and Path(source.path).is_file():
                texts = [item.text for item in load_items(source, config)]
                return random.Random(0).sample(texts, min(MAX_TEXTS, len(texts)))
    if meta.task == "assertion":
        return [template.format(ASSERTION_MASK, "it") for template in BUILT_IN]
    return [
        template.format(*order)
        for pair in meta.pairs
        for order in ((mask(pair.head), mask(pair.tail)), (mask(pair.tail), mask(pair.head)))
        for template in BUILT_IN
    ]
