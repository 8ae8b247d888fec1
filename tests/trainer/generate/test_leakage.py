"""Leakage audit on hand-made texts with the real MiniLM encoder: n-gram overlap, longest
common substring, nearest-neighbour cosine, flags in meta, optional dropping."""

from pathlib import Path

import pytest
from synthner.trainer.corpus.example import Example
from synthner.trainer.corpus.jsonl import write_jsonl
from synthner.trainer.generate.leakage import LeakageConfig, audit, load_encoder, measure

from tests.trainer.generate.recipe_helpers import write_lines

REFERENCE = [
    "A 54-year-old woman developed severe hepatotoxicity three weeks after starting isoniazid therapy.",
    "Lisinopril was discontinued because of a persistent dry cough.",
    "Warfarin-associated bleeding resolved after vitamin K was given.",
]
SYNTHETIC = [
    # copies nine words of the first reference text
    "We saw that she developed severe hepatotoxicity three weeks after starting isoniazid in May.",
    # a paraphrase of the second one: close in meaning, no shared 8-gram
    "The ACE inhibitor lisinopril was stopped due to a dry, persistent cough.",
    # unrelated
    "The hospital cafeteria now serves vegetarian lunches on Fridays.",
]


@pytest.fixture(scope="module")
def encoder():
    return load_encoder(None, batch_size=8)


def test_figures_on_hand_made_texts(tmp_path: Path, encoder) -> None:
    config = LeakageConfig(reference=write_lines(tmp_path / "ref.txt", REFERENCE), format="lines")
    copied, paraphrase, unrelated = measure(SYNTHETIC, REFERENCE, config, encoder)
    assert copied.ngram_overlap and not paraphrase.ngram_overlap and not unrelated.ngram_overlap
    common = " developed severe hepatotoxicity three weeks after starting isoniazid "
    assert copied.lcs_chars == len(common)
    assert unrelated.lcs_chars < 15
    assert paraphrase.nn_cosine > 0.7 > unrelated.nn_cosine
    exact = measure([REFERENCE[2]], REFERENCE, config, encoder)[0]
    assert exact.nn_cosine == pytest.approx(1.0, abs=1e-3) and exact.lcs_chars == len(REFERENCE[2])


def test_audit_flags_in_meta_and_drops_when_asked(tmp_path: Path, encoder) -> None:
    reference = tmp_path / "dev.jsonl"
    write_jsonl([Example(f"r{i}", text) for i, text in enumerate(REFERENCE)], reference)
    examples = [Example(f"s{i}", text) for i, text in enumerate(SYNTHETIC)]
    config = LeakageConfig(reference=reference, max_cosine=0.7, max_lcs_chars=200)
    kept, rejected, figures = audit(examples, config, encoder)
    assert [e.id for e in kept] == ["s0", "s1", "s2"] and rejected == []
    assert [e.meta["leakage"]["flagged"] for e in kept] == ["ngram_8", "cosine", None]
    assert figures["flagged"] == 2 and figures["dropped"] == 0 and figures["reference_texts"] == 3
    assert figures["share_with_ngram_overlap"] == pytest.approx(1 / 3, abs=1e-3)
    assert figures["lcs_chars"]["max"] == kept[0].meta["leakage"]["lcs_chars"]

    dropping = config.model_copy(update={"drop_flagged": True})
    kept, rejected, figures = audit([Example(e.id, e.text) for e in examples], dropping, encoder)
    assert [e.id for e in kept] == ["s2"]
    assert [(r.id, r.stage, r.reason) for r in rejected] == [
        ("s0", "leakage", "ngram_8"),
        ("s1", "leakage", "cosine"),
    ]
    assert figures["dropped"] == 2
