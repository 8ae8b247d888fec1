"""Reading notes: format detection, exact texts, and bad records reported with their lines."""

import json
from pathlib import Path

import pytest

from synthner.trainer.tagging.notes import BadRecord, InputError, Note, count_notes, input_format, read_notes


def test_formats_are_told_apart_and_a_missing_file_is_not_taken_for_text(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text("")
    (tmp_path / "a.csv").write_text("")
    (tmp_path / "a.json").write_text("")
    assert input_format("Patient on warfarin.") == "text"
    assert input_format("-") == "text"
    assert input_format(str(tmp_path)) == "folder"
    assert input_format(str(tmp_path / "a.jsonl")) == "jsonl"
    assert input_format(str(tmp_path / "a.csv")) == "csv"
    with pytest.raises(InputError, match="does not exist"):
        input_format(str(tmp_path / "missing.jsonl"))
    with pytest.raises(InputError, match="--input-format"):
        input_format(str(tmp_path / "a.json"))


def test_jsonl_bad_lines_are_reported_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "one", "ward": 7}).encode(),
        b"",
        b"{not json",
        b"[1, 2]",
        json.dumps({"id": "d"}).encode(),
        b'{"id": "e", "text": "\\ud800"}',
        b'{"id": "f", "text": "\xff"}',
        json.dumps({"text": "no id", "entities": []}).encode(),
        json.dumps({"id": 9, "text": "int id"}).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    records = list(read_notes(str(path), "jsonl"))
    assert records[0] == Note("a", "one", 1, {"ward": 7})
    assert [(r.line, type(r).__name__) for r in records] == [
        (1, "Note"), (3, "BadRecord"), (4, "BadRecord"), (5, "BadRecord"), (6, "BadRecord"),
        (7, "BadRecord"), (8, "Note"), (9, "Note"),
    ]
    assert "not valid JSON" in records[1].problem and "JSON object" in records[2].problem
    assert "'text'" in records[3].problem and "surrogates" in records[4].problem
    assert "UTF-8" in records[5].problem
    assert records[6] == Note("8", "no id", 8, {})
    assert records[7].id == "9"
    assert count_notes(str(path), "jsonl") == 8


def test_csv_records_spanning_lines_keep_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    long_text = "x" * 200_000  # over csv's default field limit
    path.write_bytes(
        b'id,text\r\n1,"first\r\nnote, two lines"\r\n2,short\r\n3\r\n4,\xff\r\n5,' + long_text.encode() + b"\r\n"
    )
    records = list(read_notes(str(path), "csv"))
    assert records[0] == Note("1", "first\r\nnote, two lines", 2)
    assert records[1] == Note("2", "short", 4)
    assert isinstance(records[2], BadRecord) and records[2].line == 5 and "fields" in records[2].problem
    assert isinstance(records[3], BadRecord) and records[3].line == 6 and "UTF-8" in records[3].problem
    assert records[4] == Note("5", long_text, 7)
    assert count_notes(str(path), "csv") == 5


def test_csv_without_the_text_column_names_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("id,body\n1,hello\n")
    with pytest.raises(InputError, match="no column 'text'.*id, body"):
        list(read_notes(str(path), "csv"))
    assert list(read_notes(str(path), "csv", text_col="body")) == [Note("1", "hello", 2)]


def test_txt_files_keep_crlf_and_folders_give_relative_ids(tmp_path: Path) -> None:
    (tmp_path / "ward").mkdir()
    (tmp_path / "a.txt").write_bytes(b"line one\r\nline two\r\n")
    (tmp_path / "ward" / "b.txt").write_bytes(b"\xfe bad")
    records = list(read_notes(str(tmp_path), "folder"))
    assert records[0] == Note("a", "line one\r\nline two\r\n")
    assert isinstance(records[1], BadRecord) and records[1].id == "ward/b"
    assert list(read_notes(str(tmp_path / "a.txt"), "txt")) == [Note("a", "line one\r\nline two\r\n")]
    assert count_notes(str(tmp_path), "folder") == 2
