"""Assertion examples: one prompt per (seed, class), parsing of tagged sentences and its
rejections, and a replay round trip whose corpus the assertion classifier reads."""

from pathlib import Path

import yaml
from synthner.trainer.classify.config import ClassifierConfig, ClassifierSource
from synthner.trainer.classify.data import load_items
from synthner.trainer.cli import app
from synthner.trainer.generate.recipes.assertion import ASSERTION_CLASSES, AssertionConfig, AssertionExamples
from typer.testing import CliRunner

from tests.trainer.generate.recipe_helpers import (
    answer_dump,
    assert_card_matches_corpus,
    completion_for,
    read_jsonl_records,
    write_lines,
)

SEEDS = ["nausea\tADE", "type 2 diabetes\tDISEASE"]
ANSWERS = {
    "present": "Patient reports <effect>{e}</effect> since this morning.",
    "negated": "She denies any <effect>{e}</effect>.",
    "hypothetical": "Watch for <effect>{e}</effect> after the dose change.",
    "historical": "He had <effect>{e}</effect> years ago, now resolved.",
    "family": "His mother has <effect>{e}</effect>.",
}


def _recipe(tmp_path: Path, **overrides: object) -> AssertionExamples:
    settings = {
        "kind": "assertion",
        "seeds": {"path": write_lines(tmp_path / "seeds.tsv", SEEDS)},
        **overrides,
    }
    return AssertionExamples(AssertionConfig.model_validate(settings))


def test_one_prompt_per_seed_and_class_saying_what_the_class_means(tmp_path: Path) -> None:
    requests = list(_recipe(tmp_path, per_prompt=4).requests())
    assert [(r.meta["seed"][0], r.meta["assertion"]) for r in requests] == [
        (seed.split("\t")[0], status) for seed in SEEDS for status in ASSERTION_CLASSES
    ]
    family = requests[4].messages[0][1]
    assert "Write 4 different sentences" in family and "<effect>nausea</effect>" in family
    assert "nausea is in a relative of the patient" in family


def test_sentences_tag_the_seed_once_or_are_rejected(tmp_path: Path) -> None:
    recipe = _recipe(tmp_path, classes=["negated"])
    request = next(recipe.requests())
    answer = "\n".join(
        [
            "1. Patient denies <effect>Nausea</effect> today.",
            "2. No nausea reported.",
            "3. No <effect>nausea</effect> or <effect>vomiting</effect>.",
            "4. Denies <effect>headache</effect>.",
            "5. Denies <effect>nausea.",
            "6. She has no <effect>nauseas</effect>",
        ]
    )
    outcome = recipe.parse(request, completion_for(request, answer, tokens=recipe.config.sampling.max_tokens))
    [example] = outcome.accepted
    assert example.text == "Patient denies Nausea today." and example.meta["assertion"] == "negated"
    assert [(s.label, example.span_text(s)) for s in example.entities] == [("ADE", "Nausea")]
    assert [(r.id[-2:], r.reason) for r in outcome.rejected] == [
        ("01", "mention_count"),
        ("02", "mention_count"),
        ("03", "wrong_mention"),
        ("04", "unbalanced_tags"),
        ("05", "truncated"),
    ]


def test_replay_round_trip_gives_a_corpus_the_assertion_classifier_reads(tmp_path: Path) -> None:
    config = {
        "backend": {"kind": "replay", "path": str(tmp_path / "answers.jsonl")},
        "recipe": {
            "kind": "assertion",
            "seeds": {"path": str(write_lines(tmp_path / "seeds.tsv", SEEDS))},
            "per_prompt": 1,
        },
    }
    path = tmp_path / "assertion.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["generate", str(path), "--dump-prompts", str(tmp_path / "prompts.jsonl")])
    assert result.exit_code == 0, result.output

    def answer(record: dict) -> str:
        name = record["meta"]["seed"][0]
        return "1. " + ANSWERS[record["meta"]["assertion"]].format(e=name)

    assert answer_dump(tmp_path / "prompts.jsonl", tmp_path / "answers.jsonl", answer) == 10
    result = runner.invoke(app, ["generate", str(path), "-o", str(tmp_path / "corpus")])
    assert result.exit_code == 0, result.output
    records = read_jsonl_records(tmp_path / "corpus" / "train.jsonl")
    assert sorted((r["entities"][0]["label"], r["meta"]["assertion"]) for r in records) == sorted(
        (label, status) for label in ("ADE", "DISEASE") for status in ASSERTION_CLASSES
    )
    card = yaml.safe_load((tmp_path / "corpus" / "datacard.json").read_text())
    assert_card_matches_corpus(card, tmp_path / "corpus")
    classifier = ClassifierConfig(task="assertion", train=[ClassifierSource(path="x")], output="unused")
    items = load_items(ClassifierSource(path=tmp_path / "corpus" / "train.jsonl"), classifier)
    assert sorted(item.label for item in items) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert "She denies any @PROBLEM$." in [item.text for item in items]
