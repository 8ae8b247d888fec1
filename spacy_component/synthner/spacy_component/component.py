"""The `synthner_ner` spaCy component: ONNX token classification into `doc.ents` and `doc.spans`.

The factory is found through the `spacy_factories` entry point, so `spacy.load(path)` works
without importing synthner first. Every `spacy.blank()` in an environment with synthner
installed imports this module through that entry point, so it keeps its imports light:
onnxruntime is imported when the model is first used.

The component folder of a saved pipeline holds `model.onnx`, `tokenizer.json` and
`synthner.json`. `from_disk` reads the metadata and remembers the folder; the ONNX session
is built from that folder on first use. See `spans.py` for where results go. Each model
window runs alone (see `onnx_scorer.py`), so a doc's entities never depend on its batch.

The factory name is the entry point's; spaCy factories carry no version suffix, so a changed
signature would be registered beside this one as `synthner_ner_v2`.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from synthner.spacy_component.model_files import (
    META_FILE,
    MODEL_FILE,
    TOKENIZER_FILE,
    ModelMeta,
    read_meta,
)
from synthner.spacy_component.onnx_pipe import OnnxPipe
from synthner.spacy_component.spans import ALIGNMENT_MODES, annotate
from synthner.spacy_component.tagger import Tagger

FACTORY = "synthner_ner"
DEFAULT_SPANS_KEY = "synthner"


@Language.factory(
    FACTORY,
    default_config={
        "threads": 0,
        "alignment_mode": "expand",
        "spans_key": DEFAULT_SPANS_KEY,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
    },
    assigns=["doc.ents", "doc.spans"],
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_synthner_ner(
    nlp: Language,
    name: str,
    threads: int,
    alignment_mode: str,
    spans_key: str,
    scorer: Optional[Callable],
) -> "SynthnerNER":
    """Build the component; `threads` are onnxruntime intra-op threads (0: one per core),
    `alignment_mode` is how predicted character spans snap to tokens (see `Doc.char_span`)."""
    return SynthnerNER(
        nlp.vocab,
        name,
        threads=threads,
        alignment_mode=alignment_mode,
        spans_key=spans_key,
        scorer=scorer,
    )


class SynthnerNER(OnnxPipe[ModelMeta, Tagger]):
    """Tags whole texts of any length (overlapping windows) with an int8 ONNX model."""

    files = (MODEL_FILE, TOKENIZER_FILE, META_FILE)
    folder_kind = "synthner_ner model"

    def __init__(
        self,
        vocab: Vocab,
        name: str = FACTORY,
        *,
        threads: int = 0,
        alignment_mode: str = "expand",
        spans_key: str = DEFAULT_SPANS_KEY,
        scorer: Optional[Callable] = None,
    ) -> None:
        if alignment_mode not in ALIGNMENT_MODES:
            raise ValueError(f"alignment_mode must be one of {ALIGNMENT_MODES}, not {alignment_mode!r}")
        super().__init__(vocab, name, threads=threads)
        self.alignment_mode = alignment_mode
        self.spans_key = spans_key
        self.scorer = scorer

    def annotate(self, docs: list[Doc]) -> None:
        """Tag `docs` in one call (tokenised together; each window then runs alone)."""
        predictions = self.load_tagger().tag([doc.text for doc in docs])
        for doc, entities in zip(docs, predictions, strict=True):
            annotate(doc, entities, self.spans_key, self.alignment_mode)

    def load_tagger(self) -> Tagger:
        """The windowed ONNX tagger, built from the component folder on the first call (call it
        up front to fail early on a broken model, or to keep loading out of the first request)."""
        return self._load_runtime()

    def read_meta(self, folder: Path) -> ModelMeta:
        """The model's `synthner.json`."""
        return read_meta(folder)

    def build_runtime(self, folder: Path) -> Tagger:
        """The windowed tagger over the ONNX model in `folder`."""
        from synthner.spacy_component.onnx_scorer import load_onnx_tagger

        return load_onnx_tagger(folder, self.threads)
