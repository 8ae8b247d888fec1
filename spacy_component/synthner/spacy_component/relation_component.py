"""The `synthner_relations` spaCy component: which drug an adverse effect is attributed to.

Every candidate pair (see `classifier_inputs.candidate_pairs`: a head and tail of a pair type
in one sentence, or close enough) is classified by the int8 relation model; pairs scoring at
least `threshold` become `doc._.relations` (head span, tail span, label, score), e.g.
DRUG -> ADE `Adverse-Effect`. Found through the `spacy_factories` entry point; imports stay
light because every `spacy.blank()` imports this module.
"""

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from synthner.spacy_component.classifier_component import ClassifierPipe
from synthner.spacy_component.classifier_inputs import Mention, Sentences, candidate_pairs, relation_input
from synthner.spacy_component.links import SpanRelation, set_relations

FACTORY = "synthner_relations"


@Language.factory(
    FACTORY,
    default_config={"threads": 0, "spans_key": "synthner", "threshold": 0.5},
    assigns=["doc._.relations"],
)
def make_synthner_relations(
    nlp: Language, name: str, threads: int, spans_key: str, threshold: float
) -> "SynthnerRelations":
    """Build the component; `threshold` is the lowest probability kept as a relation."""
    return SynthnerRelations(nlp.vocab, name, threads=threads, spans_key=spans_key, threshold=threshold)


class SynthnerRelations(ClassifierPipe):
    """Links entity pairs with an int8 ONNX sequence classifier over masked sentences."""

    task = "relation"

    def __init__(
        self,
        vocab: Vocab,
        name: str = FACTORY,
        *,
        threads: int = 0,
        spans_key: str = "synthner",
        threshold: float = 0.5,
    ) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {threshold}")
        super().__init__(vocab, name, threads=threads, spans_key=spans_key)
        self.threshold = threshold

    def annotate(self, docs: list[Doc]) -> None:
        """Classify every candidate pair of `docs` in one pass; store the relations found."""
        classifier = self.load_classifier()
        meta = classifier.meta
        inputs, owners = [], []
        for index, doc in enumerate(docs):
            spans = self.mentions(doc)
            mentions = [Mention(s.start_char, s.end_char, s.label_) for s in spans]
            sentences = Sentences(doc.text)
            for candidate in candidate_pairs(mentions, meta.pairs, sentences, meta.max_distance):
                head, tail = mentions[candidate.head], mentions[candidate.tail]
                inputs.append(relation_input(doc.text, head, tail, meta.context_chars, sentences))
                owners.append((index, spans[candidate.head], spans[candidate.tail], candidate.pair.label))
        found: list[list[SpanRelation]] = [[] for _ in docs]
        for (index, head, tail, label), probs in zip(owners, classifier.probabilities(inputs), strict=True):
            if probs[1] >= self.threshold:
                found[index].append(SpanRelation(head, tail, label, round(float(probs[1]), 4)))
        for doc, relations in zip(docs, found, strict=True):
            set_relations(doc, relations)
