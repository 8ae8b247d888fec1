"""What every synthner spaCy component shares: an ONNX model folder saved with the pipeline.

The component folder holds the subclass's `files`. `from_disk` checks them, reads the metadata
and remembers the folder; the runtime object (ONNX session, tokenizer) is built from that
folder on first use, and built again after `set_threads`. Subclasses name their files, read
their metadata, build their runtime and `annotate` batches of docs.
"""

import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Generic, Optional, Protocol, TypeVar

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc
from spacy.util import SimpleFrozenList, ensure_path, from_disk, minibatch, to_disk
from spacy.vocab import Vocab



class Labelled(Protocol):
    """Model metadata: at least the labels the model predicts."""

    @property
    def labels(self) -> list[str]: ...


Meta = TypeVar("Meta", bound=Labelled)
Runtime = TypeVar("Runtime")


class OnnxPipe(Pipe, Generic[Meta, Runtime]):
    """Base of the synthner components: model folder, threads, lazy runtime, serialization."""

    files: tuple[str, ...] = ()
    folder_kind = "model"

    def __init__(self, vocab: Vocab, name: str, *, threads: int = 0) -> None:
        _check_threads(threads)
        self.vocab = vocab
        self.name = name
        self.threads = threads
        self.model_dir: Path | None = None
        self.meta: Meta | None = None
        self._runtime: Runtime | None = None

    def read_meta(self, folder: Path) -> Meta:
        """The metadata of model folder `folder`."""
        raise NotImplementedError

    def build_runtime(self, folder: Path) -> Runtime:
        """The runtime object for model folder `folder`, using `self.threads`."""
        raise NotImplementedError

    def annotate(self, docs: list[Doc]) -> None:
        """Predict for `docs` and store the results on them."""
        raise NotImplementedError

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels the model predicts."""
        return tuple(self.meta.labels) if self.meta is not None else ()

    def initialize(
        self,
        get_examples: Optional[Callable[[], Iterable]] = None,
        *,
        nlp: Optional[Language] = None,
        model_dir: Optional[Path] = None,
    ) -> None:
        """Use the exported model folder `model_dir` (holding the component's `files`)."""
        if model_dir is None:
            self._require_model()
            return
        self._use_folder(ensure_path(model_dir))

    def set_threads(self, threads: int) -> None:
        """Use `threads` onnxruntime threads; the session is rebuilt with them on next use."""
        _check_threads(threads)
        self.threads = threads
        self._runtime = None

    def __call__(self, doc: Doc) -> Doc:
        self.annotate([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Annotate `batch_size` docs per model call."""
        error_handler = self.get_error_handler()
        for docs in minibatch(stream, size=batch_size):
            try:
                self.annotate(docs)
                yield from docs
            except Exception as error:
                error_handler(self.name, self, docs, error)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        """Write the model files into the component folder `path`."""
        to_disk(ensure_path(path), {name: self._copier(name) for name in self.files}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> "OnnxPipe":
        """Read the metadata in `path` and use it as the model folder (the session loads lazily)."""
        path = ensure_path(path)
        from_disk(path, {name: self._require_file for name in self.files}, exclude)
        self._use_folder(path)
        return self

    def _load_runtime(self) -> Runtime:
        if self._runtime is None:
            self._runtime = self.build_runtime(self._require_model())
        return self._runtime

    def _use_folder(self, folder: Path) -> None:
        for name in self.files:
            self._require_file(folder / name)
        self.meta, self.model_dir, self._runtime = self.read_meta(folder), folder, None

    def _require_model(self) -> Path:
        if self.model_dir is None:
            raise ValueError(
                f"component {self.name!r} has no model: load a saved pipeline, or call "
                f"initialize(model_dir=...) with an exported {self.folder_kind} folder"
            )
        return self.model_dir

    def _require_file(self, path: Path) -> None:
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: a {self.folder_kind} folder needs it")

    def _copier(self, name: str) -> Callable[[Path], None]:
        def copy(target: Path) -> None:
            source = self._require_model() / name
            # Saving a pipeline over the folder it was loaded from must not truncate the files.
            if not (target.exists() and os.path.samefile(source, target)):
                shutil.copyfile(source, target)

        return copy


def _check_threads(threads: int) -> None:
    if threads < 0:
        raise ValueError(f"threads must be 0 (one per core) or more, not {threads}")
