"""The checkpointed output: every way a run can die leaves a file that resumes exactly."""

from pathlib import Path

import pytest

from synthner.trainer.tagging.checkpoint import CheckpointedFile, ResumeError


def write(path: Path, ids: list[str], header: bytes = b"") -> None:
    out = CheckpointedFile(path, header)
    for record_id in ids:
        out.write(record_id, f"{record_id}\n".encode())
    out.close()


def test_reopening_lists_the_finished_ids_and_appends_after_them(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    write(path, ["a", "b"])
    out = CheckpointedFile(path)
    assert out.done == {"a", "b"}
    out.write("c", b"c\n")
    out.close()
    assert path.read_bytes() == b"a\nb\nc\n"


def test_a_record_written_but_not_listed_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    write(path, ["a"])
    with open(path, "ab") as handle:  # killed after writing "b", before listing it
        handle.write(b"b\n")
    out = CheckpointedFile(path)
    assert out.done == {"a"}
    out.close()
    assert path.read_bytes() == b"a\n"


def test_torn_record_and_torn_list_entry_are_cut_back(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    write(path, ["a", "b"])
    with open(path, "ab") as handle:
        handle.write(b'{"id": "c", "ent')
    with open(tmp_path / "out.jsonl.done", "ab") as handle:
        handle.write(b'[9, "c')
    out = CheckpointedFile(path)
    assert out.done == {"a", "b"}
    out.write("c", b"c\n")
    out.close()
    assert path.read_bytes() == b"a\nb\nc\n"
    assert (tmp_path / "out.jsonl.done").read_text().splitlines() == ['[2, "a"]', '[4, "b"]', '[6, "c"]']


def test_an_entry_beyond_the_end_of_a_shortened_output_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    write(path, ["a", "b"])
    with open(path, "r+b") as handle:  # e.g. the last write never reached the disk
        handle.truncate(3)
    out = CheckpointedFile(path)
    assert out.done == {"a"}
    out.close()
    assert path.read_bytes() == b"a\n"


def test_the_header_is_written_once(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write(path, ["a"], header=b"id\n")
    write(path, ["b"], header=b"id\n")
    assert path.read_bytes() == b"id\na\nb\n"


def test_an_output_not_written_by_tag_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text("precious\n")
    with pytest.raises(ResumeError, match="out.jsonl.done does not"):
        CheckpointedFile(path)
    assert path.read_text() == "precious\n"
