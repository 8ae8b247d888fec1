"""CoNLL/IOB token files: one `token TAB tag` (or `token tag`) line per token, a blank line
between sentences. One sentence is one example.

Reading rebuilds the text by joining tokens with single spaces, so offsets are exact on that
text. Extra columns (CoNLL-2003's POS and chunk) are allowed when every token line of the file
has the same number of fields: the token is the first field, the tag the last. An `I-X` that
does not continue an `X` entity (after `O` or another label) starts a new entity, as IOB1
files need. Writing splits text at whitespace, around punctuation and at every entity edge, so
the spans survive; what is lost: the original whitespace (the text read back has tokens
separated by single spaces), ids, meta and relations. The round trip is exact on texts made of
such tokens joined by single spaces.
"""

import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from synthner.trainer.corpus.errors import InvalidRecords
from synthner.trainer.corpus.example import CorpusError, Example, Span

DOCSTART = "-DOCSTART-"
Block = list[tuple[int, list[str]]]


def read_conll(
    path: Path, invalid: InvalidRecords | None = None, default_label: str | None = None
) -> Iterator[Example]:
    """Sentences of an IOB file; `default_label` types plain `B`/`I` tags."""
    invalid = invalid or InvalidRecords()
    widths: list[int] = []  # the field count of the file's first token line
    for number, block in enumerate(_blocks(path), start=1):
        try:
            yield _parse_block(block, f"{Path(path).stem}-{number}", widths, default_label)
        except CorpusError as error:
            invalid.report(CorpusError(error.problem, str(path), error.line))


def _blocks(path: Path) -> Iterator[Block]:
    """Token lines grouped by sentence, each with its line number; DOCSTART lines are dropped."""
    block: Block = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            fields = [f.strip() for f in line.split("\t")] if "\t" in line else line.split()
            if line.strip() and fields[0] != DOCSTART:
                block.append((number, fields))
            elif block:  # a blank or DOCSTART line ends the sentence
                yield block
                block = []
    if block:
        yield block


def _parse_block(block: Block, example_id: str, widths: list[int], default: str | None) -> Example:
    tokens: list[str] = []
    spans: list[Span] = []
    offset = 0
    open_span: Span | None = None
    for number, fields in block:
        if not widths and len(fields) >= 2:
            widths.append(len(fields))
        expected = widths[0] if widths else 2
        if len(fields) != expected:
            raise CorpusError(f"expected {expected} fields (token ... tag), found {len(fields)}", line=number)
        if not fields[0]:
            raise CorpusError("empty token in the first field", line=number)
        prefix, label = parse_tag(fields[-1], default, number)
        start = offset + (1 if tokens else 0)
        end = start + len(fields[0])
        tokens.append(fields[0])
        offset = end
        if open_span is not None and (prefix != "I" or label != open_span.label):
            spans.append(open_span)
            open_span = None
        if open_span is not None:
            open_span = Span(open_span.start, end, label)
        elif prefix != "O":
            open_span = Span(start, end, label)
    if open_span is not None:
        spans.append(open_span)
    return Example(example_id, " ".join(tokens), spans)


def parse_tag(tag: str, default_label: str | None, line: int | None = None) -> tuple[str, str]:
    """(`B`, `I` or `O`, label) of an IOB tag; plain `B`/`I` take `default_label`."""
    if tag == "O":
        return "O", ""
    prefix, dash, label = tag.partition("-")
    if prefix not in ("B", "I") or (dash and not label):
        # The tag itself is not echoed: in a misaligned file it could be a word of the note.
        raise CorpusError("unknown tag in the last field (expected O, B-<label> or I-<label>)", line=line)
    if not dash:
        if default_label is None:
            raise CorpusError(f"untyped tag {prefix!r} and no default label was given", line=line)
        label = default_label
    return prefix, label


def tokenize(text: str, cuts: set[int] = frozenset()) -> list[tuple[int, int]]:
    """(start, end) of each token: runs of letters, digits and `_`, single punctuation or
    symbol characters, with combining marks kept on the character before; whitespace is
    dropped and every offset in `cuts` starts a new token."""
    tokens: list[tuple[int, int]] = []
    kind = ""  # kind of the token being built: "word", "punct" or "" (none)
    for i, char in enumerate(text):
        if char.isspace():
            kind = ""
            continue
        if unicodedata.category(char).startswith("M") and kind and i not in cuts:
            tokens[-1] = (tokens[-1][0], i + 1)
            continue
        char_kind = "word" if char.isalnum() or char == "_" else "punct"
        if kind == "word" == char_kind and i not in cuts:
            tokens[-1] = (tokens[-1][0], i + 1)
        else:
            tokens.append((i, i + 1))
        kind = char_kind
    return tokens


def check_conll(example: Example) -> None:
    """Raise CorpusError when a checked example cannot be written as IOB tokens."""
    if not tokenize(example.text):
        raise CorpusError(f"example {example.id!r}: the text has no tokens")
    for span in example.entities:
        if not example.span_text(span).strip() or any(c.isspace() for c in span.label):
            raise CorpusError(
                f"example {example.id!r}: span {span.start}-{span.end} covers only whitespace "
                "or its label contains whitespace"
            )


def to_tagged_tokens(example: Example) -> list[tuple[str, str]]:
    """(token, IOB tag) pairs of a checked (sorted, non-overlapping) example."""
    cuts = {offset for span in example.entities for offset in (span.start, span.end)}
    pairs = []
    spans = iter(example.entities)
    span, previous = next(spans, None), None
    for start, end in tokenize(example.text, cuts):
        while span is not None and span.end <= start:
            span = next(spans, None)
        if span is None or end <= span.start:
            pairs.append((example.text[start:end], "O"))
            continue
        pairs.append((example.text[start:end], f"{'I' if previous is span else 'B'}-{span.label}"))
        previous = span
    return pairs


def write_conll(examples: Iterable[Example], path: Path, invalid: InvalidRecords | None = None) -> int:
    """Write one sentence block per example; returns how many were written."""
    invalid = invalid or InvalidRecords()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for example in examples:
            try:
                example = example.checked(allow_overlap=False)
                check_conll(example)
            except CorpusError as error:
                invalid.report(CorpusError(error.problem, str(path)))
                continue
            lines = [f"{token}\t{tag}\n" for token, tag in to_tagged_tokens(example)]
            handle.write("".join(lines) + "\n")
            count += 1
    return count
