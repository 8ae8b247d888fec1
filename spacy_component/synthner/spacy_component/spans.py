"""Put predicted character spans on a spaCy Doc, and read them back as plain records.

Results live in `doc.spans[key]` (every aligned prediction, overlaps allowed) with one
score per span in `doc.spans[key].attrs["scores"]` (a list, index-aligned with the group,
as spaCy's spancat aligns its scores), and predictions that no token range matches in
`attrs["unaligned"]` as `[start, end, label, score]` lists. `doc.ents` is replaced by the
non-overlapping subset (longest first, spaCy's `filter_spans`). Attributes are plain JSON
values so they survive DocBin, `doc.to_json` and an HTTP response.
"""

from collections.abc import Sequence

from spacy.tokens import Doc, SpanGroup
from spacy.util import filter_spans

from synthner.spacy_component.entities import Entity
from synthner.spacy_component.links import assertion_fields

ALIGNMENT_MODES = ("strict", "contract", "expand")
SCORES = "scores"
UNALIGNED = "unaligned"


def annotate(doc: Doc, entities: Sequence[Entity], key: str, alignment_mode: str) -> None:
    """Align `entities` to `doc`'s tokens and store them in `doc.spans[key]` and `doc.ents`."""
    spans, scores, unaligned = [], [], []
    for entity in entities:
        span = doc.char_span(entity.start, entity.end, label=entity.label, alignment_mode=alignment_mode)
        if span is None:
            unaligned.append([entity.start, entity.end, entity.label, entity.score])
            continue
        spans.append(span)
        scores.append(float(entity.score))
    attrs = {SCORES: scores, UNALIGNED: unaligned}
    doc.spans[key] = SpanGroup(doc, name=key, attrs=attrs, spans=spans)
    doc.ents = filter_spans(spans)


def doc_entities(doc: Doc, key: str) -> list[dict]:
    """`{"start", "end", "label", "text", "score"}` per span of `doc.spans[key]`, offsets into `doc.text`;
    with `"assertion"` and `"assertion_score"` for spans a synthner_assertion component classified."""
    group = doc.spans[key]
    return [
        {
            "start": span.start_char,
            "end": span.end_char,
            "label": span.label_,
            "text": span.text,
            "score": float(score),
            **assertion_fields(span),
        }
        for span, score in zip(group, group.attrs[SCORES], strict=True)
    ]


def unaligned_count(doc: Doc, key: str) -> int:
    """How many predictions in `doc` matched no token range under the alignment mode."""
    return len(doc.spans[key].attrs[UNALIGNED])
