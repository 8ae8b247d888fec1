"""Loading and scoring a trained PyTorch model folder (training side only: imports torch)."""

from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForTokenClassification

from synthner.spacy_component.model_files import TOKENIZER_FILE, read_meta
from synthner.spacy_component.tagger import Tagger
from synthner.spacy_component.windows import load_tokenizer


class TorchScorer:
    """The `TokenScorer` protocol over a transformers token-classification model."""

    def __init__(self, model: torch.nn.Module) -> None:
        self.model = model

    @torch.inference_mode()
    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        was_training = self.model.training
        self.model.eval()
        output = self.model(
            input_ids=torch.from_numpy(input_ids), attention_mask=torch.from_numpy(attention_mask)
        )
        self.model.train(was_training)
        return output.logits.float().numpy()


def load_token_classifier(folder: Path, **kwargs) -> torch.nn.Module:
    """A token-classification model from a local folder; never touches a model hub."""
    return AutoModelForTokenClassification.from_pretrained(folder, local_files_only=True, **kwargs)


def load_torch_tagger(folder: Path, batch_size: int = 32) -> Tagger:
    """A Tagger over a trained synthner model folder (safetensors + tokenizer.json + synthner.json)."""
    folder = Path(folder)
    meta = read_meta(folder)
    return Tagger(
        load_tokenizer(str(folder / TOKENIZER_FILE)),
        TorchScorer(load_token_classifier(folder)),
        meta.tags,
        meta.window_tokens,
        meta.window_overlap,
        batch_size,
    )
