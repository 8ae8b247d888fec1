"""Post-processing: filters by length, characters and leftover markup; exact and near duplicates."""

import pytest
from synthner.trainer.corpus.example import Example
from synthner.trainer.generate.postprocess import (
    FilterConfig,
    NearDuplicates,
    PostprocessConfig,
    filter_reason,
    postprocess,
)

BASE = "The patient developed severe nausea two days after starting metformin at the clinic."


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Too short.", "too_short"),
        ("x" * 50 + " " + "y" * 60, "too_long"),
        ("Nausea after metformin was\x00 reported by the patient.", "non_printable"),
        ("12345 67890 !!!! ???? 1234 5678 ---- ++++ a", "non_letter"),
        ("She had <ade>nausea</ade> after metformin was started.", "markup"),
        ("```\nNausea after metformin was started.", "markup"),
        ("<|im_end|> Nausea after metformin was started.", "markup"),
        (BASE, None),
        ("Nausea with\nline breaks and\ttabs is fine here.", None),
        ("cant stop puking on this med \U0001f926\u200d\u2640\ufe0f so done", None),  # emoji ZWJ sequence
        ("Nausea after metformin\u200b was reported by the patient.", "non_printable"),  # zero-width space
    ],
)
def test_filters(text: str, reason: str | None) -> None:
    assert filter_reason(text, FilterConfig(min_chars=20, max_chars=100)) == reason


def test_exact_duplicates_ignore_case_punctuation_and_spacing() -> None:
    examples = [
        Example("a", BASE),
        Example("b", BASE.upper().replace(".", " !")),
        Example("c", "Different text about warfarin and bleeding."),
    ]
    kept, rejected = postprocess(examples, PostprocessConfig(near_dedup_threshold=None))
    assert [e.id for e in kept] == ["a", "c"]
    assert [(r.id, r.stage, r.reason) for r in rejected] == [("b", "dedup", "duplicate")]


def test_near_duplicates_above_threshold_are_removed_keeping_the_first() -> None:
    near = BASE.replace("two days", "three days")  # shares most word 3-grams
    far = "Lisinopril was stopped because of a persistent dry cough in the spring."
    examples = [Example("a", BASE), Example("b", near), Example("c", far)]
    kept, rejected = postprocess(examples, PostprocessConfig(near_dedup_threshold=0.5))
    assert [e.id for e in kept] == ["a", "c"]
    assert [(r.id, r.stage, r.reason) for r in rejected] == [("b", "near_dedup", "near_duplicate")]
    kept, rejected = postprocess(examples, PostprocessConfig(near_dedup_threshold=0.95))
    assert [e.id for e in kept] == ["a", "b", "c"] and rejected == []


def test_near_duplicate_index_finds_pairs_among_many() -> None:
    index = NearDuplicates(threshold=0.7, size=3)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
    words += ["iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi"]
    for i in range(200):  # unrelated texts, then a near copy of one of them
        assert index.add(f"t{i}", " ".join(f"{w}{i}" for w in words)) is None
    copy = " ".join(f"{w}17" for w in words[:-1]) + " rho"
    assert index.add("copy", copy) == "t17"
