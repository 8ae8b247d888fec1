"""IOB/CoNLL reading and writing on small invented files."""

import re
from pathlib import Path

import pytest

from synthner.trainer.corpus.conll import read_conll, to_tagged_tokens, write_conll
from synthner.trainer.corpus.errors import InvalidRecords
from synthner.trainer.corpus.example import CorpusError, Example, Span


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


def test_reads_typed_tags_tabs_or_spaces_and_skips_docstart(tmp_path: Path) -> None:
    path = write(
        tmp_path / "notes.conll",
        "-DOCSTART- O\n\nRash\tB-ADE\nafter\tO\nlow\tB-DRUG\n-dose\tI-DRUG\nwarfarin\tI-DRUG\n.\tO\n-DOCSTART- -X- -X- O\n"  # ends the sentence without a blank line
        "Denies nausea today\nDenies O\nnausea B-ADE\n",
    )
    with pytest.raises(CorpusError, match="notes.conll:10: expected 2 fields"):
        list(read_conll(path))
    path = write(tmp_path / "notes.conll", path.read_text().replace("Denies nausea today\n", ""))
    first, second = read_conll(path)
    assert first.text == "Rash after low -dose warfarin ."
    assert [(first.span_text(s), s.label) for s in first.entities] == [("Rash", "ADE"), ("low -dose warfarin", "DRUG")]
    assert first.entities[1] == Span(11, 29, "DRUG")
    assert (second.id, second.text, second.entities) == ("notes-2", "Denies nausea", [Span(7, 13, "ADE")])


def test_plain_tags_need_a_default_label(tmp_path: Path) -> None:
    path = write(tmp_path / "plain.iob", "Severe\tO\nmyalgia\tB\npersisted\tI\n")
    with pytest.raises(CorpusError, match=r"plain.iob:2: untyped tag 'B' and no default label"):
        list(read_conll(path))
    (example,) = read_conll(path, default_label="ADE")
    assert [(example.span_text(s), s.label) for s in example.entities] == [("myalgia persisted", "ADE")]


def test_i_tag_without_a_matching_begin_starts_an_entity(tmp_path: Path) -> None:
    path = write(tmp_path / "iob1.conll", "took\tO\nsertraline\tI-DRUG\nthen\tO\ntremor\tI-ADE\ngait\tI-DRUG\n")
    (example,) = read_conll(path)
    assert [(example.span_text(s), s.label) for s in example.entities] == [
        ("sertraline", "DRUG"), ("tremor", "ADE"), ("gait", "DRUG")
    ]


def test_extra_columns_are_fine_when_every_line_has_them(tmp_path: Path) -> None:
    path = write(tmp_path / "c2003.conll", "Cisplatin NNP B-NP B-DRUG\nhelps VBZ B-VP O\n")
    (example,) = read_conll(path)
    assert example.entities == [Span(0, 9, "DRUG")]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("aspirin\tB-DRUG\nrash\tB-ADE\textra\n", "x.conll:2: expected 2 fields (token ... tag), found 3"),
        ("aspirin\n", "x.conll:1: expected 2 fields"),
        ("aspirin\tB_DRUG\n", "x.conll:1: unknown tag in the last field"),
        ("aspirin\tB-\n", "x.conll:1: unknown tag"),
        ("\tO\n", "x.conll:1: empty token"),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path: Path, content: str, problem: str) -> None:
    with pytest.raises(CorpusError, match=re.escape(problem)):
        list(read_conll(write(tmp_path / "x.conll", content)))


def test_skip_invalid_drops_only_the_bad_sentence_and_counts_it(tmp_path: Path) -> None:
    path = write(tmp_path / "x.conll", "a\tO\n\nb\tS-DRUG\nc\tO\n\nd\tB-ADE\n")
    invalid = InvalidRecords(skip_invalid=True)
    assert [e.text for e in read_conll(path, invalid)] == ["a", "d"]
    assert invalid.counts() == {str(path): 1}
    assert (invalid.errors[0].line, invalid.errors[0].source) == (3, str(path))


def test_writer_cuts_tokens_at_punctuation_and_entity_edges() -> None:
    example = Example("n1", "Took  metformin-induced\tlactic acidosis,\r\nstopped.", [
        Span(6, 15, "DRUG"), Span(24, 39, "ADE")
    ])
    assert to_tagged_tokens(example) == [
        ("Took", "O"), ("metformin", "B-DRUG"), ("-", "O"), ("induced", "O"),
        ("lactic", "B-ADE"), ("acidosis", "I-ADE"), (",", "O"), ("stopped", "O"), (".", "O"),
    ]
    # An entity edge inside a word splits the word, so the span survives.
    inside = Example("n2", "antiTNF", [Span(4, 7, "DRUG")])
    assert to_tagged_tokens(inside) == [("anti", "O"), ("TNF", "B-DRUG")]


def test_writer_refuses_what_iob_cannot_hold(tmp_path: Path) -> None:
    overlapping = Example("o", "low dose warfarin", [Span(0, 17, "DRUG"), Span(9, 17, "DRUG")])
    blank_span = Example("b", "a   b", [Span(1, 3, "ADE")])
    good = Example("g", "fine", [Span(0, 4, "ADE")])
    with pytest.raises(CorpusError, match="overlaps"):
        write_conll([overlapping], tmp_path / "o.conll")
    invalid = InvalidRecords(skip_invalid=True)
    assert write_conll([overlapping, blank_span, good], tmp_path / "out.conll", invalid) == 1
    assert "covers only whitespace" in invalid.errors[1].problem
    assert (tmp_path / "out.conll").read_text() == "fine\tB-ADE\n\n"
