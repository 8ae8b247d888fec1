"""JSONL: one example per line, `{"id", "text", "entities", "relations", "meta"}`."""

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from synthner.trainer.corpus.errors import InvalidRecords
from synthner.trainer.corpus.example import CorpusError, Example, Relation, Span


def example_to_dict(example: Example) -> dict:
    """The JSON form of an example."""
    return {
        "id": example.id,
        "text": example.text,
        "entities": [{"start": s.start, "end": s.end, "label": s.label} for s in example.entities],
        "relations": [{"head": r.head, "tail": r.tail, "label": r.label} for r in example.relations],
        "meta": example.meta,
    }


def example_from_dict(record: dict, fallback_id: str) -> Example:
    """Build and validate an example from its JSON form; KeyError/TypeError on a bad shape."""
    if not isinstance(record.get("text"), str):
        raise CorpusError("field 'text' is missing or not a string")
    example = Example(
        str(record.get("id", fallback_id)),
        record["text"],
        [Span(int(e["start"]), int(e["end"]), str(e["label"])) for e in record.get("entities", [])],
        [Relation(int(r["head"]), int(r["tail"]), str(r["label"])) for r in record.get("relations", [])],
        dict(record.get("meta") or {}),
    )
    return example.checked(allow_overlap=True)


def read_jsonl(path: Path, invalid: InvalidRecords | None = None) -> Iterator[Example]:
    """Examples from a JSONL file; a bad line raises CorpusError naming file and line."""
    invalid = invalid or InvalidRecords()
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield example_from_dict(json.loads(line), fallback_id=f"{Path(path).stem}-{number}")
            except CorpusError as error:
                invalid.report(CorpusError(error.problem, str(path), number))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
                invalid.report(CorpusError(f"bad record: {error!r}", str(path), number))


def write_jsonl(examples: Iterable[Example], path: Path | IO[str]) -> int:
    """Write examples one per line; returns how many were written."""
    if isinstance(path, (str, Path)):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            return write_jsonl(examples, handle)
    count = 0
    for example in examples:
        path.write(json.dumps(example_to_dict(example), ensure_ascii=False) + "\n")
        count += 1
    return count
