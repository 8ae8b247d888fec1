"""What the `synthner_relations` and `synthner_assertion` components share: a classifier
model folder saved with the pipeline, loaded lazily, and the mentions they classify.

The component folder holds `model.onnx`, `tokenizer.json` and `classifier.json`. As with
`synthner_ner`, `from_disk` only reads the metadata; the ONNX session is built on first use.
Mentions come from `doc.spans[spans_key]` (every NER prediction) when the doc has that group,
else from `doc.ents`, so the components also follow another NER component.
"""

import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Optional

from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span
from spacy.util import SimpleFrozenList, ensure_path, from_disk, minibatch, to_disk
from spacy.vocab import Vocab

from synthner.spacy_component.classifier_files import (
    CLASSIFIER_META_FILE,
    ClassifierMeta,
    read_classifier_meta,
)
from synthner.spacy_component.links import register_extensions
from synthner.spacy_component.model_files import MODEL_FILE, TOKENIZER_FILE
from synthner.spacy_component.sequence_classifier import SequenceClassifier

FILES = (MODEL_FILE, TOKENIZER_FILE, CLASSIFIER_META_FILE)


class ClassifierPipe(Pipe):
    """Base of the classifier components; subclasses set `task` and implement `annotate`."""

    task = ""

    def __init__(self, vocab: Vocab, name: str, *, threads: int = 0, spans_key: str = "synthner") -> None:
        if threads < 0:
            raise ValueError(f"threads must be 0 (one per core) or more, not {threads}")
        register_extensions()
        self.vocab = vocab
        self.name = name
        self.threads = threads
        self.spans_key = spans_key
        self.model_dir: Path | None = None
        self.meta: ClassifierMeta | None = None
        self._classifier: SequenceClassifier | None = None

    def annotate(self, docs: list[Doc]) -> None:
        """Classify the mentions of `docs` and store the results on them."""
        raise NotImplementedError

    @property
    def labels(self) -> tuple[str, ...]:
        """The classes the model predicts."""
        return tuple(self.meta.labels) if self.meta is not None else ()

    def initialize(
        self,
        get_examples: Optional[Callable[[], Iterable]] = None,
        *,
        nlp=None,
        model_dir: Optional[Path] = None,
    ) -> None:
        """Use the exported classifier folder `model_dir` (model.onnx, tokenizer.json, classifier.json)."""
        if model_dir is None:
            self._require_model()
            return
        self._use_folder(ensure_path(model_dir))

    def set_threads(self, threads: int) -> None:
        """Use `threads` onnxruntime threads; the session is rebuilt with them on next use."""
        if threads < 0:
            raise ValueError(f"threads must be 0 (one per core) or more, not {threads}")
        self.threads = threads
        self._classifier = None

    def load_classifier(self) -> SequenceClassifier:
        """The ONNX classifier, built from the component folder on the first call."""
        if self._classifier is None:
            self._classifier = SequenceClassifier(self._require_model(), self.threads)
        return self._classifier

    def mentions(self, doc: Doc) -> list[Span]:
        """The entity spans this component works on."""
        return list(doc.spans[self.spans_key]) if self.spans_key in doc.spans else list(doc.ents)

    def __call__(self, doc: Doc) -> Doc:
        self.annotate([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        error_handler = self.get_error_handler()
        for docs in minibatch(stream, size=batch_size):
            try:
                self.annotate(docs)
                yield from docs
            except Exception as error:
                error_handler(self.name, self, docs, error)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        """Write the model files into the component folder `path`."""
        to_disk(ensure_path(path), {name: self._copier(name) for name in FILES}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> "ClassifierPipe":
        """Read the metadata in `path` and use it as the model folder (the session loads lazily)."""
        path = ensure_path(path)
        from_disk(path, {name: self._require_file for name in FILES}, exclude)
        self._use_folder(path)
        return self

    def _use_folder(self, folder: Path) -> None:
        for name in FILES:
            self._require_file(folder / name)
        meta = read_classifier_meta(folder)
        if meta.task != self.task:
            raise ValueError(
                f"{folder} holds a model of task {meta.task!r}; component {self.name!r} needs task {self.task!r}"
            )
        self.meta, self.model_dir, self._classifier = meta, folder, None

    def _require_model(self) -> Path:
        if self.model_dir is None:
            raise ValueError(
                f"component {self.name!r} has no model: load a saved pipeline, or call "
                "initialize(model_dir=...) with an exported classifier folder"
            )
        return self.model_dir

    def _require_file(self, path: Path) -> None:
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: a {self.task} classifier folder needs it")

    def _copier(self, name: str) -> Callable[[Path], None]:
        def copy(target: Path) -> None:
            source = self._require_model() / name
            # Saving a pipeline over the folder it was loaded from must not truncate the files.
            if not (target.exists() and os.path.samefile(source, target)):
                shutil.copyfile(source, target)

        return copy
