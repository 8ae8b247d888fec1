"""Classifier training data: masked TSV and JSONL, corpora with relations, assertion corpora,
and errors that name the file and line (or example)."""

import json
from pathlib import Path

import pytest

from synthner.trainer.classify.config import ClassifierConfig, ClassifierSource
from synthner.trainer.classify.data import Item, load_items, relation_pairs
from synthner.trainer.corpus import CorpusError, Example, Relation, Span
from tests.classifier_data import assertion_examples, write_examples

GENE_DISEASE = {"head": "GENE", "tail": "DISEASE", "label": "ASSOCIATED"}


def config(task: str = "relation", **settings: object) -> ClassifierConfig:
    return ClassifierConfig(task=task, train=[ClassifierSource(path="unused")], output="unused", **settings)


def items(path: Path, **settings: object) -> list[Item]:
    cfg = config(**settings)
    return load_items(ClassifierSource(path=path), cfg)


def test_masked_tsv_rows_are_inputs_as_they_are(tmp_path: Path) -> None:
    path = tmp_path / "gad.tsv"
    path.write_text(
        "sentence\tlabel\n@GENE$ variants raise @DISEASE$ risk.\t1\n\nNo link of @GENE$ to @DISEASE$.\t0\n"
    )
    assert items(path, pairs=[GENE_DISEASE]) == [
        Item("@GENE$ variants raise @DISEASE$ risk.", 1),
        Item("No link of @GENE$ to @DISEASE$.", 0),
    ]


def test_masked_rows_with_a_bad_label_or_missing_mask_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("@GENE$ and @DISEASE$.\t1\n@GENE$ alone.\t0\n")
    with pytest.raises(
        CorpusError, match=r"bad.tsv:2: the sentence must hold @GENE\$ and @DISEASE\$ once each"
    ):
        items(path, pairs=[GENE_DISEASE])
    path.write_text("@GENE$ and @DISEASE$.\tyes\n")
    with pytest.raises(CorpusError, match=r"bad.tsv:1: label 'yes' is not 0 or 1"):
        items(path, pairs=[GENE_DISEASE])


def test_relation_recipe_jsonl_is_read_as_masked_records(tmp_path: Path) -> None:
    path = tmp_path / "recipe.jsonl"
    records = [
        {"id": "a", "text": "@DRUG$ caused @ADE$.", "label": 1, "meta": {}},
        {"id": "b", "text": "@ADE$ before @DRUG$.", "label": 0, "meta": {}},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert items(path) == [Item("@DRUG$ caused @ADE$.", 1), Item("@ADE$ before @DRUG$.", 0)]


def test_corpus_pairs_are_labelled_by_relations_in_either_direction(tmp_path: Path) -> None:
    text = "Lisinopril was continued; on warfarin she developed bleeding."
    entities = [Span(0, 10, "Drug"), Span(29, 37, "Drug"), Span(52, 60, "Adverse-Effect")]
    example = Example("e1", text, entities, [Relation(2, 1, "Adverse-Effect")])
    path = write_examples([example], tmp_path / "ade.jsonl")
    label_map = {"Drug": "DRUG", "Adverse-Effect": "ADE"}
    assert items(path, label_map=label_map) == [
        Item("@DRUG$ was continued; on warfarin she developed @ADE$.", 0),
        Item("Lisinopril was continued; on @DRUG$ she developed @ADE$.", 1),
    ]
    with pytest.raises(CorpusError, match=r"ade.jsonl: no candidate DRUG-ADE pair is linked.*--map"):
        items(path)


def test_gold_links_that_are_no_candidate_are_counted_as_uncovered() -> None:
    text = "Phenytoin hypersensitivity syndrome. Then warfarin. Bleeding followed."
    entities = [Span(0, 9, "DRUG"), Span(0, 35, "ADE"), Span(42, 50, "DRUG"), Span(52, 60, "ADE")]
    relations = [Relation(1, 0, "Adverse-Effect"), Relation(3, 2, "Adverse-Effect")]
    pairs = relation_pairs([Example("e", text, entities, relations)], config())
    assert pairs.items == [] and pairs.uncovered == 2
    near = relation_pairs([Example("e", text, entities, relations)], config(max_distance=5))
    assert [item.label for item in near.items] == [1] and near.uncovered == 1


def test_assertion_items_mask_each_target_mention(tmp_path: Path) -> None:
    path = write_examples(assertion_examples(1, seed=3), tmp_path / "assertion.jsonl")
    found = items(path, task="assertion")
    assert [item.label for item in found] == [0, 1, 2, 3, 4]
    assert found[1].text == "Patient denies @PROBLEM$."


def test_assertion_examples_without_a_known_class_or_target_are_errors(tmp_path: Path) -> None:
    bad = Example("x1", "Patient denies rash.", [Span(15, 19, "ADE")], [], {"assertion": "maybe"})
    path = write_examples([bad], tmp_path / "bad.jsonl")
    with pytest.raises(CorpusError, match=r"bad.jsonl: example 'x1': meta.assertion is 'maybe'"):
        items(path, task="assertion")
    drug_only = Example("x2", "Patient denies rash.", [Span(15, 19, "DRUG")], [], {"assertion": "negated"})
    path = write_examples([drug_only], tmp_path / "drug.jsonl")
    with pytest.raises(CorpusError, match=r"example 'x2' has no mention labelled"):
        items(path, task="assertion")


def test_relation_classes_are_fixed_and_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="relation classes are fixed"):
        config(labels=["no", "yes"])
    with pytest.raises(FileNotFoundError, match="nothing.tsv does not exist"):
        items(tmp_path / "nothing.tsv")
