"""BRAT standoff: `NAME.txt` holds the text, `NAME.ann` the annotations; NAME is the example id.

`T` lines (`T1 TAB Label 0 5;9 14 TAB mention`) are entities; overlapping ones are allowed.
Fragments separated only by whitespace (BRAT splits a span at each line break) are joined
into one span. A truly discontinuous entity, with text between its fragments, cannot be one
span and is an error. `R` lines (`R1 TAB Label Arg1:T1 Arg2:T2`) are relations, first argument
as head. Attribute (`A`, `M`), normalisation (`N`), note (`#`) and equivalence (`*`) lines are
not represented; they are counted in `meta["brat_ignored"]` rather than dropped unseen. Event
(`E`) and unknown lines are errors. A bad line rejects its whole document, since a document
with one entity missing would teach a model a false negative. Writing loses the meta.
"""

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from synthner.trainer.corpus.errors import InvalidRecords
from synthner.trainer.corpus.example import CorpusError, Example, Relation, Span

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines() breaks at
SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
IGNORED = "ANM#*"


def read_brat(path: Path, invalid: InvalidRecords | None = None) -> Iterator[Example]:
    """Examples from a folder of `.txt`/`.ann` pairs (sorted by name), or from one pair."""
    invalid = invalid or InvalidRecords()
    for folder, name in _documents(Path(path)):
        txt, ann = folder / f"{name}.txt", folder / f"{name}.ann"
        try:
            for needed in (txt, ann):
                if not needed.is_file():
                    raise CorpusError(f"{needed.name} is missing: BRAT needs both .txt and .ann")
            yield parse_ann(name, _read_exact(txt), _read_exact(ann))
        except CorpusError as error:
            invalid.report(CorpusError(error.problem, str(ann), error.line))


def _documents(path: Path) -> list[tuple[Path, str]]:
    """(folder, name) of each document: every `.txt`/`.ann` name in a folder, or one file's."""
    if not path.is_dir():
        return [(path.parent, path.name.rsplit(".", 1)[0])]
    names = {p.name[:-4] for p in path.iterdir() if p.suffix in (".txt", ".ann") and p.is_file()}
    return [(path, name) for name in sorted(names)]


def _read_exact(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:  # offsets count \r too
        return handle.read()


def parse_ann(example_id: str, text: str, ann: str) -> Example:
    """The example a `.ann` text describes over `text`."""
    entities: dict[str, Span] = {}
    links: list[tuple[int, str, str, str]] = []
    ignored: Counter[str] = Counter()
    for number, line in enumerate(ann.split("\n"), start=1):
        line = line.rstrip("\r")
        key = line.split("\t", 1)[0]
        if not line.strip():
            continue
        if key[:1] == "T":
            if key in entities:
                raise CorpusError(f"entity id {key} is used twice", line=number)
            entities[key] = _text_bound(line, text, number)
        elif key[:1] == "R":
            links.append((number, *_relation(line, number)))
        elif key[:1] and key[0] in IGNORED:
            ignored[key[0]] += 1
        else:
            raise CorpusError(f"annotation {key!r} is not supported (only T and R lines are)", line=number)
    index = {key: i for i, key in enumerate(entities)}
    relations = []
    for number, label, head, tail in links:
        for arg in (head, tail):
            if arg not in index:
                raise CorpusError(f"relation {label} points to {arg}, which is not an entity", line=number)
        relations.append(Relation(index[head], index[tail], label))
    meta = {"brat_ignored": dict(sorted(ignored.items()))} if ignored else {}
    return Example(example_id, text, list(entities.values()), relations, meta).sorted()


def _text_bound(line: str, text: str, number: int) -> Span:
    parts = line.split("\t")
    label, _, offsets = parts[1].partition(" ") if len(parts) >= 3 else ("", "", "")
    fragments = []
    for piece in offsets.split(";"):
        bounds = piece.split()
        if not label or len(bounds) != 2 or not all(b.isdigit() for b in bounds):
            raise CorpusError("expected 'Tn TAB Label start end[;start end] TAB mention'", line=number)
        start, end = int(bounds[0]), int(bounds[1])
        if not 0 <= start < end <= len(text):
            raise CorpusError(
                f"span {start}-{end} is outside the text of length {len(text)} or empty", line=number
            )
        fragments.append((start, end))
    if " ".join(text[s:e] for s, e in fragments) != "\t".join(parts[2:]):
        raise CorpusError(f"offsets {offsets} do not cover the mention given after them", line=number)
    fragments.sort()
    for (_, end), (start, _) in zip(fragments, fragments[1:]):
        if start < end or text[end:start].strip():
            raise CorpusError(
                f"discontinuous entity ({offsets}) has text between its fragments; one span cannot hold it",
                line=number,
            )
    return Span(fragments[0][0], fragments[-1][1], label)


def _relation(line: str, number: int) -> tuple[str, str, str]:
    fields = line.split("\t")[1].split() if "\t" in line else []
    if len(fields) != 3 or not all(":" in arg for arg in fields[1:]):
        raise CorpusError("expected 'Rn TAB Label Arg1:Tx Arg2:Ty'", line=number)
    return fields[0], fields[1].split(":", 1)[1], fields[2].split(":", 1)[1]


def check_brat(example: Example) -> None:
    """Raise CorpusError when a checked example cannot be written as a `.txt`/`.ann` pair."""
    if not SAFE_ID.fullmatch(example.id):
        raise CorpusError(f"example {example.id!r}: the id is not a safe file name")
    for label in [s.label for s in example.entities] + [r.label for r in example.relations]:
        if not label or any(c.isspace() for c in label):
            raise CorpusError(f"example {example.id!r}: label {label!r} is empty or contains whitespace")
    for span in example.entities:
        if example.text[span.start] in LINE_BREAKS or example.text[span.end - 1] in LINE_BREAKS:
            raise CorpusError(
                f"example {example.id!r}: span {span.start}-{span.end} starts or ends at a line break"
            )


def to_ann(example: Example) -> str:
    """The `.ann` text of a checked example."""
    lines = []
    for i, span in enumerate(example.entities, start=1):
        found = _FRAGMENT.finditer(example.span_text(span))
        pieces = [(m.start() + span.start, m.end() + span.start) for m in found]
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        mention = " ".join(example.text[s:e] for s, e in pieces)
        lines.append(f"T{i}\t{span.label} {offsets}\t{mention}\n")
    for i, relation in enumerate(example.relations, start=1):
        lines.append(f"R{i}\t{relation.label} Arg1:T{relation.head + 1} Arg2:T{relation.tail + 1}\n")
    return "".join(lines)


_FRAGMENT = re.compile(f"[^{re.escape(LINE_BREAKS)}]+")


def write_brat(examples: Iterable[Example], folder: Path, invalid: InvalidRecords | None = None) -> int:
    """Write `ID.txt` and `ID.ann` per example into `folder`; returns how many were written."""
    invalid = invalid or InvalidRecords()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: set[str] = set()
    for example in examples:
        try:
            example = example.checked(allow_overlap=True)
            check_brat(example)
            if example.id in written:
                raise CorpusError(f"example {example.id!r}: the id is used twice")
        except CorpusError as error:
            invalid.report(CorpusError(error.problem, str(folder)))
            continue
        for suffix, content in ((".txt", example.text), (".ann", to_ann(example))):
            with open(folder / f"{example.id}{suffix}", "w", encoding="utf-8", newline="") as handle:
                handle.write(content)
        written.add(example.id)
    return len(written)
