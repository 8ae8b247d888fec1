"""Find and load a synthner pipeline by short name, path or installed package name.

Shared by `synthner tag` and the HTTP service, so both resolve `--model` the same way.
"""

from pathlib import Path
from typing import Optional

import spacy
from spacy.language import Language

from synthner.spacy_component.classifier_component import ClassifierPipe
from synthner.spacy_component.component import FACTORY, SynthnerNER
from synthner.spacy_component.model_files import META_FILE, MODEL_FILE
from synthner.spacy_component.onnx_pipe import OnnxPipe

PIPELINES_DIR = Path(__file__).parent / "pipelines"
SHIPPED = {"ade": "en_synthner_ade", "bio": "en_synthner_bio"}
DEFAULT = "ade"


class PipelineNotFound(LookupError):
    """A model name or path that resolves to no pipeline."""


def load_pipeline(
    name_or_path: Optional[str | Path] = None,
    *,
    threads: Optional[int] = None,
    batch_size: Optional[int] = None,
) -> Language:
    """A pipeline with a `synthner_ner` component, from (in this order) a shipped pipeline's
    short name (`ade`, `bio`; the default is `ade`), a spaCy pipeline folder, a runtime model
    folder (model.onnx + synthner.json, built in memory) or an installed pipeline package.
    `threads` overrides the component's onnxruntime threads, `batch_size` the docs per batch
    of `nlp.pipe`."""
    target = str(name_or_path) if name_or_path is not None else DEFAULT
    nlp = _resolve(target)
    synthner_component(nlp)  # a pipeline without synthner_ner is an error here, not mid-run
    if threads is not None:
        for name, component in nlp.pipeline:
            if isinstance(component, OnnxPipe):
                component.set_threads(threads)
                nlp.get_pipe_config(name)["threads"] = threads  # so a re-saved pipeline keeps it
    if batch_size is not None:
        nlp.batch_size = batch_size
    return nlp


def _resolve(target: str) -> Language:
    if target in SHIPPED:
        folder = PIPELINES_DIR / SHIPPED[target]
        if not folder.is_dir():
            raise PipelineNotFound(
                f"the shipped pipeline {SHIPPED[target]} is not included in this synthner installation "
                f"(looked in {PIPELINES_DIR}); reinstall synthner, or pass a pipeline folder, an "
                "exported model folder or an installed pipeline package"
            )
        return spacy.load(folder)
    path = Path(target)
    if path.is_dir():
        if (path / "config.cfg").is_file():
            return spacy.load(path)
        if (path / MODEL_FILE).is_file() and (path / META_FILE).is_file():
            return build_pipeline(path)
        raise PipelineNotFound(
            f"{path} is neither a spaCy pipeline folder (config.cfg) nor a synthner model folder "
            f"({MODEL_FILE} + {META_FILE})"
        )
    if spacy.util.is_package(target):
        return spacy.load(target)
    raise PipelineNotFound(
        f"{target!r} is not a shipped pipeline ({', '.join(SHIPPED)}), an existing folder "
        "or an installed spaCy pipeline package"
    )


def build_pipeline(
    model_dir: Path,
    *,
    lang: str = "en",
    relations: Optional[Path] = None,
    assertion: Optional[Path] = None,
) -> Language:
    """A blank `lang` pipeline (spaCy's rule-based tokenizer) plus `synthner_ner` over `model_dir`,
    then `synthner_assertion` and `synthner_relations` over exported classifier folders if given."""
    nlp = spacy.blank(lang)
    component = nlp.add_pipe(FACTORY)
    component.initialize(model_dir=Path(model_dir))
    for factory, folder in (("synthner_assertion", assertion), ("synthner_relations", relations)):
        if folder is not None:
            nlp.add_pipe(factory, config={"spans_key": component.spans_key}).initialize(model_dir=Path(folder))
    meta = component.meta
    nlp.meta.update(
        {
            "name": meta.name,
            "version": meta.version,
            "description": f"synthner clinical NER ({', '.join(meta.labels)})"
            + (", assertion" if assertion is not None else "")
            + (", drug-effect relations" if relations is not None else "")
            + ", int8 ONNX on CPU",
        }
    )
    return nlp


def synthner_component(nlp: Language) -> tuple[str, SynthnerNER]:
    """The (name, component) of the pipeline's synthner_ner component."""
    for name, component in nlp.pipeline:
        if isinstance(component, SynthnerNER):
            return name, component
    raise PipelineNotFound(f"the pipeline {nlp.meta.get('name')!r} has no {FACTORY} component")


def classifier_components(nlp: Language) -> list[ClassifierPipe]:
    """The pipeline's `synthner_relations` and `synthner_assertion` components, in pipeline order."""
    return [component for _, component in nlp.pipeline if isinstance(component, ClassifierPipe)]
