"""Tagged generation: tag parsing and validation (malformed, nested, unknown, missing, negatives),
relations, self-verification with regeneration, the seed sampler, and SmolLM2 end to end."""

from pathlib import Path

import pytest
from synthner.trainer.generate.recipes.tagged import TaggedGeneration
from synthner.trainer.generate.recipes.tagged_items import TaggedConfig

from tests.trainer.generate.recipe_helpers import (
    assert_card_matches_corpus,
    completion_for,
    run_pipeline,
    write_lines,
)


def _config(tmp_path: Path, **overrides: object) -> dict:
    pairs = write_lines(
        tmp_path / "pairs.tsv", ["metformin\tnausea", "warfarin\tbleeding", "lisinopril\tdry cough"]
    )
    return {
        "kind": "tagged",
        "n_items": 4,
        "sampler": {"kind": "pairs", "source": {"path": pairs}, "negative_ratio": 0.5},
        "sampling": {"max_tokens": 64, "seed": 1},
        **overrides,
    }


def _recipe(tmp_path: Path, **overrides: object) -> TaggedGeneration:
    return TaggedGeneration(TaggedConfig.model_validate(_config(tmp_path, **overrides)))


def _first(recipe: TaggedGeneration, negative: bool):
    return next(r for r in recipe.requests() if bool(r.meta["item"]["negative"]) == negative)


def test_items_mix_positives_and_negative_kinds(tmp_path: Path) -> None:
    recipe = _recipe(tmp_path, n_items=8)
    items = [r.meta["item"] for r in recipe.requests()]
    negatives = [item for item in items if item["negative"]]
    assert len(negatives) == 4
    assert sorted(item["negative"] for item in negatives) == [
        "disease",
        "hypothetical",
        "indication",
        "negated",
    ]
    assert all(len(item["entities"]) == 1 for item in negatives)
    assert all(len(item["entities"]) == 2 for item in items if not item["negative"])
    negated = next(r for r in recipe.requests() if r.meta["item"]["negative"] == "negated")
    assert "must not describe any adverse effect" in negated.messages[0][1]
    assert negated.meta["item"]["distractor"] in negated.messages[0][1]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("<drug>metformin</drug> caused <ade>nausea.", "unbalanced_tags"),
        ("<drug>metformin <ade>nausea</ade></drug>", "nested_tags"),
        ("<drug>metformin</drug> caused <symptom>nausea</symptom>.", "unknown_tag"),
        ("<drug></drug> caused <ade>nausea</ade>.", "empty_tag"),
        ("<drug>aspirin</drug> caused <ade>nausea</ade>.", "missing_entity"),
        ("Metformin caused nausea.", "missing_entity"),
    ],
)
def test_bad_tags_are_rejected_with_a_reason(tmp_path: Path, answer: str, reason: str) -> None:
    recipe = _recipe(tmp_path, verify=None)
    request = _first(recipe, negative=False)
    item = request.meta["item"]
    answer = answer.replace("metformin", item["entities"][0][0]).replace("nausea", item["entities"][1][0])
    outcome = recipe.parse(request, completion_for(request, answer))
    assert not outcome.accepted and not outcome.follow_ups
    assert [(r.stage, r.reason) for r in outcome.rejected] == [("tags", reason)]


def test_negative_with_an_effect_tag_is_rejected(tmp_path: Path) -> None:
    recipe = _recipe(tmp_path, verify=None)
    request = _first(recipe, negative=True)
    drug = request.meta["item"]["entities"][0][0]
    bad = recipe.parse(
        request, completion_for(request, f"She denies <ade>nausea</ade> on <drug>{drug}</drug>.")
    )
    assert [(r.stage, r.reason) for r in bad.rejected] == [("tags", "negative_has_effect")]
    good = recipe.parse(request, completion_for(request, f"She denies nausea on <drug>{drug}</drug>."))
    assert len(good.accepted) == 1 and good.accepted[0].relations == []


def test_positive_gets_relation_effect_to_drug(tmp_path: Path) -> None:
    recipe = _recipe(tmp_path, verify=None)
    request = _first(recipe, negative=False)
    (drug, _), (effect, _) = request.meta["item"]["entities"]
    answer = f"Here is the text:\n<drug>{drug.upper()}</drug> was started; <ade>{effect}s</ade> followed."
    [example] = recipe.parse(request, completion_for(request, answer)).accepted
    assert [(example.span_text(s), s.label) for s in example.entities] == [
        (drug.upper(), "DRUG"),
        (f"{effect}s", "ADE"),
    ]
    [relation] = example.relations
    assert (relation.head, relation.tail, relation.label) == (1, 0, "Adverse-Effect")
    assert example.meta["templates"] == ["tagged.v1"]


def test_verification_accepts_yes_and_regenerates_no_up_to_k(tmp_path: Path) -> None:
    recipe = _recipe(tmp_path, verify={"max_regenerations": 1})
    request = _first(recipe, negative=False)
    (drug, _), (effect, _) = request.meta["item"]["entities"]
    tagged = f"<drug>{drug}</drug> led to <ade>{effect}</ade>."
    [verify] = recipe.parse(request, completion_for(request, tagged)).follow_ups
    assert verify.meta["stage"] == "verify" and verify.meta["template"] == "verify.v1"
    assert tagged in verify.messages[0][1]

    [example] = recipe.parse(verify, completion_for(verify, "Yes, the tags are correct.")).accepted
    assert example.id.endswith("-a0") and example.meta["templates"] == ["tagged.v1", "verify.v1"]
    assert example.relations

    no = recipe.parse(verify, completion_for(verify, "No."))
    [regenerate] = no.follow_ups
    assert [(r.stage, r.reason) for r in no.rejected] == [("verify", "verify_no_regenerated")]
    assert regenerate.meta["attempt"] == 1 and regenerate.seed == request.seed + 1
    assert regenerate.prompt_id != request.prompt_id and regenerate.messages == request.messages

    [verify_again] = recipe.parse(regenerate, completion_for(regenerate, tagged)).follow_ups
    final = recipe.parse(verify_again, completion_for(verify_again, "I am not sure."))
    assert not final.follow_ups and [(r.reason) for r in final.rejected] == ["verify_unclear"]


def test_seed_sampler_with_chemical_and_disease_tags(tmp_path: Path) -> None:
    seeds = write_lines(
        tmp_path / "seeds.tsv", ["cisplatin\tCHEMICAL", "nephrotoxicity\tDISEASE", "lithium\tCHEMICAL"]
    )
    recipe = _recipe(
        tmp_path,
        n_items=3,
        verify=None,
        sampler={"kind": "seeds", "source": {"path": seeds}, "per_item": 2},
        tags={
            "chemical": {"label": "CHEMICAL", "description": "a chemical"},
            "disease": {"label": "DISEASE", "description": "a disease"},
        },
    )
    request = next(recipe.requests())
    assert "<chemical>" in request.messages[0][1] and "<ade>" not in request.messages[0][1]
    answer = " and ".join(f"<{tag}>{name}</{tag}>" for name, tag in request.meta["item"]["entities"]) + "."
    [example] = recipe.parse(request, completion_for(request, answer)).accepted
    assert {s.label for s in example.entities} <= {"CHEMICAL", "DISEASE"} and example.relations == []


def test_balanced_seed_sampler_gives_each_item_one_seed_per_label(tmp_path: Path) -> None:
    lines = ["cisplatin\tCHEMICAL"] + [f"disease number {i}\tDISEASE" for i in range(5)]
    recipe = _recipe(
        tmp_path,
        n_items=6,
        verify=None,
        sampler={"kind": "seeds", "source": {"path": write_lines(tmp_path / "s.tsv", lines)},
                 "per_item": 2, "balance_labels": True},
        tags={
            "chemical": {"label": "CHEMICAL", "description": "a chemical"},
            "disease": {"label": "DISEASE", "description": "a disease"},
        },
    )
    items = [request.meta["item"]["entities"] for request in recipe.requests()]
    assert all(sorted(tag for _, tag in entities) == ["chemical", "disease"] for entities in items)
    assert len({name for entities in items for name, tag in entities if tag == "disease"}) == 5


def test_seed_label_without_a_tag_is_an_error(tmp_path: Path) -> None:
    seeds = write_lines(tmp_path / "seeds.tsv", ["cisplatin\tCHEMICAL"])
    with pytest.raises(ValueError, match="CHEMICAL"):
        _recipe(tmp_path, sampler={"kind": "seeds", "source": {"path": seeds}})


def test_pair_sampler_tags_must_exist() -> None:
    with pytest.raises(ValueError, match="drug_tag"):
        TaggedConfig.model_validate(
            {
                "kind": "tagged",
                "n_items": 1,
                "sampler": {"kind": "pairs", "source": {"path": "p.tsv"}, "drug_tag": "med"},
            }
        )


@pytest.mark.slow
def test_tagged_with_verification_end_to_end_with_smollm2(tmp_path: Path, smollm2_backend) -> None:
    recipe = _config(
        tmp_path,
        n_items=2,
        verify={"max_regenerations": 1, "max_tokens": 4},
        sampling={"temperature": 0.7, "max_tokens": 40, "seed": 5},
    )
    card = run_pipeline(tmp_path / "out", recipe, {"default": smollm2_backend})
    calls = card["llm"]["calls_by_stage"]
    # Each write either fails validation, or is verified and (on "No") regenerated at most once.
    assert 2 <= calls["write"] <= 4 and calls.get("verify", 0) <= calls["write"]
    assert_card_matches_corpus(card, tmp_path / "out")
