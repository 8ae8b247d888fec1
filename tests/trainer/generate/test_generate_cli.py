"""`synthner generate`: both invocation forms, errors, `--dump-prompts` + `replay` round trip of
a whole multi-stage recipe, and `--resume` after a crash."""

import json
from pathlib import Path

import yaml
from synthner.trainer.cli import app
from typer.testing import CliRunner

from tests.trainer.generate.recipe_helpers import answer_dump, read_jsonl_records, write_lines

runner = CliRunner()
PAIRS = ["metformin\tnausea", "warfarin\tbleeding", "lisinopril\tdry cough"]


def _tagged_config(tmp_path: Path, **backend: object) -> Path:
    config = {
        "backend": backend or {"kind": "replay", "path": str(tmp_path / "answers.jsonl")},
        "recipe": {
            "kind": "tagged",
            "n_items": 3,
            "sampler": {
                "kind": "pairs",
                "source": {"path": str(write_lines(tmp_path / "pairs.tsv", PAIRS))},
                "negative_ratio": 0.34,
                "negative_kinds": ["negated"],
            },
            "verify": {"max_regenerations": 1},
            "sampling": {"max_tokens": 100, "seed": 7},
        },
        "requests_per_call": 2,
    }
    path = tmp_path / "tagged.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def _answer(record: dict) -> str:
    """Hand-written LLM answers: tagged texts, and a "No" for the first verification of item 1."""
    meta = record["meta"]
    item = meta["item"]
    if meta["stage"] == "verify":
        return "No." if item["item"] == "tagged-00001" and meta["attempt"] == 0 else "Yes."
    drug = item["entities"][0][0]
    if item["negative"]:
        return f"The patient denies {item['distractor']} while on <drug>{drug}</drug>."
    effect = item["entities"][1][0]
    attempt = meta["attempt"]
    return f"Attempt {attempt}: <ade>{effect.capitalize()}</ade> began after <drug>{drug}</drug> was started."


def _invoke(*args: str):
    result = runner.invoke(app, ["generate", *[str(a) for a in args]])
    return result


def test_replay_round_trip_of_tagged_with_verification(tmp_path: Path) -> None:
    config = _tagged_config(tmp_path)
    dumped = []
    for round_ in range(6):  # dump, answer, repeat until no prompt is left
        prompts = tmp_path / f"prompts{round_}.jsonl"
        result = _invoke(config, "--dump-prompts", prompts)
        assert result.exit_code == 0, result.output
        dumped.append(answer_dump(prompts, tmp_path / "answers.jsonl", _answer))
        if dumped[-1] == 0:
            break
    # writes; verifications (one says No); the regeneration; its verification; nothing left.
    assert dumped == [3, 3, 1, 1, 0]

    result = _invoke(config, "-o", tmp_path / "corpus")
    assert result.exit_code == 0, result.output
    examples = read_jsonl_records(tmp_path / "corpus" / "train.jsonl")
    items = {
        r["meta"]["item"]["item"]: r["meta"]["item"] for r in read_jsonl_records(tmp_path / "prompts0.jsonl")
    }
    expected = {}
    for name, item in items.items():
        attempt = 1 if name == "tagged-00001" else 0
        tagged = _answer({"meta": {"stage": "write", "item": item, "attempt": attempt}})
        expected[f"{name}-a{attempt}"] = tagged
    assert sorted(e["id"] for e in examples) == sorted(expected)
    for example in examples:
        rendered, cursor = "", 0
        for span in example["entities"]:
            tag = span["label"].lower()
            rendered += (
                example["text"][cursor : span["start"]]
                + f"<{tag}>{example['text'][span['start'] : span['end']]}</{tag}>"
            )
            cursor = span["end"]
        assert rendered + example["text"][cursor:] == expected[example["id"]]
        positive = not items[example["id"][:-3]]["negative"]
        assert example["relations"] == (
            [{"head": 0, "tail": 1, "label": "Adverse-Effect"}] if positive else []
        )
        assert example["meta"]["templates"] == ["tagged.v1", "verify.v1"]
    assert read_jsonl_records(tmp_path / "corpus" / "rejected.jsonl") == [
        {"id": "tagged-00001-a0", "stage": "verify", "reason": "verify_no_regenerated"}
    ]
    card = json.loads((tmp_path / "corpus" / "datacard.json").read_text())
    assert card["llm"]["calls"] == 8 and card["llm"]["calls_per_example"] == round(8 / 3, 3)


def test_dump_prompts_calls_no_backend(tmp_path: Path) -> None:
    # Nothing listens on port 9: any call would fail.
    config = _tagged_config(
        tmp_path, kind="openai", base_url="http://127.0.0.1:9/v1", model="m", max_retries=0
    )
    result = _invoke("run", config, "--dump-prompts", tmp_path / "p.jsonl")
    assert result.exit_code == 0, result.output
    assert len(read_jsonl_records(tmp_path / "p.jsonl")) == 3


def test_both_forms_and_resume_after_a_crash(tmp_path: Path) -> None:
    config = _tagged_config(tmp_path)
    _invoke(config, "--dump-prompts", tmp_path / "p.jsonl")
    answer_dump(tmp_path / "p.jsonl", tmp_path / "answers.jsonl", _answer)
    # Only the writes are answered. Chunks of two: (write 0, write 1) are answered and cached,
    # (write 2, verify 0) fails as a whole, since the replay file lacks the verification.
    crashed = _invoke(config, "-o", tmp_path / "corpus", "--quiet")
    assert crashed.exit_code == 1 and "no completion" in crashed.output
    assert not (tmp_path / "corpus" / "train.jsonl").exists()
    refused = _invoke(config, "-o", tmp_path / "corpus")
    assert refused.exit_code == 1 and "--resume" in refused.output

    for round_ in range(3):
        _invoke(config, "--dump-prompts", tmp_path / f"more{round_}.jsonl")
        answer_dump(tmp_path / f"more{round_}.jsonl", tmp_path / "answers.jsonl", _answer)
    resumed = _invoke(config, "-o", tmp_path / "corpus", "--resume")
    assert resumed.exit_code == 0, resumed.output
    card = json.loads((tmp_path / "corpus" / "datacard.json").read_text())
    assert card["llm"]["cached_calls"] == 2 and card["llm"]["calls"] == 8

    fresh = _invoke("run", config, "-o", tmp_path / "fresh")
    assert fresh.exit_code == 0, fresh.output
    assert (tmp_path / "fresh" / "train.jsonl").read_text() == (
        tmp_path / "corpus" / "train.jsonl"
    ).read_text()


def test_config_errors_name_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "backend": {"kind": "replay", "path": "a.jsonl"},
                "recipe": {"kind": "relation", "few_shot": "x.tsv", "rounds": 0, "colour": 1},
            }
        )
    )
    result = _invoke(path, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "recipe.relation.rounds" in result.output and "recipe.relation.colour" in result.output


def test_shipped_example_configs_are_valid() -> None:
    from importlib import resources

    from synthner.trainer.generate.config import load_config

    folder = resources.files("synthner.trainer.generate") / "configs"
    kinds = {
        load_config(Path(str(folder / name))).recipe.kind
        for name in (
            "seeded_sentences.yaml",
            "tagged_ade.yaml",
            "tagged_biomedical.yaml",
            "annotate.yaml",
            "relation_gad.yaml",
        )
    }
    assert kinds == {"seeded_sentences", "tagged", "annotate", "relation"}
