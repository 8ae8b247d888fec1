"""Relation examples: few-shot file checks, mask validation, label stripping, the
relation-classification JSONL output, and SmolLM2 end to end."""

from pathlib import Path

import pytest
from synthner.trainer.corpus.example import CorpusError
from synthner.trainer.generate.recipes.relation import RelationConfig, RelationExamples, read_few_shot

from tests.trainer.generate.recipe_helpers import (
    assert_card_matches_corpus,
    completion_for,
    read_jsonl_records,
    run_pipeline,
    write_lines,
)

SHOTS = [
    "Variants of @GENE$ raise the risk of @DISEASE$.\t1",
    "@GENE$ expression predicts @DISEASE$ progression.\t1",
    "No link between @GENE$ and @DISEASE$ was found.\t0",
    "@DISEASE$ cohorts were genotyped, including @GENE$.\t0",
]


def _recipe(tmp_path: Path, **overrides: object) -> RelationExamples:
    few_shot = write_lines(tmp_path / "shots.tsv", SHOTS)
    settings = {
        "kind": "relation",
        "few_shot": few_shot,
        "rounds": 1,
        "per_round": 3,
        "shots": 2,
        **overrides,
    }
    return RelationExamples(RelationConfig.model_validate(settings))


def test_few_shot_file_errors_name_the_line(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "bad.tsv", ["sentence\tlabel", SHOTS[0], "@GENE$ without the other.\t1"])
    with pytest.raises(CorpusError, match=r"bad.tsv:3"):
        read_few_shot(path, ("@GENE$", "@DISEASE$"))
    path = write_lines(tmp_path / "bad2.tsv", [SHOTS[0], "@GENE$ and @DISEASE$.\tmaybe"])
    with pytest.raises(CorpusError, match=r"bad2.tsv:2"):
        read_few_shot(path, ("@GENE$", "@DISEASE$"))
    with pytest.raises(CorpusError, match="both"):
        read_few_shot(write_lines(tmp_path / "pos.tsv", SHOTS[:2]), ("@GENE$", "@DISEASE$"))


def test_one_positive_and_one_negative_prompt_per_round(tmp_path: Path) -> None:
    requests = list(_recipe(tmp_path, rounds=2).requests())
    assert [r.meta["label"] for r in requests] == [1, 0, 1, 0]
    positive = requests[0].messages[0][1]
    assert "Write 3 new" in positive and "associated" in positive
    assert sum(shot.split("\t")[0] in positive for shot in SHOTS[:2]) == 2


def test_masks_must_occur_exactly_once(tmp_path: Path) -> None:
    recipe = _recipe(tmp_path)
    request = next(recipe.requests())
    answer = "\n".join(
        [
            "1. The @DISEASE$ risk allele lies in @GENE$.\t1",
            "2. @GENE$ and @GENE$ both relate to @DISEASE$.",
            "3. @GENE$ was studied.",
            "4. Carriers of @GENE$ variants develop @DISEASE$ (1)",
        ]
    )
    outcome = recipe.parse(request, completion_for(request, answer))
    assert [e.text for e in outcome.accepted] == [
        "The @DISEASE$ risk allele lies in @GENE$.",
        "Carriers of @GENE$ variants develop @DISEASE$",
    ]
    assert [(r.id[-2:], r.reason) for r in outcome.rejected] == [("01", "mask_count"), ("02", "mask_count")]
    first = outcome.accepted[0]
    assert [s.label for s in first.entities] == ["DISEASE", "GENE"]
    [relation] = first.relations
    assert (relation.head, relation.tail) == (1, 0)  # head is the first mask (the gene)


@pytest.mark.slow
def test_relation_end_to_end_with_smollm2(tmp_path: Path, smollm2_backend) -> None:
    recipe = {
        "kind": "relation",
        "few_shot": write_lines(tmp_path / "shots.tsv", SHOTS),
        "rounds": 1,
        "per_round": 2,
        "shots": 2,
        "sampling": {"temperature": 0.7, "max_tokens": 48, "seed": 4},
    }
    card = run_pipeline(tmp_path / "out", recipe, {"default": smollm2_backend})
    assert card["llm"]["calls"] == 2 and card["output_format"] == "relation"
    records = read_jsonl_records(tmp_path / "out" / "train.jsonl")
    assert all(set(r) == {"id", "text", "label", "meta"} and r["label"] in (0, 1) for r in records)
    assert all(r["text"].count("@GENE$") == 1 == r["text"].count("@DISEASE$") for r in records)
    assert_card_matches_corpus(card, tmp_path / "out")
