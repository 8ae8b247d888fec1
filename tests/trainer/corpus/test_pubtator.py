"""PubTator reading on small invented documents."""

from pathlib import Path

import pytest

from synthner.trainer.corpus.errors import InvalidRecords
from synthner.trainer.corpus.example import CorpusError, Relation
from synthner.trainer.corpus.pubtator import read_pubtator

TITLE = "Lithium tremor in an adult."
ABSTRACT = "A man on lithium and haloperidol developed tremor and ataxia."


def document(pmid: str, annotations: list[str]) -> str:
    lines = [f"{pmid}|t|{TITLE}", f"{pmid}|a|{ABSTRACT}", *(f"{pmid}\t{a}" for a in annotations)]
    return "\n".join(lines) + "\n\n"


def mention(text: str, start: int, end: int, label: str, ids: str, *extra: str) -> str:
    return "\t".join([str(start), str(end), text[start:end], label, ids, *extra])


TEXT = f"{TITLE} {ABSTRACT}"
at = TEXT.index
GOOD = [
    mention(TEXT, 0, 7, "Chemical", "C1"),
    mention(TEXT, 8, 14, "Disease", "D1"),
    mention(TEXT, at("lithium and"), at("lithium and") + 7, "Chemical", "C1"),
    mention(TEXT, at("lithium and"), at(" developed"), "Chemical", "C1|C2", "lithium|haloperidol"),
    mention(TEXT, at("tremor and"), at("tremor and") + 6, "Disease", "D1"),
    mention(TEXT, at("ataxia"), at("ataxia") + 6, "Disease", "-1"),
    "CID\tC1\tD1",
]


def test_reads_title_abstract_overlapping_mentions_and_concept_relations(tmp_path: Path) -> None:
    path = tmp_path / "docs.pubtator"
    path.write_text(document("111", GOOD) + document("222", []), encoding="utf-8")
    first, second = read_pubtator(path)
    assert (first.id, first.text) == ("111", TEXT)
    assert [(first.span_text(s), s.label) for s in first.entities] == [
        ("Lithium", "Chemical"), ("tremor", "Disease"), ("lithium", "Chemical"),
        ("lithium and haloperidol", "Chemical"), ("tremor", "Disease"), ("ataxia", "Disease"),
    ]
    # C1 is carried by three mentions, D1 by two: one relation per mention pair.
    chemicals, diseases = [0, 2, 3], [1, 4]
    assert sorted(first.relations, key=lambda r: (r.head, r.tail)) == [
        Relation(h, t, "CID") for h in chemicals for t in diseases
    ]
    assert (second.id, second.entities, second.relations) == ("222", [], [])


def test_title_only_document(tmp_path: Path) -> None:
    path = tmp_path / "t.pubtator"
    path.write_text(f"9|t|{TITLE}\n9\t0\t7\tLithium\tChemical\tC1\n", encoding="utf-8")
    (example,) = read_pubtator(path)
    assert (example.text, len(example.entities)) == (TITLE, 1)


@pytest.mark.parametrize(
    ("annotation", "problem"),
    [
        ("0\t7\tlithium\tChemical\tC1", "span 0-7 does not cover the mention given in field 4"),
        ("0\t500\tx\tChemical\tC1", "span 0-500 is outside the text of length 89 or empty"),
        ("zero\t7\tLithium\tChemical\tC1", "mention offsets (fields 2 and 3) are not integers"),
        ("0\t7\tLithium", "a mention line has 5 to 7 tab-separated fields, a relation line 4; found 4"),
        ("0\t7\tLithium\t\tC1", "the mention has no type (field 5)"),
        ("CID\tC1\tD9", "relation CID: no mention carries the id 'D9'"),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path: Path, annotation: str, problem: str) -> None:
    path = tmp_path / "bad.pubtator"
    path.write_text(document("5", [GOOD[0], annotation]), encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        list(read_pubtator(path))
    assert (caught.value.source, caught.value.line, caught.value.problem) == (str(path), 4, problem)


def test_structure_errors(tmp_path: Path) -> None:
    path = tmp_path / "s.pubtator"
    path.write_text("5\t0\t7\tLithium\tChemical\tC1\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"s.pubtator:1: expected 'PMID\|t\|text'"):
        list(read_pubtator(path))
    path.write_text(f"5|t|{TITLE}\n6|a|{ABSTRACT}\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="s.pubtator:2: abstract of PMID 6 follows the title of 5"):
        list(read_pubtator(path))
    path.write_text(f"5|t|{TITLE}\n6\t0\t7\tLithium\tChemical\tC1\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="s.pubtator:2: line of PMID '6' inside the document of 5"):
        list(read_pubtator(path))


def test_skip_invalid_drops_the_bad_document_and_counts_it(tmp_path: Path) -> None:
    path = tmp_path / "mixed.pubtator"
    path.write_text(document("1", GOOD) + document("2", ["CID\tC1\tD9"]) + document("3", []), encoding="utf-8")
    invalid = InvalidRecords(skip_invalid=True)
    assert [e.id for e in read_pubtator(path, invalid)] == ["1", "3"]
    assert invalid.counts() == {str(path): 1}
    assert invalid.errors[0].line == 13
