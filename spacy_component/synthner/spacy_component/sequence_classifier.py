"""Sequence classification with an int8 ONNX model (onnxruntime + tokenizers, no torch)."""

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from synthner.spacy_component.classifier_files import ClassifierMeta, read_classifier_meta
from synthner.spacy_component.decoding import softmax
from synthner.spacy_component.model_files import MODEL_FILE, TOKENIZER_FILE
from synthner.spacy_component.windows import load_tokenizer


def classifier_tokenizer(path: Path, max_tokens: int) -> Tokenizer:
    """The fast tokenizer at `path`, cutting inputs (special tokens included) to `max_tokens`."""
    tokenizer = load_tokenizer(str(path))
    tokenizer.enable_truncation(max_tokens)
    return tokenizer


def encode_inputs(tokenizer: Tokenizer, texts: Sequence[str]) -> list[np.ndarray]:
    """Token ids per text with the model's special tokens ([CLS] ... [SEP])."""
    return [np.asarray(e.ids, dtype=np.int64) for e in tokenizer.encode_batch(list(texts))]


class SequenceClassifier:
    """Class probabilities for model inputs built by `classifier_inputs`."""

    def __init__(self, folder: Path, threads: int = 0) -> None:
        from synthner.spacy_component.onnx_scorer import OnnxScorer

        folder = Path(folder)
        self.meta: ClassifierMeta = read_classifier_meta(folder)
        self.tokenizer = classifier_tokenizer(folder / TOKENIZER_FILE, self.meta.max_tokens)
        # OnnxScorer builds the session with the runtime's thread settings; classification
        # feeds it here because its output is one row of logits per input, not per token.
        self.session = OnnxScorer(folder / MODEL_FILE, threads).session
        self.input_names = {item.name for item in self.session.get_inputs()}

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Shape (len(texts), n_labels). Each input runs alone and unpadded: dynamic int8
        quantisation scales over the whole input tensor, so a batch would make one input's
        result depend on the others (as in `onnx_scorer.py`)."""
        rows = [self._logits(ids) for ids in encode_inputs(self.tokenizer, texts)]
        if not rows:
            return np.zeros((0, len(self.meta.labels)), dtype=np.float32)
        return softmax(np.stack(rows).astype(np.float32))

    def _logits(self, ids: np.ndarray) -> np.ndarray:
        input_ids = ids[None, :]
        feeds = {"input_ids": input_ids, "attention_mask": np.ones_like(input_ids)}
        if "token_type_ids" in self.input_names:
            feeds["token_type_ids"] = np.zeros_like(input_ids)
        return self.session.run(None, feeds)[0][0]
