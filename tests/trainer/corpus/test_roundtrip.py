"""Property tests: what a format can hold, it reads back exactly as it was written."""

import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from synthner.trainer.corpus.brat import LINE_BREAKS
from synthner.trainer.corpus.conll import tokenize
from synthner.trainer.corpus.example import Example, Relation, Span
from synthner.trainer.corpus.formats import read_corpus, write_corpus

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that break naive offset handling, mixed with arbitrary Unicode (no lone surrogates:
# files are UTF-8).
SPECIAL = [
    "\r\n", "\r", "\n", "\t", " ", "  ", "😀", "👩‍⚕️", "e\u0301", "\u0301", "\u2028", "\x85", "—", ",", "<", "<b>"
]
ANY_CHAR = st.characters(exclude_categories=("Cs",))
LABELS = st.from_regex(r"[A-Z][A-Za-z0-9_-]{0,8}", fullmatch=True)
UPPER_LABELS = st.from_regex(r"[A-Z][A-Z0-9_-]{0,8}", fullmatch=True)
META_VALUES = st.one_of(st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=3))
META = st.dictionaries(st.text(max_size=5), META_VALUES, max_size=3)


def texts(banned: str = "") -> st.SearchStrategy[str]:
    pieces = st.one_of(st.sampled_from(SPECIAL), st.text(ANY_CHAR, max_size=8))
    return st.lists(pieces, max_size=10).map(lambda parts: "".join(c for c in "".join(parts) if c not in banned))


@st.composite
def examples(draw, text: st.SearchStrategy[str] = texts(), labels=LABELS, overlap=False, ident=st.just("doc")) -> Example:
    """A sorted example with random spans (non-overlapping unless `overlap`) and relations."""
    body = draw(text)
    if overlap:
        pairs = draw(st.lists(st.tuples(st.integers(0, len(body)), st.integers(0, len(body))), max_size=6))
        bounds = sorted({(min(a, b), max(a, b)) for a, b in pairs if a != b})
    else:
        cuts = sorted(draw(st.lists(st.integers(0, len(body)), unique=True, max_size=8)))
        bounds, i = [], 0
        while i + 1 < len(cuts):
            bounds.append((cuts[i], cuts[i + 1]))
            i += draw(st.sampled_from([1, 2]))  # 1: the next span touches this one
    spans = [Span(start, end, draw(labels)) for start, end in bounds]
    index = st.integers(0, max(len(spans) - 1, 0))
    relations = [Relation(h, t, draw(labels)) for h, t in draw(st.lists(st.tuples(index, index), max_size=3))] if spans else []
    return Example(draw(ident), body, spans, relations, draw(META)).sorted()


def keep_spans(example: Example, keep: Callable[[Span], bool]) -> Example:
    """The example with only the spans `keep` accepts, relations re-indexed (or dropped with them)."""
    kept = [i for i, span in enumerate(example.entities) if keep(span)]
    new = {old: new for new, old in enumerate(kept)}
    relations = [Relation(new[r.head], new[r.tail], r.label) for r in example.relations if r.head in new and r.tail in new]
    return Example(example.id, example.text, [example.entities[i] for i in kept], relations, example.meta)


def round_trip(example_list: list[Example], name: str, fmt: str) -> list[Example]:
    with tempfile.TemporaryDirectory() as folder:
        assert write_corpus(example_list, Path(folder) / name, fmt) == len(example_list)
        return list(read_corpus(Path(folder) / name, fmt))


def content(example: Example) -> tuple:
    return example.text, example.entities


@PROPERTY
@given(st.lists(examples(overlap=True, ident=st.text(max_size=6)), max_size=3) | st.lists(examples(), max_size=3))
def test_jsonl_keeps_everything(example_list: list[Example]) -> None:
    assert round_trip(example_list, "c.jsonl", "jsonl") == example_list


@PROPERTY
@given(st.booleans().flatmap(lambda overlap: examples(overlap=overlap, ident=st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True))))
def test_brat_keeps_text_spans_relations_and_id(example: Example) -> None:
    # BRAT cannot start or end a span on a line break (it splits spans there); meta is not stored.
    text = example.text
    example = keep_spans(example, lambda s: text[s.start] not in LINE_BREAKS and text[s.end - 1] not in LINE_BREAKS)
    example.meta = {}
    assert round_trip([example], "brat", "brat") == [example]


@PROPERTY
@given(st.lists(examples(ident=st.text(max_size=6)), max_size=3))
@example([Example("lone-spaces", "a b c d", [Span(1, 3, "X"), Span(3, 4, "Y"), Span(5, 6, "Z")])])
def test_docbin_keeps_everything(example_list: list[Example]) -> None:
    assert round_trip(example_list, "c.spacy", "docbin") == example_list


@PROPERTY
@given(examples(text=texts(banned="<\r\n").filter(bool), labels=UPPER_LABELS))
def test_inline_keeps_text_and_spans(example: Example) -> None:
    text = example.text
    example = keep_spans(example, lambda s: text[s.start : s.end] == text[s.start : s.end].strip())
    assert [content(e) for e in round_trip([example], "c.txt", "inline")] == [content(example)]


WORD = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=6)
MARKED_WORD = st.tuples(WORD, st.sampled_from(["", "\u0301", "\u0308"])).map("".join)
PUNCT = st.characters(categories=("P", "S")).filter(lambda c: len(tokenize(c)) == 1)
TOKEN = st.one_of(MARKED_WORD, PUNCT, st.just("😀")).filter(lambda t: tokenize(t) == [(0, len(t))])


@st.composite
def single_spaced(draw) -> Example:
    """Text of writer-sized tokens joined by single spaces, spans on token boundaries."""
    tokens = draw(st.lists(TOKEN, min_size=1, max_size=12))
    starts = [sum(len(t) + 1 for t in tokens[:i]) for i in range(len(tokens) + 1)]
    cuts = sorted(draw(st.lists(st.integers(0, len(tokens)), unique=True, max_size=6)))
    spans = [Span(starts[a], starts[b] - 1, draw(LABELS)) for a, b in zip(cuts[::2], cuts[1::2])]
    return Example("doc", " ".join(tokens), spans)


@PROPERTY
@given(single_spaced())
def test_conll_is_exact_on_single_spaced_tokens(example: Example) -> None:
    assert [content(e) for e in round_trip([example], "c.conll", "conll")] == [content(example)]


@PROPERTY
@given(examples(text=texts().filter(lambda t: tokenize(t))))
def test_conll_keeps_every_span_up_to_whitespace(example: Example) -> None:
    # Any text: whitespace is normalised, but each span keeps its label and its characters.
    text = example.text
    example = keep_spans(example, lambda s: bool(text[s.start : s.end].strip()))
    (back,) = round_trip([example], "c.conll", "conll")
    squeeze = lambda s: "".join(s.split())  # noqa: E731
    assert squeeze(back.text) == squeeze(example.text)
    assert [(squeeze(back.span_text(s)), s.label) for s in back.entities] == [
        (squeeze(example.span_text(s)), s.label) for s in example.entities
    ]
