"""Generate then annotate: reading entity lists, aligning mentions (exact, case, fuzzy),
rejecting what cannot be aligned, and the recipe end to end through both backends."""

from pathlib import Path

import pytest
from synthner.trainer.generate.recipes.align import align_mention
from synthner.trainer.generate.recipes.annotate import AnnotateConfig, GenerateThenAnnotate, parse_mentions

from tests.trainer.generate.recipe_helpers import assert_card_matches_corpus, completion_for, run_pipeline

TEXT = "Patient started Metformin 500 mg. Reports mild nausea and nausea at night; no hypoglycaemia."


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (
            "DRUG: metformin\nADE: nausea, mild rash",
            [("DRUG", "metformin"), ("ADE", "nausea"), ("ADE", "mild rash")],
        ),
        ("Entities:\n1. DRUG: metformin\n- ade: nausea", [("DRUG", "metformin"), ("ade", "nausea")]),
        ('[{"label": "DRUG", "text": "metformin"}]', [("DRUG", "metformin")]),
        (
            '```json\n{"DRUG": ["metformin"], "ADE": "nausea"}\n```',
            [("DRUG", "metformin"), ("ADE", "nausea")],
        ),
        ("NONE", []),
        ("I could not find anything useful here", None),
    ],
)
def test_parse_mentions(answer: str, expected: list | None) -> None:
    assert parse_mentions(answer) == expected


def test_alignment_exact_then_case_then_fuzzy() -> None:
    exact = align_mention("nausea", "ADE", TEXT, 0.85)
    assert exact.method == "exact" and [TEXT[s.start : s.end] for s in exact.spans] == ["nausea", "nausea"]
    case = align_mention("metformin", "DRUG", TEXT, 0.85)
    assert case.method == "case" and [TEXT[s.start : s.end] for s in case.spans] == ["Metformin"]
    fuzzy = align_mention("hypoglycemia", "ADE", TEXT, 0.85)
    assert fuzzy.method == "fuzzy" and [TEXT[s.start : s.end] for s in fuzzy.spans] == ["hypoglycaemia"]
    assert align_mention("warfarin", "DRUG", TEXT, 0.85).spans == []
    assert align_mention("...", "DRUG", TEXT, 0.85).spans == []


def _recipe(**overrides: object) -> GenerateThenAnnotate:
    return GenerateThenAnnotate(
        AnnotateConfig.model_validate({"kind": "annotate", "n_items": 2, **overrides})
    )


def test_two_steps_align_and_reject_unaligned_mentions() -> None:
    recipe = _recipe()
    write = next(recipe.requests())
    [label] = recipe.parse(write, completion_for(write, f"Here is the note:\n{TEXT}")).follow_ups
    assert label.meta["stage"] == "label" and TEXT in label.messages[0][1] and "backend" not in label.meta
    answer = "DRUG: metformin\nADE: nausea\nADE: mild nausea\nADE: warfarin rash\nDOSE: 500 mg"
    outcome = recipe.parse(label, completion_for(label, answer))
    [example] = outcome.accepted
    assert example.text == TEXT
    # "mild nausea" wins over the overlapping exact "nausea"; the second "nausea" stays.
    assert [(example.span_text(s), s.label) for s in example.entities] == [
        ("Metformin", "DRUG"),
        ("mild nausea", "ADE"),
        ("nausea", "ADE"),
    ]
    assert example.meta["alignment"] == {"case": 1, "exact": 2} and example.meta["overlaps_dropped"] == 1
    assert example.meta["templates"] == ["annotate_write.v1", "annotate_label.v1"]
    assert sorted((r.stage, r.reason) for r in outcome.rejected) == [
        ("align", "unaligned"),
        ("annotate", "unknown_label"),
    ]


def test_unreadable_label_answer_and_empty_text_are_rejected() -> None:
    recipe = _recipe(label_backend={"kind": "replay", "path": "answers.jsonl"})
    write = next(recipe.requests())
    assert [r.reason for r in recipe.parse(write, completion_for(write, "  ")).rejected] == ["empty"]
    [label] = recipe.parse(write, completion_for(write, TEXT)).follow_ups
    assert label.meta["backend"] == "label"
    assert [(r.stage, r.reason) for r in recipe.parse(label, completion_for(label, "hmm")).rejected] == [
        ("annotate", "unparseable")
    ]


@pytest.mark.slow
def test_annotate_end_to_end_through_the_openai_backend(tmp_path: Path, openai_server) -> None:
    from synthner.trainer.generate.backends import make_backend
    from synthner.trainer.generate.backends.config import OpenAIConfig

    backend = make_backend(OpenAIConfig(base_url=openai_server.url, model="smollm2", concurrency=2))
    recipe = {
        "kind": "annotate",
        "n_items": 2,
        "sampling": {"max_tokens": 48, "seed": 2},
        "label_sampling": {"temperature": 0.0, "max_tokens": 32, "seed": 2},
    }
    card = run_pipeline(tmp_path / "out", recipe, {"default": backend})
    assert card["llm"]["calls_by_stage"]["write"] == 2
    assert card["llm"]["calls_by_stage"].get("label", 0) == 2 - card["counts"]["rejected_by_stage"].get(
        "write", {}
    ).get("empty", 0)
    assert_card_matches_corpus(card, tmp_path / "out")
