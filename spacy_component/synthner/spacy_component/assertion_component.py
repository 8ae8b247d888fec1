"""The `synthner_assertion` spaCy component: is an adverse effect or disease really there?

Each mention whose label is one of the model's targets (ADE, DISEASE) gets `span._.assertion`
(present, negated, hypothetical, historical or family) and `span._.assertion_score` from the
int8 assertion model, which reads the sentence around the mention with the mention masked
(see `classifier_inputs.assertion_input`). Found through the `spacy_factories` entry point.
"""

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from synthner.spacy_component.classifier_component import ClassifierPipe
from synthner.spacy_component.classifier_inputs import Mention, Sentences, assertion_input

FACTORY = "synthner_assertion"


@Language.factory(
    FACTORY,
    default_config={"threads": 0, "spans_key": "synthner"},
    assigns=["span._.assertion", "span._.assertion_score"],
)
def make_synthner_assertion(nlp: Language, name: str, threads: int, spans_key: str) -> "SynthnerAssertion":
    """Build the component; `spans_key` names the span group holding the NER predictions."""
    return SynthnerAssertion(nlp.vocab, name, threads=threads, spans_key=spans_key)


class SynthnerAssertion(ClassifierPipe):
    """Classifies the assertion status of target mentions with an int8 ONNX model."""

    task = "assertion"

    def __init__(
        self, vocab: Vocab, name: str = FACTORY, *, threads: int = 0, spans_key: str = "synthner"
    ) -> None:
        super().__init__(vocab, name, threads=threads, spans_key=spans_key)

    def annotate(self, docs: list[Doc]) -> None:
        """Classify every target mention of `docs` in one pass."""
        classifier = self.load_classifier()
        meta = classifier.meta
        targets, inputs = [], []
        for doc in docs:
            sentences = Sentences(doc.text)
            for span in self.mentions(doc):
                if span.label_ in meta.targets:
                    mention = Mention(span.start_char, span.end_char, span.label_)
                    inputs.append(assertion_input(doc.text, mention, meta.context_chars, sentences))
                    targets.append(span)
        for span, probs in zip(targets, classifier.probabilities(inputs), strict=True):
            best = int(probs.argmax())
            span._.assertion = meta.labels[best]
            span._.assertion_score = round(float(probs[best]), 4)
