"""Every corpus format by name: what it can hold, how to recognise it, how to read and write it."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from synthner.trainer.corpus.ade_json import read_ade_json
from synthner.trainer.corpus.brat import read_brat, write_brat
from synthner.trainer.corpus.conll import read_conll, write_conll
from synthner.trainer.corpus.docbin import read_docbin, write_docbin
from synthner.trainer.corpus.errors import InvalidRecords
from synthner.trainer.corpus.example import CorpusError, Example, Relation, Span
from synthner.trainer.corpus.inline_file import read_inline, write_inline
from synthner.trainer.corpus.jsonl import read_jsonl, write_jsonl
from synthner.trainer.corpus.pubtator import read_pubtator

Reader = Callable[[Path, InvalidRecords], Iterator[Example]]
Writer = Callable[[Iterable[Example], Path, InvalidRecords], int]


@dataclass(frozen=True)
class Format:
    """A corpus format; the flags say what survives writing to it."""

    name: str
    suffixes: tuple[str, ...]
    reader: Reader
    writer: Writer | None = None
    keeps_ids: bool = False
    keeps_relations: bool = False
    keeps_meta: bool = False


def _write_jsonl(examples: Iterable[Example], path: Path, invalid: InvalidRecords) -> int:
    def valid() -> Iterator[Example]:
        for example in examples:
            try:
                yield example.checked(allow_overlap=True)
            except CorpusError as error:
                invalid.report(CorpusError(error.problem, str(path)))

    return write_jsonl(valid(), path)


FORMATS = {
    f.name: f
    for f in (
        Format("jsonl", (".jsonl",), read_jsonl, _write_jsonl, True, True, True),
        Format("conll", (".conll", ".iob", ".bio", ".tsv"), read_conll, write_conll),
        Format("brat", (".ann",), read_brat, write_brat, True, True),
        Format("docbin", (".spacy",), read_docbin, write_docbin, True, True, True),
        Format("pubtator", (".pubtator", ".pubtator.txt"), read_pubtator),
        Format("ade", (".json",), read_ade_json),
        Format("inline", (), read_inline, write_inline),
    )
}


def detect_format(path: Path, writing: bool = False) -> Format:
    """The format a path's name implies; a folder (or, when writing, a name without a suffix) is BRAT."""
    path = Path(path)
    if path.is_dir() or (writing and not path.suffix):
        return FORMATS["brat"]
    name = path.name.lower()
    for fmt in FORMATS.values():
        if any(name.endswith(suffix) for suffix in fmt.suffixes):
            return fmt
    raise CorpusError(f"cannot tell the format from the name; give it ({', '.join(FORMATS)})", str(path))


def get_format(path: Path, fmt: str | None, writing: bool = False) -> Format:
    """The named format, or the one detected from the path."""
    if fmt is None:
        return detect_format(path, writing)
    if fmt not in FORMATS:
        raise CorpusError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    if writing and FORMATS[fmt].writer is None:
        writable = ", ".join(name for name, f in FORMATS.items() if f.writer)
        raise CorpusError(f"format {fmt!r} can be read, not written; write one of: {writable}")
    return FORMATS[fmt]


def read_corpus(
    path: Path,
    fmt: str | None = None,
    *,
    invalid: InvalidRecords | None = None,
    default_label: str | None = None,
    label_map: dict[str, str] | None = None,
) -> Iterator[Example]:
    """Examples of a corpus file or folder. `default_label` types untyped IOB tags;
    `label_map` renames entity and relation labels (both: ADE names both `Adverse-Effect`)."""
    invalid = invalid or InvalidRecords()
    found = get_format(path, fmt)  # here, not lazily, so a bad format fails at the call
    if found.name == "conll":
        examples = read_conll(Path(path), invalid, default_label)
    else:
        examples = found.reader(Path(path), invalid)
    return (relabel(example, label_map) for example in examples) if label_map else examples


def relabel(example: Example, label_map: dict[str, str]) -> Example:
    """A copy with labels renamed through `label_map`; unmapped labels stay."""
    return replace(
        example,
        entities=[Span(s.start, s.end, label_map.get(s.label, s.label)) for s in example.entities],
        relations=[Relation(r.head, r.tail, label_map.get(r.label, r.label)) for r in example.relations],
    )


def write_corpus(
    examples: Iterable[Example], path: Path, fmt: str | None = None, *, invalid: InvalidRecords | None = None
) -> int:
    """Write examples in the named (or detected) format; returns how many were written.
    An example the format cannot hold is reported to `invalid` (which raises by default)."""
    writer = get_format(path, fmt, writing=True).writer
    return writer(examples, Path(path), invalid or InvalidRecords())
