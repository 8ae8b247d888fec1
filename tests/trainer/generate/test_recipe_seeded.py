"""Seeded sentences: list parsing, inflection-tolerant seed matching, rejection of seedless
sentences, and the recipe end to end with the real SmolLM2-135M."""

from pathlib import Path

import pytest
from synthner.trainer.generate.recipes.matching import Seed, match_seeds, names_match
from synthner.trainer.generate.recipes.parsing import parse_list
from synthner.trainer.generate.recipes.seeded import SeededSentences, SeededSentencesConfig
from synthner.trainer.generate.recipes.sources import SeedFile, load_seeds

from tests.trainer.generate.recipe_helpers import (
    assert_card_matches_corpus,
    completion_for,
    run_pipeline,
    write_lines,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. First one.\n2. Second one.", ["First one.", "Second one."]),
        ("Here are two sentences:\n\n1) First.\n2) Second.\n\nI hope this helps!", ["First.", "Second."]),
        ("- A bullet.\n* Another\n• Third", ["A bullet.", "Another", "Third"]),
        ("1. Starts here\n   and goes on.\n2. Next.", ["Starts here and goes on.", "Next."]),
        ('Sentence 1: "Quoted."\nSentence 2: Plain.', ["Quoted.", "Plain."]),
        ("No markers at all.\nSecond line.", ["No markers at all.", "Second line."]),
        ("```\n1. Fenced.\n```", ["Fenced."]),
        ("", []),
    ],
)
def test_parse_list(text: str, expected: list[str]) -> None:
    assert parse_list(text) == expected


@pytest.mark.parametrize(
    ("seed", "text", "found"),
    [
        ("headache", "Two Headaches were reported.", "Headaches"),
        ("therapy", "Combination therapies failed.", "therapies"),
        ("therapies", "The therapy failed.", "therapy"),
        ("beta-blocker", "She takes beta blockers daily.", "beta blockers"),
        ("beta-blocker", "A betablocker was added.", "betablocker"),
        ("beta blocker", "A beta-blocker was added.", "beta-blocker"),
        ("rash", "A rash appeared; rashes spread.", "rash"),
        ("5-FU", "Treated with 5-FU and leucovorin.", "5-FU"),
    ],
)
def test_seed_matching_tolerates_case_plural_and_hyphens(seed: str, text: str, found: str) -> None:
    spans = match_seeds(text, [Seed(seed, "X")])
    assert spans and text[spans[0].start : spans[0].end] == found


def test_seed_matching_respects_word_boundaries_and_prefers_longest() -> None:
    assert (
        match_seeds("He spoke rashly about aspirinate.", [Seed("rash", "ADE"), Seed("aspirin", "DRUG")]) == []
    )
    text = "Severe hepatic failure, not just failure."
    spans = match_seeds(text, [Seed("hepatic failure", "ADE"), Seed("failure", "ADE")])
    assert [text[s.start : s.end] for s in spans] == ["hepatic failure", "failure"]
    assert names_match("nausea", " Nausea ") and not names_match("nausea", "nausea and vomiting")


def test_seed_file_with_and_without_labels(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "seeds.tsv", ["metformin", "nausea\tADE", "# comment", "", "Metformin"])
    seeds = load_seeds(SeedFile(path=path, label="DRUG"))
    assert seeds == [Seed("metformin", "DRUG"), Seed("nausea", "ADE")]


def test_seed_file_bad_line_names_file_and_line(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "seeds.tsv", ["metformin", "a\tb\tc"])
    with pytest.raises(ValueError, match=r"seeds.tsv:2"):
        load_seeds(SeedFile(path=path))


def _recipe(tmp_path: Path, **overrides: object) -> SeededSentences:
    path = write_lines(tmp_path / "seeds.tsv", ["metformin\tDRUG", "nausea\tADE", "warfarin\tDRUG"])
    settings = {"kind": "seeded_sentences", "seeds": {"path": path}, "sentences_per_seed": 2, **overrides}
    return SeededSentences(SeededSentencesConfig.model_validate(settings))


def test_requests_group_seeds_and_record_template(tmp_path: Path) -> None:
    recipe = _recipe(tmp_path, seeds_per_prompt=2, styles=["tweet", "nursing_note"])
    requests = list(recipe.requests())
    assert [r.meta["seeds"] for r in requests] == [
        [["metformin", "DRUG"], ["nausea", "ADE"]],
        [["warfarin", "DRUG"]],
    ]
    assert [r.meta["style"] for r in requests] == ["tweet", "nursing_note"]
    assert "Write 4 different sentences" in requests[0].messages[0][1]
    assert requests[0].meta["template"] == "seeded_sentences.v1"


def test_parse_labels_seeds_and_rejects_seedless_sentences(tmp_path: Path) -> None:
    recipe = _recipe(tmp_path, seeds_per_prompt=2)
    request = next(recipe.requests())
    answer = "1. Metformin caused nausea.\n2. The weather was fine.\n3. Nauseas after METFORMIN"
    outcome = recipe.parse(request, completion_for(request, answer, tokens=request.max_tokens))
    assert [e.id for e in outcome.accepted] == ["seeded-00000-00"]
    example = outcome.accepted[0]
    assert [(example.span_text(s), s.label) for s in example.entities] == [
        ("Metformin", "DRUG"),
        ("nausea", "ADE"),
    ]
    assert (
        example.meta["templates"] == ["seeded_sentences.v1"]
        and example.meta["prompt_id"] == request.prompt_id
    )
    # The seedless sentence is rejected, the last one was cut off by max_tokens.
    assert [(r.id, r.stage, r.reason) for r in outcome.rejected] == [
        ("seeded-00000-01", "seed_match", "seed_missing"),
        ("seeded-00000-02", "parse", "truncated"),
    ]
    empty = recipe.parse(request, completion_for(request, "   "))
    assert [(r.stage, r.reason) for r in empty.rejected] == [("parse", "no_sentences")]


@pytest.mark.slow
def test_seeded_end_to_end_with_smollm2(tmp_path: Path, smollm2_backend) -> None:
    config = {
        "kind": "seeded_sentences",
        "seeds": {"path": write_lines(tmp_path / "seeds.tsv", ["aspirin\tDRUG", "headache\tADE"])},
        "sentences_per_seed": 2,
        "sampling": {"temperature": 0.7, "max_tokens": 48, "seed": 3},
    }
    card = run_pipeline(tmp_path / "out", config, {"default": smollm2_backend})
    assert card["llm"]["calls"] == 2 and card["llm"]["fresh_tokens"] > 0
    assert_card_matches_corpus(card, tmp_path / "out")
