"""Token-offset JSON (the ADE corpus as SpERT ships it): a list of
`{"tokens": [...], "entities": [{"type", "start", "end"}], "relations": [{"type", "head", "tail"}]}`
with token offsets, end exclusive, and relations indexing the entities list.

The text is the tokens joined by single spaces; entities may overlap. Other keys of a record
(`orig_id`) go to `meta`. Errors name the record by its position and the line it starts on.
"""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from synthner.trainer.corpus.errors import InvalidRecords
from synthner.trainer.corpus.example import CorpusError, Example, Relation, Span

STRUCTURE = ("tokens", "entities", "relations")
_SPACE = re.compile(r"[ \t\r\n]*")


def read_ade_json(path: Path, invalid: InvalidRecords | None = None) -> Iterator[Example]:
    """Examples from a JSON list of token-offset records; ids are `FILESTEM-N`."""
    invalid = invalid or InvalidRecords()
    with open(path, encoding="utf-8") as handle:
        content = handle.read()
    try:
        for number, (line, record) in enumerate(_records(content), start=1):
            try:
                yield _example(record, f"{Path(path).stem}-{number}")
            except CorpusError as error:
                invalid.report(CorpusError(f"record {number}: {error.problem}", str(path), line))
    except CorpusError as error:  # broken JSON: nothing after it can be read
        invalid.report(CorpusError(error.problem, str(path), error.line))


def _records(content: str) -> Iterator[tuple[int, Any]]:
    """(line, value) of each element of the top-level JSON list, decoded one at a time."""
    decoder = json.JSONDecoder()
    lines = _LineCounter(content)
    position = _skip_space(content, 0)
    if content[position : position + 1] != "[":
        raise CorpusError("expected a JSON list of records", line=lines.at(position))
    position = _skip_space(content, position + 1)
    if content[position : position + 1] == "]":
        return
    while True:
        try:
            record, end = decoder.raw_decode(content, position)
        except json.JSONDecodeError as error:
            raise CorpusError(f"invalid JSON: {error.msg}", line=error.lineno) from None
        yield lines.at(position), record
        position = _skip_space(content, end)
        separator = content[position : position + 1]
        if separator == "]":
            return
        if separator != ",":
            raise CorpusError("expected ',' or ']' after a record", line=lines.at(position))
        position = _skip_space(content, position + 1)


def _skip_space(content: str, position: int) -> int:
    return _SPACE.match(content, position).end()


class _LineCounter:
    """Line numbers of increasing positions, counting each stretch of text once."""

    def __init__(self, content: str) -> None:
        self.content, self.position, self.line = content, 0, 1

    def at(self, position: int) -> int:
        self.line += self.content.count("\n", self.position, position)
        self.position = position
        return self.line


def _example(record: Any, fallback_id: str) -> Example:
    if not isinstance(record, dict) or not isinstance(record.get("tokens"), list):
        raise CorpusError("expected an object with a 'tokens' list")
    tokens = record["tokens"]
    if not all(isinstance(token, str) for token in tokens):
        raise CorpusError("'tokens' holds a value that is not a string")
    starts = [0]
    for token in tokens:
        starts.append(starts[-1] + len(token) + 1)  # +1: the joining space
    try:
        spans = [_span(entity, i, starts) for i, entity in enumerate(record.get("entities", []))]
        relations = [
            Relation(int(r["head"]), int(r["tail"]), str(r["type"])) for r in record.get("relations", [])
        ]
    except CorpusError:
        raise
    except KeyError as error:
        raise CorpusError(f"an entity or relation lacks the field {error}") from None
    except (TypeError, ValueError):
        raise CorpusError("an entity or relation field has the wrong type") from None
    meta = {key: value for key, value in record.items() if key not in STRUCTURE}
    return Example(fallback_id, " ".join(tokens), spans, relations, meta).checked(allow_overlap=True)


def _span(entity: dict, index: int, starts: list[int]) -> Span:
    start, end, label = int(entity["start"]), int(entity["end"]), str(entity["type"])
    if not 0 <= start < end < len(starts):
        raise CorpusError(
            f"entity {index}: tokens {start}-{end} are outside the {len(starts) - 1} tokens or empty"
        )
    return Span(starts[start], starts[end] - 1, label)
