"""The format registry: detection, label maps, options passed to readers."""

import json
from pathlib import Path

import pytest

from synthner.trainer.corpus.example import CorpusError, Example, Relation, Span
from synthner.trainer.corpus.formats import detect_format, read_corpus, write_corpus


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.jsonl", "jsonl"), ("a.conll", "conll"), ("train.tsv", "conll"), ("a.spacy", "docbin"),
     ("CDR.PubTator.txt", "pubtator"), ("ade_train.json", "ade"), ("doc.ann", "brat")],
)
def test_detects_formats_from_names(name: str, fmt: str) -> None:
    assert detect_format(Path(name)).name == fmt


def test_folders_are_brat_and_ambiguous_names_are_refused(tmp_path: Path) -> None:
    assert detect_format(tmp_path).name == "brat"
    assert detect_format(tmp_path / "new_folder", writing=True).name == "brat"
    with pytest.raises(CorpusError, match=r"notes.txt: cannot tell the format from the name"):
        detect_format(tmp_path / "notes.txt")
    with pytest.raises(CorpusError, match="unknown format 'xml'"):
        read_corpus(tmp_path / "a.jsonl", "xml")
    with pytest.raises(CorpusError, match="format 'pubtator' can be read, not written"):
        write_corpus([], tmp_path / "a.txt", "pubtator")


def test_label_map_renames_entities_and_relations(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{
        "tokens": ["Lithium", "tremor"],
        "entities": [{"type": "Drug", "start": 0, "end": 1}, {"type": "Adverse-Effect", "start": 1, "end": 2}],
        "relations": [{"type": "Adverse-Effect", "head": 1, "tail": 0}],
    }]), encoding="utf-8")
    (example,) = read_corpus(path, label_map={"Adverse-Effect": "ADE"})
    assert example.entities == [Span(0, 7, "Drug"), Span(8, 14, "ADE")]
    assert example.relations == [Relation(1, 0, "ADE")]


def test_default_label_reaches_the_conll_reader_and_writing_round_trips(tmp_path: Path) -> None:
    (tmp_path / "plain.bio").write_text("Severe\tO\nhypokalaemia\tB\n", encoding="utf-8")
    examples = list(read_corpus(tmp_path / "plain.bio", default_label="ADE"))
    assert examples[0].entities == [Span(7, 19, "ADE")]
    assert write_corpus(examples, tmp_path / "out.jsonl") == 1
    assert [e.entities for e in read_corpus(tmp_path / "out.jsonl")] == [[Span(7, 19, "ADE")]]
    dangling = Example("d", "x", [Span(0, 1, "A")], [Relation(0, 3, "R")])
    with pytest.raises(CorpusError, match="out.jsonl: example 'd': relation R points to entity 3"):
        write_corpus([dangling], tmp_path / "out.jsonl")
