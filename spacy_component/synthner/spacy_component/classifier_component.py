"""What the `synthner_relations` and `synthner_assertion` components share: a classifier
model folder saved with the pipeline, loaded lazily, and the mentions they classify.

The component folder holds `model.onnx`, `tokenizer.json` and `classifier.json`. As with
`synthner_ner` (see `onnx_pipe.py`), `from_disk` only reads the metadata; the ONNX session is
built on first use. Mentions come from `doc.spans[spans_key]` (every NER prediction) when the
doc has that group, else from `doc.ents`, so the components also follow another NER component.
"""

from pathlib import Path

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from synthner.spacy_component.classifier_files import (
    CLASSIFIER_META_FILE,
    ClassifierMeta,
    read_classifier_meta,
)
from synthner.spacy_component.links import register_extensions
from synthner.spacy_component.model_files import MODEL_FILE, TOKENIZER_FILE
from synthner.spacy_component.onnx_pipe import OnnxPipe
from synthner.spacy_component.sequence_classifier import SequenceClassifier


class ClassifierPipe(OnnxPipe[ClassifierMeta, SequenceClassifier]):
    """Base of the classifier components; subclasses set `task` and implement `annotate`."""

    task = ""
    files = (MODEL_FILE, TOKENIZER_FILE, CLASSIFIER_META_FILE)

    def __init__(self, vocab: Vocab, name: str, *, threads: int = 0, spans_key: str = "synthner") -> None:
        super().__init__(vocab, name, threads=threads)
        register_extensions()
        self.spans_key = spans_key

    @property
    def folder_kind(self) -> str:
        """What the component folder is called in errors."""
        return f"{self.task} classifier"

    def load_classifier(self) -> SequenceClassifier:
        """The ONNX classifier, built from the component folder on the first call."""
        return self._load_runtime()

    def mentions(self, doc: Doc) -> list[Span]:
        """The entity spans this component works on."""
        return list(doc.spans[self.spans_key]) if self.spans_key in doc.spans else list(doc.ents)

    def read_meta(self, folder: Path) -> ClassifierMeta:
        """The model's `classifier.json`, which must be of this component's task."""
        meta = read_classifier_meta(folder)
        if meta.task != self.task:
            raise ValueError(
                f"{folder} holds a model of task {meta.task!r}; component {self.name!r} needs task {self.task!r}"
            )
        return meta

    def build_runtime(self, folder: Path) -> SequenceClassifier:
        """The sequence classifier over the ONNX model in `folder`."""
        return SequenceClassifier(folder, self.threads)
