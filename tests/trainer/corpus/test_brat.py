"""BRAT standoff reading and writing on small invented documents."""

from pathlib import Path

import pytest

from synthner.trainer.corpus.brat import read_brat, write_brat
from synthner.trainer.corpus.errors import InvalidRecords
from synthner.trainer.corpus.example import CorpusError, Example, Relation, Span

TEXT = "Started clozapine in May.\r\nSevere\r\nagranulocytosis followed; clozapine stopped."


def write_pair(folder: Path, name: str, text: str, ann: str) -> None:
    folder.mkdir(exist_ok=True)
    with open(folder / f"{name}.txt", "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    with open(folder / f"{name}.ann", "w", encoding="utf-8", newline="") as handle:
        handle.write(ann)


def t_line(key: str, label: str, *fragments: tuple[int, int], text: str = TEXT) -> str:
    offsets = ";".join(f"{s} {e}" for s, e in fragments)
    return f"{key}\t{label} {offsets}\t{' '.join(text[s:e] for s, e in fragments)}\n"


def test_reads_entities_relations_and_counts_what_it_ignores(tmp_path: Path) -> None:
    drug, severe = TEXT.index("clozapine"), TEXT.index("Severe")
    ade_end = TEXT.index(" followed")
    ann = (
        t_line("T2", "ADE", (severe, severe + 6), (severe + 8, ade_end))  # split at the CRLF, as BRAT does
        + t_line("T1", "DRUG", (drug, drug + 9))
        + t_line("T3", "SEVERITY", (severe, severe + 6))  # overlaps T2
        + "R1\tCAUSES Arg1:T1 Arg2:T2\n"
        + "A1\tNegated T2\nN1\tReference T1 RxNorm:2626\tclozapine\n#1\tAnnotatorNotes T1\tchecked\n"
    )
    write_pair(tmp_path, "note-b", TEXT, ann)
    write_pair(tmp_path, "note-a", "Nothing here.", "")
    empty, example = read_brat(tmp_path)
    assert (empty.id, empty.text, empty.entities) == ("note-a", "Nothing here.", [])
    assert (example.id, example.text) == ("note-b", TEXT)
    assert example.entities == [
        Span(drug, drug + 9, "DRUG"), Span(severe, severe + 6, "SEVERITY"), Span(severe, ade_end, "ADE")
    ]
    assert example.relations == [Relation(0, 2, "CAUSES")]
    assert example.meta == {"brat_ignored": {"#": 1, "A": 1, "N": 1}}
    (single,) = read_brat(tmp_path / "note-b.ann")
    assert single == example


@pytest.mark.parametrize(
    ("ann", "line", "problem"),
    [
        (t_line("T1", "DRUG", (8, 17)) + "T2\tADE 0 7;18 20\tStarted in\n", 2, "discontinuous entity (0 7;18 20) has text"),
        (t_line("T1", "DRUG", (8, 17)) + "R1\tCAUSES Arg1:T1 Arg2:T9\n", 2, "relation CAUSES points to T9"),
        ("T1\tDRUG 8 17\tclozapinX\n", 1, "offsets 8 17 do not cover the mention"),
        ("T1\tDRUG 8 900\tx\n", 1, "span 8-900 is outside the text"),
        ("T1\tDRUG 8\tclozapine\n", 1, "expected 'Tn TAB Label start end"),
        ("R1\tCAUSES T1 T2\n", 1, "expected 'Rn TAB Label Arg1:Tx Arg2:Ty'"),
        ("\n\nE1\tTreatment:T1 Theme:T2\n", 3, "annotation 'E1' is not supported"),
        (t_line("T1", "DRUG", (8, 17)) * 2, 2, "entity id T1 is used twice"),
    ],
)
def test_bad_lines_name_the_ann_file_and_line(tmp_path: Path, ann: str, line: int, problem: str) -> None:
    write_pair(tmp_path, "bad", TEXT, ann)
    with pytest.raises(CorpusError) as caught:
        list(read_brat(tmp_path))
    assert (caught.value.source, caught.value.line) == (str(tmp_path / "bad.ann"), line)
    assert caught.value.problem.startswith(problem)


def test_skip_invalid_drops_the_document_and_counts_missing_pairs(tmp_path: Path) -> None:
    write_pair(tmp_path, "a", "Took lithium.", t_line("T1", "DRUG", (5, 12), text="Took lithium."))
    write_pair(tmp_path, "b", TEXT, "R1\tCAUSES Arg1:T1 Arg2:T2\n")
    (tmp_path / "c.txt").write_text("no annotations file", encoding="utf-8")
    invalid = InvalidRecords(skip_invalid=True)
    assert [e.id for e in read_brat(tmp_path, invalid)] == ["a"]
    assert invalid.counts() == {str(tmp_path / "b.ann"): 1, str(tmp_path / "c.ann"): 1}
    assert invalid.errors[1].problem == "c.ann is missing: BRAT needs both .txt and .ann"


def test_writer_splits_spans_at_line_breaks_and_keeps_the_text_exact(tmp_path: Path) -> None:
    severe = TEXT.index("Severe")
    end = TEXT.index(" followed")
    example = Example("n1", TEXT, [Span(severe, end, "ADE"), Span(8, 17, "DRUG")], [Relation(1, 0, "CAUSES")])
    assert write_brat([example], tmp_path / "out") == 1
    assert (tmp_path / "out" / "n1.txt").read_bytes() == TEXT.encode()
    assert (tmp_path / "out" / "n1.ann").read_text(encoding="utf-8") == (
        f"T1\tDRUG 8 17\tclozapine\nT2\tADE {severe} {severe + 6};{severe + 8} {end}\tSevere agranulocytosis\n"
        "R1\tCAUSES Arg1:T1 Arg2:T2\n"
    )
    assert list(read_brat(tmp_path / "out")) == [example.sorted()]


def test_writer_refuses_unsafe_or_repeated_ids_and_line_break_edges(tmp_path: Path) -> None:
    bad_id = Example("../escape", "text")
    line_edge = Example("e", "a\nb", [Span(1, 3, "X")])
    spaced_label = Example("s", "ab", [Span(0, 2, "two words")])
    good = Example("g", "ok")
    with pytest.raises(CorpusError, match="'../escape': the id is not a safe file name"):
        write_brat([bad_id], tmp_path / "out")
    invalid = InvalidRecords(skip_invalid=True)
    assert write_brat([good, line_edge, spaced_label, good], tmp_path / "out", invalid) == 1
    assert [e.problem.split(": ", 1)[1][:24] for e in invalid.errors] == [
        "span 1-3 starts or ends ", "label 'two words' is emp", "the id is used twice"
    ]
    assert not (tmp_path / "escape.txt").exists()
