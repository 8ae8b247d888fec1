"""Where relation and assertion results live on a Doc, and how they read back as plain records.

Relations: `doc.user_data["synthner_relations"]` holds one `[head_start, head_end, head_label,
tail_start, tail_end, tail_label, label, score]` list per relation (plain values, so DocBin,
`doc.to_json` and an HTTP response keep them); `doc._.relations` reads them back as
`SpanRelation(head, tail, label, score)` with spaCy Spans, or None when no `synthner_relations`
component ran. Assertion: `span._.assertion` and `span._.assertion_score`; spaCy keeps span
extension values in `doc.user_data` under the span's character offsets, so a mention in
`doc.ents` and the same mention in `doc.spans[key]` share them.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span

RELATIONS_KEY = "synthner_relations"


@dataclass(frozen=True, slots=True)
class SpanRelation:
    """`head` is linked to `tail` by `label` with probability `score`."""

    head: Span
    tail: Span
    label: str
    score: float


def register_extensions() -> None:
    """Declare `doc._.relations`, `span._.assertion` and `span._.assertion_score` (once; the
    components call this when they are built, so importing synthner changes nothing)."""
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", getter=_read_relations)
    for name in ("assertion", "assertion_score"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


def set_relations(doc: Doc, relations: Iterable[SpanRelation]) -> None:
    """Store `relations` on `doc`, replacing any earlier ones."""
    doc.user_data[RELATIONS_KEY] = [
        [
            r.head.start_char,
            r.head.end_char,
            r.head.label_,
            r.tail.start_char,
            r.tail.end_char,
            r.tail.label_,
            r.label,
            float(r.score),
        ]
        for r in relations
    ]


def _read_relations(doc: Doc) -> list[SpanRelation] | None:
    stored = doc.user_data.get(RELATIONS_KEY)
    if stored is None:
        return None
    return [
        SpanRelation(doc.char_span(hs, he, label=hl), doc.char_span(ts, te, label=tl), label, score)
        for hs, he, hl, ts, te, tl, label, score in stored
    ]


def doc_relations(doc: Doc, entities: list[dict]) -> list[dict] | None:
    """`{"head", "tail", "label", "score"}` per relation, `head` and `tail` indexing `entities`
    (the records of `spans.doc_entities`); None when no relation component ran on `doc`."""
    stored = doc.user_data.get(RELATIONS_KEY)
    if stored is None:
        return None
    index = {(e["start"], e["end"], e["label"]): i for i, e in enumerate(entities)}
    records = []
    for hs, he, hl, ts, te, tl, label, score in stored:
        head, tail = index.get((hs, he, hl)), index.get((ts, te, tl))
        if head is None or tail is None:
            raise ValueError(
                f"relation {label} links a span ({hs}-{he} or {ts}-{te}) that is not among the entities"
            )
        records.append({"head": head, "tail": tail, "label": label, "score": round(float(score), 4)})
    return records


def assertion_fields(span: Span) -> dict:
    """`{"assertion", "assertion_score"}` of a span that has one, else `{}`."""
    if not Span.has_extension("assertion") or span._.assertion is None:
        return {}
    return {"assertion": span._.assertion, "assertion_score": round(float(span._.assertion_score), 4)}
