"""Inline-tagged text files: one example per line."""

from pathlib import Path

import pytest

from synthner.trainer.corpus.errors import InvalidRecords
from synthner.trainer.corpus.example import CorpusError, Example, Span
from synthner.trainer.corpus.inline_file import read_inline, write_inline


def test_reads_one_example_per_line_and_skips_empty_lines(tmp_path: Path) -> None:
    path = tmp_path / "tagged.txt"
    path.write_text("<drug>Warfarin</drug> then <ade> bruising </ade>.\n\nNo findings.\n", encoding="utf-8")
    first, second = read_inline(path)
    assert (first.id, first.text) == ("tagged-1", "Warfarin then  bruising .")
    assert first.entities == [Span(0, 8, "DRUG"), Span(15, 23, "ADE")]
    assert (second.id, second.text, second.entities) == ("tagged-3", "No findings.", [])


def test_bad_lines_name_file_and_line_and_can_be_skipped(tmp_path: Path) -> None:
    path = tmp_path / "tagged.txt"
    path.write_text("<drug>a</drug>\n<drug>b</ade>\n<drug>c\n<ade></ade>\nfine\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"tagged.txt:2: example 'tagged-2': </ade> closes no open <ade>"):
        list(read_inline(path))
    invalid = InvalidRecords(skip_invalid=True)
    assert [e.text for e in read_inline(path, invalid)] == ["a", "fine"]
    assert [e.line for e in invalid.errors] == [2, 3, 4]


def test_writer_refuses_what_one_tagged_line_cannot_hold(tmp_path: Path) -> None:
    refused = [
        Example("a", "two\nlines"),
        Example("b", "a <b> tag"),
        Example("c", "edge space", [Span(4, 10, "ADE")]),
        Example("d", "lower", [Span(0, 5, "Drug")]),
        Example("e", "overlap", [Span(0, 7, "ADE"), Span(2, 4, "ADE")]),
    ]
    good = Example("f", "Took lithium.", [Span(5, 12, "DRUG")])
    with pytest.raises(CorpusError, match="example 'a': the text is empty or holds a line break"):
        write_inline(refused[:1], tmp_path / "x.txt")
    invalid = InvalidRecords(skip_invalid=True)
    assert write_inline([*refused, good], tmp_path / "out.txt", invalid) == 1
    assert len(invalid.errors) == len(refused)
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "Took <drug>lithium</drug>.\n"
