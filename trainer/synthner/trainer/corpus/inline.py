"""Inline tags (`<drug>aspirin</drug>`): parse into spans and render spans back into tags."""

import re

from synthner.trainer.corpus.example import CorpusError, Example, Span

TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9_-]*)>")


def parse_inline(
    tagged: str, labels: dict[str, str] | None = None, example_id: str = "inline"
) -> Example:
    """Strip tags into spans. `labels` maps tag names (case-insensitive) to span labels;
    with it, any other tag is an error; without it, every tag is a label (upper-cased).
    Raises CorpusError for unbalanced, nested, empty or unknown tags."""
    lookup = {name.lower(): label for name, label in (labels or {}).items()}
    pieces: list[str] = []
    spans: list[Span] = []
    open_tag: tuple[str, int] | None = None
    cursor = length = 0
    for match in TAG.finditer(tagged):
        closing, name = match.group(1) == "/", match.group(2).lower()
        if lookup and name not in lookup:
            raise CorpusError(f"example {example_id!r}: unknown tag <{'/' if closing else ''}{name}>")
        pieces.append(tagged[cursor : match.start()])
        length += match.start() - cursor
        cursor = match.end()
        if not closing:
            if open_tag is not None:
                raise CorpusError(
                    f"example {example_id!r}: <{name}> opened inside <{open_tag[0]}> (nested tags)"
                )
            open_tag = (name, length)
            continue
        if open_tag is None or open_tag[0] != name:
            raise CorpusError(f"example {example_id!r}: </{name}> closes no open <{name}>")
        start = open_tag[1]
        open_tag = None
        if start == length:
            raise CorpusError(f"example {example_id!r}: empty <{name}></{name}>")
        spans.append(Span(start, length, lookup.get(name, name.upper())))
    if open_tag is not None:
        raise CorpusError(f"example {example_id!r}: <{open_tag[0]}> is never closed")
    pieces.append(tagged[cursor:])
    return Example(example_id, "".join(pieces), trim_spans("".join(pieces), spans))


def trim_spans(text: str, spans: list[Span]) -> list[Span]:
    """Move span edges off surrounding whitespace (`<drug> aspirin </drug>`)."""
    trimmed = []
    for span in spans:
        start, end = span.start, span.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        trimmed.append(Span(start, end, span.label))
    return trimmed


def render_inline(example: Example, tag_names: dict[str, str] | None = None) -> str:
    """The text with each span wrapped in `<tag>…</tag>`; `tag_names` maps labels to tag names
    (default: the label lower-cased). Overlapping spans cannot be rendered."""
    names = tag_names or {}
    pieces: list[str] = []
    cursor = 0
    for span in sorted(example.entities):
        if span.start < cursor:
            raise CorpusError(f"example {example.id!r}: overlapping spans cannot be written inline")
        tag = names.get(span.label, span.label.lower())
        pieces += [example.text[cursor : span.start], f"<{tag}>", example.span_text(span), f"</{tag}>"]
        cursor = span.end
    pieces.append(example.text[cursor:])
    return "".join(pieces)
