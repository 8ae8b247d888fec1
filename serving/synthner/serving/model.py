"""The loaded pipeline as the service uses it: what it is, and a thread-safe tagging function."""

import os
import threading
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc
from synthner.serving.batcher import Tagged
from synthner.serving.settings import ServeSettings
from synthner.spacy_component.links import doc_relations
from synthner.spacy_component.loading import classifier_components, load_pipeline, synthner_component
from synthner.spacy_component.spans import doc_entities, unaligned_count


@dataclass
class ServedModel:
    """A pipeline with a synthner_ner component, tagged from several threads at once."""

    nlp: Language
    name: str
    version: str
    labels: list[str]
    description: str
    model_card: dict
    spans_key: str
    # spaCy's tokenizer keeps caches that are not safe to fill from two threads; the
    # component itself (Rust tokenizer, onnxruntime session, per-doc spans) is.
    _tokenizer_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def tag(self, texts: list[str]) -> list[Tagged]:
        """Run one `nlp.pipe` over `texts`; entity records and token counts per text."""
        with self._tokenizer_lock:
            docs = [self.nlp.make_doc(text) for text in texts]
        return [self._result(doc) for doc in self.nlp.pipe(docs, batch_size=max(1, len(docs)))]

    def _result(self, doc: Doc) -> Tagged:
        entities = doc_entities(doc, self.spans_key)
        return Tagged(entities, len(doc), unaligned_count(doc, self.spans_key), doc_relations(doc, entities))


def load_served_model(settings: ServeSettings) -> ServedModel:
    """Load `settings.model` and build its ONNX session now, so no request pays for it."""
    threads = settings.threads or max(1, (os.cpu_count() or 1) // settings.workers)
    nlp = load_pipeline(settings.model, threads=threads)
    _, component = synthner_component(nlp)
    component.load_tagger()
    for classifier in classifier_components(nlp):
        classifier.load_classifier()
    meta = component.meta
    return ServedModel(
        nlp=nlp,
        name=str(nlp.meta.get("name") or meta.name),
        version=str(nlp.meta.get("version") or meta.version),
        labels=list(component.labels),
        description=str(nlp.meta.get("description", "")),
        model_card=dict(meta.model_card),
        spans_key=component.spans_key,
    )
