"""The data card: every count equals what `train.jsonl` and `rejected.jsonl` hold, through all
stages (recipe, filters, duplicates, leakage), with prompts, seeds and LLM costs recorded."""

import hashlib
import json
from pathlib import Path

from synthner.trainer.generate.config import parse_config
from synthner.trainer.generate.pipeline import dump_prompts, generate_corpus

from tests.trainer.generate.recipe_helpers import answer_dump, assert_card_matches_corpus, write_lines

# Answers keyed by the first seed of each prompt; each exercises a different stage.
ANSWERS = {
    "metformin": "1. Metformin was started for type 2 diabetes in the clinic.\n"
    "2. The weather was pleasant all week long.\n"  # no seed
    "3. Metformin.\n"  # too short
    "4. METFORMIN was started for type 2 diabetes in the clinic!",  # exact duplicate
    "nausea": "1. Nausea was reported two days after the first dose of the new drug.\n"
    "2. Nausea was reported three days after the first dose of the new drug.\n"  # near duplicate
    "3. Lisinopril was discontinued because of a persistent dry cough and nausea.",  # leaked
    "warfarin": "Here you go:\n- Warfarin <b>was</b> held before the procedure.\n"  # markup
    "- Bleeding on warfarin stopped.",
}
REFERENCE = ["Lisinopril was discontinued because of a persistent dry cough and nausea."]


def _config(tmp_path: Path) -> dict:
    seeds = write_lines(tmp_path / "seeds.tsv", ["metformin\tDRUG", "nausea\tADE", "warfarin\tDRUG"])
    return {
        "backend": {"kind": "replay", "path": str(tmp_path / "answers.jsonl")},
        "recipe": {"kind": "seeded_sentences", "seeds": {"path": str(seeds)}, "sentences_per_seed": 3},
        "requests_per_call": 2,
        "postprocess": {"filters": {"min_chars": 20}, "near_dedup_threshold": 0.5},
        "leakage": {
            "reference": str(write_lines(tmp_path / "dev.txt", REFERENCE)),
            "format": "lines",
            "drop_flagged": True,
        },
    }


def test_card_counts_equal_the_corpus_at_every_stage(tmp_path: Path) -> None:
    config = parse_config(_config(tmp_path))
    assert dump_prompts(config, tmp_path / "prompts.jsonl") == 3
    answer_dump(
        tmp_path / "prompts.jsonl",
        tmp_path / "answers.jsonl",
        lambda record: ANSWERS[record["meta"]["seeds"][0][0]],
    )
    card = generate_corpus(config, tmp_path / "out")
    assert_card_matches_corpus(card, tmp_path / "out")

    counts = card["counts"]
    assert counts["rejected_by_stage"] == {
        "seed_match": {"seed_missing": 1},
        "filter": {"markup": 1, "too_short": 1},
        "dedup": {"duplicate": 1},
        "near_dedup": {"near_duplicate": 1},
        "leakage": {"ngram_8": 1},
    }
    assert [(row["stage"], row["out"]) for row in counts["funnel"]] == [
        ("recipe", 8),
        ("filter", 6),
        ("dedup", 5),
        ("near_dedup", 4),
        ("leakage", 3),
    ]
    assert counts["examples"] == 3 and counts["rejected"] == 6
    assert card["llm"]["calls"] == 3 and card["llm"]["calls_per_example"] == 1.0
    assert card["labels"]["spans"] == {"ADE": 1, "DRUG": 2}
    assert card["seeds"]["count"] == 3 and card["seeds"]["by_label"] == {"DRUG": 2, "ADE": 1}
    assert card["leakage"]["flagged"] == 1 and card["leakage"]["dropped"] == 1
    assert card["backends"] == {"default": {"kind": "replay", "model": "answers.jsonl"}}
    [prompt] = card["prompts"]
    shipped = (
        Path(__file__).parents[3] / "trainer/synthner/trainer/generate/prompts/seeded_sentences.v1.jinja"
    )
    assert prompt["sha256"] == hashlib.sha256(shipped.read_bytes()).hexdigest()
    assert card["config"]["recipe"]["sentences_per_seed"] == 3
    # No generated text in the rejection file.
    assert "weather" not in (tmp_path / "out" / "rejected.jsonl").read_text()
    markdown = (tmp_path / "out" / "DATACARD.md").read_text()
    assert "seeded_sentences.v1" in markdown and "| near_dedup | 1 | 4 |" in markdown


def test_resumed_run_counts_cached_calls(tmp_path: Path) -> None:
    settings = _config(tmp_path)
    settings.pop("leakage")
    config = parse_config(settings)
    dump_prompts(config, tmp_path / "prompts.jsonl")
    answer_dump(
        tmp_path / "prompts.jsonl",
        tmp_path / "answers.jsonl",
        lambda record: ANSWERS[record["meta"]["seeds"][0][0]],
    )
    first = generate_corpus(config, tmp_path / "out")
    again = generate_corpus(config, tmp_path / "out", resume=True)
    assert first["llm"]["cached_calls"] == 0 and again["llm"]["cached_calls"] == 3
    assert again["llm"]["fresh_tokens"] == 0 and again["llm"]["tokens_per_second"] is None
    assert first["counts"] == again["counts"]
    assert json.loads((tmp_path / "out" / "datacard.json").read_text())["llm"]["cached_calls"] == 3
