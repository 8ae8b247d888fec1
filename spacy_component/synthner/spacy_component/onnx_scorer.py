"""Token-classification logits from an ONNX model with onnxruntime (CPU)."""

from pathlib import Path

import numpy as np
import onnxruntime as ort

from synthner.spacy_component.model_files import MODEL_FILE, TOKENIZER_FILE, read_meta
from synthner.spacy_component.tagger import Tagger
from synthner.spacy_component.windows import load_tokenizer


class OnnxScorer:
    """Runs `model.onnx`; feeds token_type_ids only when the graph asks for them."""

    def __init__(self, path: Path, threads: int = 0) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.input_names = {item.name for item in self.session.get_inputs()}

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        feeds = {"input_ids": input_ids, "attention_mask": attention_mask}
        if "token_type_ids" in self.input_names:
            feeds["token_type_ids"] = np.zeros_like(input_ids)
        return self.session.run(None, feeds)[0]


def load_onnx_tagger(folder: Path, threads: int = 0, batch_size: int = 32) -> Tagger:
    """A Tagger over an exported model folder (model.onnx, tokenizer.json, synthner.json)."""
    folder = Path(folder)
    meta = read_meta(folder)
    return Tagger(
        load_tokenizer(str(folder / TOKENIZER_FILE)),
        OnnxScorer(folder / MODEL_FILE, threads),
        meta.tags,
        meta.window_tokens,
        meta.window_overlap,
        batch_size,
    )
