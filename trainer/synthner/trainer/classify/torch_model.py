"""A trained PyTorch sequence classifier on the training side (imports torch)."""

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer
from transformers import AutoModelForSequenceClassification

from synthner.spacy_component.classifier_files import read_classifier_meta
from synthner.spacy_component.decoding import softmax
from synthner.spacy_component.model_files import TOKENIZER_FILE
from synthner.spacy_component.sequence_classifier import classifier_tokenizer, encode_inputs
from synthner.spacy_component.windows import pad_token_id


def load_sequence_classifier(folder: Path, **kwargs) -> torch.nn.Module:
    """A sequence-classification model from a local folder; never touches a model hub."""
    return AutoModelForSequenceClassification.from_pretrained(folder, local_files_only=True, **kwargs)


def pad(sequences: Sequence[np.ndarray], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Right-pad token id sequences into (input_ids, attention_mask)."""
    width = max(len(seq) for seq in sequences)
    input_ids = np.full((len(sequences), width), pad_id, dtype=np.int64)
    attention_mask = np.zeros((len(sequences), width), dtype=np.int64)
    for row, seq in enumerate(sequences):
        input_ids[row, : len(seq)] = seq
        attention_mask[row, : len(seq)] = 1
    return input_ids, attention_mask


class TorchClassifier:
    """Class probabilities from a PyTorch model, inputs tokenised exactly as the runtime does."""

    def __init__(self, model: torch.nn.Module, tokenizer: Tokenizer, batch_size: int = 32) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.pad_id = pad_token_id(tokenizer)

    @torch.inference_mode()
    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Shape (len(texts), n_labels); the model is put back in its training mode afterwards."""
        was_training = self.model.training
        self.model.eval()
        encoded = encode_inputs(self.tokenizer, texts)
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))  # less padding
        out = np.zeros((len(encoded), self.model.config.num_labels), dtype=np.float32)
        for first in range(0, len(order), self.batch_size):
            rows = order[first : first + self.batch_size]
            input_ids, attention_mask = pad([encoded[i] for i in rows], self.pad_id)
            logits = self.model(
                input_ids=torch.from_numpy(input_ids), attention_mask=torch.from_numpy(attention_mask)
            ).logits
            out[rows] = softmax(logits.float().numpy())
        self.model.train(was_training)
        return out


def load_torch_classifier(folder: Path, batch_size: int = 32) -> TorchClassifier:
    """A TorchClassifier over a trained classifier folder (safetensors, tokenizer.json, classifier.json)."""
    folder = Path(folder)
    meta = read_classifier_meta(folder)
    tokenizer = classifier_tokenizer(folder / TOKENIZER_FILE, meta.max_tokens)
    return TorchClassifier(load_sequence_classifier(folder), tokenizer, batch_size)
