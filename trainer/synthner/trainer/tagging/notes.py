"""Read notes to tag from a quoted text, a .txt file, a folder of them, JSONL, CSV or stdin.

Texts are decoded from UTF-8 bytes as they are, newlines included, so output offsets index
the input exactly. A bad record becomes a `BadRecord` naming its line; reading goes on.
"""

import csv
import io
import json
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

INPUT_FORMATS = ("auto", "text", "txt", "folder", "jsonl", "csv")
RESERVED = ("id", "text", "entities")  # JSONL fields not copied through to the output


@dataclass(frozen=True, slots=True)
class Note:
    """One text to tag; `extra` holds the other fields of a JSONL record."""

    id: str
    text: str
    line: int | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A record that cannot be tagged: where it is and why (never its text)."""

    source: str
    line: int | None
    problem: str
    id: str | None = None


class InputError(ValueError):
    """The input as a whole cannot be read (missing file, unknown format, missing column)."""


def input_format(source: str, fmt: str = "auto") -> str:
    """The concrete format of `source` ('-' is stdin, read as one text unless `fmt` says)."""
    if fmt not in INPUT_FORMATS:
        raise InputError(f"unknown input format {fmt!r}; choose one of {', '.join(INPUT_FORMATS)}")
    if fmt != "auto":
        return fmt
    if source == "-":
        return "text"
    path = Path(source)
    if path.is_dir():
        return "folder"
    suffix = path.suffix.lower()
    if path.is_file():
        formats = {".txt": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
        if suffix not in formats:
            raise InputError(f"cannot tell the format of {source}; pass --input-format")
        return formats[suffix]
    if suffix in (".txt", ".jsonl", ".ndjson", ".csv") or ("/" in source and not any(c.isspace() for c in source)):
        raise InputError(f"{source} does not exist")
    return "text"


def read_notes(source: str, fmt: str, id_col: str = "id", text_col: str = "text") -> Iterator[Note | BadRecord]:
    """Notes (or bad records) of `source` in `fmt` (see `input_format`), in input order."""
    if fmt == "text":
        if source == "-":
            yield _note("stdin", sys.stdin.buffer.read(), "<stdin>")
        else:
            yield Note("text", source)
    elif fmt == "txt":
        yield _note(Path(source).stem, Path(source).read_bytes(), source)
    elif fmt == "folder":
        for path in _txt_files(Path(source)):
            yield _note(path.relative_to(source).with_suffix("").as_posix(), path.read_bytes(), str(path))
    elif fmt == "jsonl":
        with _open_binary(source) as stream:
            yield from _read_jsonl(stream, _name(source))
    else:
        with _open_binary(source) as stream:
            yield from _read_csv(stream, _name(source), id_col, text_col)


def count_notes(source: str, fmt: str) -> int | None:
    """How many records `source` holds (for the progress bar); None for stdin."""
    if source == "-":
        return None
    if fmt == "folder":
        return len(_txt_files(Path(source)))
    if fmt == "jsonl":
        with open(source, "rb") as stream:
            return sum(1 for line in stream if line.strip())
    if fmt == "csv":
        _allow_long_fields()
        with open(source, encoding="utf-8", errors="replace", newline="") as stream:
            return max(sum(1 for _ in csv.reader(stream)) - 1, 0)
    return 1


def _txt_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.txt") if path.is_file())


def _name(source: str) -> str:
    return "<stdin>" if source == "-" else source


def _open_binary(source: str) -> AbstractContextManager[BinaryIO]:
    return nullcontext(sys.stdin.buffer) if source == "-" else open(source, "rb")


def _note(note_id: str, raw: bytes, source: str) -> Note | BadRecord:
    try:
        return Note(note_id, raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        return BadRecord(source, None, f"not valid UTF-8 (byte {error.start})", note_id)


def _read_jsonl(stream: BinaryIO, source: str) -> Iterator[Note | BadRecord]:
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            yield BadRecord(source, number, f"not valid UTF-8 (byte {error.start} of the line)")
            continue
        except json.JSONDecodeError as error:
            yield BadRecord(source, number, f"not valid JSON: {error.msg} at column {error.colno}")
            continue
        yield _from_record(record, source, number)


def _from_record(record: object, source: str, number: int) -> Note | BadRecord:
    if not isinstance(record, dict):
        return BadRecord(source, number, f"expected a JSON object, found {type(record).__name__}")
    note_id = record.get("id", number)
    if isinstance(note_id, bool) or not isinstance(note_id, (str, int)):
        return BadRecord(source, number, f"field 'id' must be a string or an integer, not {type(note_id).__name__}")
    text = record.get("text")
    if not isinstance(text, str):
        return BadRecord(source, number, f"field 'text' must be a string, not {type(text).__name__}", str(note_id))
    if not _is_unicode(text):
        return BadRecord(source, number, "field 'text' holds lone surrogates (not valid Unicode)", str(note_id))
    extra = {key: value for key, value in record.items() if key not in RESERVED}
    return Note(str(note_id), text, number, extra)


def _read_csv(stream: BinaryIO, source: str, id_col: str, text_col: str) -> Iterator[Note | BadRecord]:
    _allow_long_fields()
    # surrogateescape keeps reading past bad bytes; the record holding them is reported.
    text_stream = io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline="")
    reader = csv.DictReader(text_stream)
    header = reader.fieldnames or []
    if text_col not in header:
        raise InputError(f"{source}: no column {text_col!r} in the header (columns: {', '.join(header)})")
    end_line = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield BadRecord(source, reader.line_num, f"unreadable CSV record: {error}")
            end_line = reader.line_num
            continue
        line, end_line = end_line + 1, reader.line_num
        note_id = row.get(id_col) if id_col in header else str(line)
        if None in row or None in row.values():
            yield BadRecord(source, line, f"expected {len(header)} fields", note_id)
        elif not (_is_unicode(row[text_col]) and _is_unicode(note_id)):
            yield BadRecord(source, line, "not valid UTF-8", None)
        else:
            yield Note(note_id, row[text_col], line)


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _allow_long_fields() -> None:
    # A discharge summary can exceed csv's default 131,072-character field limit.
    csv.field_size_limit(2**31 - 1)
