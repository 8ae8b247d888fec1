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

import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Optional

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc
from spacy.util import SimpleFrozenList, ensure_path, from_disk, minibatch, to_disk
from spacy.vocab import Vocab

from synthner.spacy_component.model_files import (
    META_FILE,
    MODEL_FILE,
    TOKENIZER_FILE,
    ModelMeta,
    read_meta,
)
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


class SynthnerNER(Pipe):
    """Tags whole texts of any length (overlapping windows) with an int8 ONNX model."""

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
        if threads < 0:
            raise ValueError(f"threads must be 0 (one per core) or more, not {threads}")
        self.vocab = vocab
        self.name = name
        self.threads = threads
        self.alignment_mode = alignment_mode
        self.spans_key = spans_key
        self.scorer = scorer
        self.model_dir: Path | None = None
        self.meta: ModelMeta | None = None
        self._tagger: Tagger | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """Entity types the model predicts."""
        return tuple(self.meta.labels) if self.meta is not None else ()

    def initialize(
        self,
        get_examples: Optional[Callable[[], Iterable]] = None,
        *,
        nlp: Optional[Language] = None,
        model_dir: Optional[Path] = None,
    ) -> None:
        """Use the runtime model folder `model_dir` (model.onnx, tokenizer.json, synthner.json)."""
        if model_dir is None:
            self._require_model()
            return
        self._use_folder(ensure_path(model_dir))

    def set_threads(self, threads: int) -> None:
        """Use `threads` onnxruntime threads; the session is rebuilt with them on next use."""
        if threads < 0:
            raise ValueError(f"threads must be 0 (one per core) or more, not {threads}")
        self.threads = threads
        self._tagger = None

    def __call__(self, doc: Doc) -> Doc:
        annotate(doc, self.load_tagger().tag([doc.text])[0], self.spans_key, self.alignment_mode)
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Tag `batch_size` docs per call (tokenised together; each window then runs alone)."""
        error_handler = self.get_error_handler()
        for docs in minibatch(stream, size=batch_size):
            try:
                predictions = self.load_tagger().tag([doc.text for doc in docs])
                for doc, entities in zip(docs, predictions, strict=True):
                    annotate(doc, entities, self.spans_key, self.alignment_mode)
                yield from docs
            except Exception as error:
                error_handler(self.name, self, docs, error)

    def load_tagger(self) -> Tagger:
        """The windowed ONNX tagger, built from the component folder on the first call (call it
        up front to fail early on a broken model, or to keep loading out of the first request)."""
        if self._tagger is None:
            from synthner.spacy_component.onnx_scorer import load_onnx_tagger

            self._tagger = load_onnx_tagger(self._require_model(), self.threads)
        return self._tagger

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        """Write the model files into the component folder `path`."""
        serializers = {name: self._copier(name) for name in (MODEL_FILE, TOKENIZER_FILE, META_FILE)}
        to_disk(ensure_path(path), serializers, exclude)

    def from_disk(
        self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()
    ) -> "SynthnerNER":
        """Read the metadata in `path` and use it as the model folder (the session loads lazily)."""
        path = ensure_path(path)
        deserializers = {name: _require_file for name in (MODEL_FILE, TOKENIZER_FILE, META_FILE)}
        from_disk(path, deserializers, exclude)
        self._use_folder(path)
        return self

    def _use_folder(self, folder: Path) -> None:
        for name in (MODEL_FILE, TOKENIZER_FILE):
            _require_file(folder / name)
        self.meta = read_meta(folder)
        self.model_dir = folder
        self._tagger = None

    def _require_model(self) -> Path:
        if self.model_dir is None:
            raise ValueError(
                f"component {self.name!r} has no model: load a saved pipeline, or call "
                "initialize(model_dir=...) with an exported model folder"
            )
        return self.model_dir

    def _copier(self, name: str) -> Callable[[Path], None]:
        def copy(target: Path) -> None:
            source = self._require_model() / name
            # Saving a pipeline over the folder it was loaded from must not truncate the files.
            if not (target.exists() and os.path.samefile(source, target)):
                shutil.copyfile(source, target)

        return copy


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: a synthner_ner component folder needs it")
