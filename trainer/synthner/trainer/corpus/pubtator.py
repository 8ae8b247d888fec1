"""PubTator documents: `PMID|t|title`, `PMID|a|abstract`, then tab-separated lines, one per
mention (`PMID start end mention type ids`) or relation (`PMID type id1 id2`); a blank line
ends a document.

The text is the title and the abstract joined by one space (the offsets assume one separator
character). Mentions may overlap. A mention's ids field may hold several ids (`D1|D2`,
`D1+D2`); a seventh field (the parts of a composite mention) is not kept. Relations link concepts, not
mentions, and PubTator does not say which mentions express them, so a relation becomes one
Relation from every mention carrying the first id to every other mention carrying the second.
"""

import re
from collections.abc import Iterator
from pathlib import Path

from synthner.trainer.corpus.errors import InvalidRecords
from synthner.trainer.corpus.example import CorpusError, Example, Relation, Span

Lines = list[tuple[int, str]]


def read_pubtator(path: Path, invalid: InvalidRecords | None = None) -> Iterator[Example]:
    """One example per document, id = PMID; a bad line rejects its whole document."""
    invalid = invalid or InvalidRecords()
    for lines in _documents(path):
        try:
            yield _parse_document(lines)
        except CorpusError as error:
            invalid.report(CorpusError(error.problem, str(path), error.line))


def _documents(path: Path) -> Iterator[Lines]:
    lines: Lines = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if line.strip():
                lines.append((number, line))
            elif lines:
                yield lines
                lines = []
    if lines:
        yield lines


def _parse_document(lines: Lines) -> Example:
    number, first = lines[0]
    pmid, _, title = _text_line(first, "t", number)
    body = [title]
    if len(lines) > 1 and "|a|" in lines[1][1].split("\t", 1)[0]:
        number, line = lines[1]
        abstract_pmid, _, abstract = _text_line(line, "a", number)
        if abstract_pmid != pmid:
            raise CorpusError(f"abstract of PMID {abstract_pmid} follows the title of {pmid}", line=number)
        body.append(abstract)
    text = " ".join(body)
    spans: list[tuple[Span, set[str]]] = []
    links: list[tuple[int, list[str]]] = []
    for number, line in lines[len(body) :]:
        fields = line.split("\t")
        if fields[0] != pmid:
            raise CorpusError(f"line of PMID {fields[0]!r} inside the document of {pmid}", line=number)
        if len(fields) == 4 and not fields[1].isdigit():
            links.append((number, fields))
        else:
            spans.append(_mention(fields, text, number))
    return _with_relations(pmid, text, spans, links)


def _text_line(line: str, kind: str, number: int) -> tuple[str, str, str]:
    pmid, bar, rest = line.partition(f"|{kind}|")
    if not bar or not pmid or "\t" in pmid:
        raise CorpusError(f"expected 'PMID|{kind}|text'", line=number)
    return pmid, kind, rest


def _mention(fields: list[str], text: str, number: int) -> tuple[Span, set[str]]:
    """The span of a mention line and the concept ids it carries."""
    if len(fields) not in (5, 6, 7):
        raise CorpusError(
            f"a mention line has 5 to 7 tab-separated fields, a relation line 4; found {len(fields)}",
            line=number,
        )
    try:
        start, end = int(fields[1]), int(fields[2])
    except ValueError:
        raise CorpusError("mention offsets (fields 2 and 3) are not integers", line=number) from None
    if not 0 <= start < end <= len(text):
        raise CorpusError(f"span {start}-{end} is outside the text of length {len(text)} or empty", line=number)
    if text[start:end].strip() != fields[3].strip():  # some releases pad the mention field
        raise CorpusError(f"span {start}-{end} does not cover the mention given in field 4", line=number)
    if not fields[4]:
        raise CorpusError("the mention has no type (field 5)", line=number)
    ids = set(re.split(r"[|+]", fields[5])) - {"", "-1", "-"} if len(fields) > 5 else set()
    return Span(start, end, fields[4]), ids


def _with_relations(
    pmid: str, text: str, spans: list[tuple[Span, set[str]]], links: list[tuple[int, list[str]]]
) -> Example:
    relations = []
    for number, (_, label, head_id, tail_id) in links:
        heads = [i for i, (_, ids) in enumerate(spans) if head_id in ids]
        tails = [i for i, (_, ids) in enumerate(spans) if tail_id in ids]
        for concept, found in ((head_id, heads), (tail_id, tails)):
            if not found:
                raise CorpusError(f"relation {label}: no mention carries the id {concept!r}", line=number)
        relations += [Relation(h, t, label) for h in heads for t in tails if h != t]
    return Example(pmid, text, [span for span, _ in spans], relations, {}).checked(allow_overlap=True)
