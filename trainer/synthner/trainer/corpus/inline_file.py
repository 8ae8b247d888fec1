"""Inline-tagged text files: one example per line, `<drug>aspirin</drug> caused a <ade>rash</ade>`.

Tag names become labels upper-cased (see `parse_inline`); empty lines are not examples. What
the format cannot hold, writing refuses rather than loses: line breaks or tag-like text in the
text, overlapping spans, spans with whitespace at an edge (reading trims it), labels that do not
read back as themselves. Ids, meta and relations are not written.
"""

from collections.abc import Iterable, Iterator
from pathlib import Path

from synthner.trainer.corpus.errors import InvalidRecords
from synthner.trainer.corpus.example import CorpusError, Example
from synthner.trainer.corpus.inline import TAG, parse_inline, render_inline


def read_inline(path: Path, invalid: InvalidRecords | None = None) -> Iterator[Example]:
    """One example per non-empty line, id `FILESTEM-LINE`."""
    invalid = invalid or InvalidRecords()
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if not line:
                continue
            try:
                yield parse_inline(line, example_id=f"{Path(path).stem}-{number}")
            except CorpusError as error:
                invalid.report(CorpusError(error.problem, str(path), number))


def check_inline(example: Example) -> None:
    """Raise CorpusError when a checked example would not read back the same from one line."""
    if not example.text or "\n" in example.text or "\r" in example.text:
        raise CorpusError(f"example {example.id!r}: the text is empty or holds a line break")
    if TAG.search(example.text):
        raise CorpusError(f"example {example.id!r}: the text holds something that reads as a tag")
    for span in example.entities:
        covered = example.span_text(span)
        if covered != covered.strip():
            raise CorpusError(f"example {example.id!r}: span {span.start}-{span.end} has whitespace at an edge")
        if not TAG.fullmatch(f"<{span.label}>") or span.label != span.label.upper():
            raise CorpusError(f"example {example.id!r}: label {span.label!r} is not an upper-case tag name")


def write_inline(examples: Iterable[Example], path: Path, invalid: InvalidRecords | None = None) -> int:
    """Write one tagged line per example; returns how many were written."""
    invalid = invalid or InvalidRecords()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for example in examples:
            try:
                example = example.checked(allow_overlap=False)
                check_inline(example)
            except CorpusError as error:
                invalid.report(CorpusError(error.problem, str(path)))
                continue
            handle.write(render_inline(example) + "\n")
            count += 1
    return count
