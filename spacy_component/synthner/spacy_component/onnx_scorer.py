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
        # Idle threads that spin starve everything else on a busy CPU: on 2 shared cores,
        # 2 spinning threads tagged 700-890 tokens/s, non-spinning 1,550-1,760.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.input_names = {item.name for item in self.session.get_inputs()}

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        """Logits for a right-padded batch; padded positions get zeros."""
        # Dynamic int8 quantisation scales activations over the whole input tensor, so in a
        # padded batch a window's logits would depend on the other windows and the padding.
        # Each window runs alone and unpadded: a note's entities never depend on its batch.
        lengths = attention_mask.sum(axis=1)
        rows = [self._run(input_ids[i : i + 1, :n]) for i, n in enumerate(lengths)]
        logits = np.zeros((*input_ids.shape, rows[0].shape[-1]), dtype=rows[0].dtype)
        for index, (row, length) in enumerate(zip(rows, lengths)):
            logits[index, :length] = row[0]
        return logits

    def _run(self, input_ids: np.ndarray) -> np.ndarray:
        feeds = {"input_ids": input_ids, "attention_mask": np.ones_like(input_ids)}
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
