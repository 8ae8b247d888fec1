"""Windowing and BIO decoding edge cases: small, fast, no model."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthner.spacy_component.decoding import decode_bio, snap_to_words
from synthner.spacy_component.entities import Entity
from synthner.spacy_component.windows import best_window_per_token, window_bounds

TAGS = ["O", "B-DRUG", "I-DRUG", "B-ADE", "I-ADE"]


def one_hot(tag_names: list[str], confidence: float = 0.9) -> np.ndarray:
    """Probabilities where each token's named tag gets `confidence`, the rest share the remainder."""
    probs = np.full((len(tag_names), len(TAGS)), (1 - confidence) / (len(TAGS) - 1), dtype=np.float32)
    for row, name in enumerate(tag_names):
        probs[row, TAGS.index(name)] = confidence
    return probs


def word_offsets(text: str) -> np.ndarray:
    """Offsets of whitespace-separated words (stand-ins for tokenizer tokens)."""
    offsets, start = [], None
    for index, char in enumerate(text + " "):
        if char.isspace() and start is not None:
            offsets.append((start, index))
            start = None
        elif not char.isspace() and start is None:
            start = index
    return np.array(offsets, dtype=np.int64).reshape(-1, 2)


def test_window_bounds_short_and_empty_texts_take_one_window() -> None:
    assert window_bounds(0, 8, 2) == [(0, 0)]
    assert window_bounds(8, 8, 2) == [(0, 8)]


def test_window_bounds_last_window_ends_at_the_last_token() -> None:
    assert window_bounds(10, 4, 2) == [(0, 4), (2, 6), (4, 8), (6, 10)]
    assert window_bounds(5, 4, 1) == [(0, 4), (1, 5)]


def test_window_bounds_rejects_overlap_as_large_as_the_window() -> None:
    with pytest.raises(ValueError, match="must exceed the overlap"):
        window_bounds(10, 4, 4)


@settings(max_examples=100, deadline=None)
@given(n_tokens=st.integers(1, 2000), size=st.integers(2, 300), data=st.data())
def test_windows_cover_every_token_with_full_size_and_overlap(n_tokens: int, size: int, data) -> None:
    overlap = data.draw(st.integers(0, size - 1))
    bounds = window_bounds(n_tokens, size, overlap)
    assert bounds[0][0] == 0 and bounds[-1][1] == n_tokens
    assert all(end - start == min(size, n_tokens) for start, end in bounds)
    for (start_a, end_a), (start_b, _) in zip(bounds, bounds[1:]):
        assert start_a < start_b and end_a - start_b >= overlap


def test_best_window_prefers_the_window_where_the_token_is_most_central() -> None:
    owner = best_window_per_token([(0, 4), (2, 6), (4, 8)], 8)
    assert owner.tolist() == [0, 0, 0, 1, 1, 2, 2, 2]


def test_best_window_of_a_single_window_owns_everything() -> None:
    assert best_window_per_token([(0, 5)], 5).tolist() == [0] * 5


def test_inside_tag_after_outside_opens_an_entity() -> None:
    text = "took aspirin then rash"
    found = decode_bio(one_hot(["O", "I-DRUG", "O", "I-ADE"]), word_offsets(text), TAGS, text)
    assert [(text[e.start : e.end], e.label) for e in found] == [("aspirin", "DRUG"), ("rash", "ADE")]


def test_inside_tag_of_another_label_closes_and_opens() -> None:
    text = "warfarin bleeding"
    found = decode_bio(one_hot(["B-DRUG", "I-ADE"]), word_offsets(text), TAGS, text)
    assert [(e.start, e.end, e.label) for e in found] == [(0, 8, "DRUG"), (9, 17, "ADE")]


def test_multi_token_entity_scores_the_mean_probability() -> None:
    text = "hearing loss noted"
    probs = one_hot(["B-ADE", "I-ADE", "O"])
    probs[1, TAGS.index("I-ADE")] = 0.7
    (entity,) = decode_bio(probs, word_offsets(text), TAGS, text)
    assert (entity.start, entity.end, entity.label) == (0, 12, "ADE")
    assert entity.score == pytest.approx(0.8, abs=1e-4)


def test_entity_on_the_last_token_is_closed() -> None:
    text = "no change, continue metformin"
    found = decode_bio(one_hot(["O", "O", "O", "B-DRUG"]), word_offsets(text), TAGS, text)
    assert [text[e.start : e.end] for e in found] == ["metformin"]


def test_subword_piece_is_widened_to_its_word() -> None:
    text = "on metformin daily"
    offsets = np.array([[0, 2], [3, 6], [6, 12], [13, 18]])  # "on", "met", "##formin", "daily"
    found = decode_bio(one_hot(["O", "O", "I-DRUG", "O"]), offsets, TAGS, text)
    assert found == [Entity(3, 12, "DRUG", pytest.approx(0.9, abs=1e-4))]


def test_subword_pieces_tagged_b_b_merge_into_one_entity() -> None:
    text = "metformin"
    offsets = np.array([[0, 3], [3, 9]])
    found = decode_bio(one_hot(["B-DRUG", "B-DRUG"]), offsets, TAGS, text)
    assert [(e.start, e.end, e.label) for e in found] == [(0, 9, "DRUG")]


def test_conflicting_labels_in_one_word_keep_the_surer_one() -> None:
    text = "xyzzy"
    offsets = np.array([[0, 2], [2, 5]])
    probs = one_hot(["B-DRUG", "B-ADE"])
    probs[1, TAGS.index("B-ADE")] = 0.95
    found = decode_bio(probs, offsets, TAGS, text)
    assert [(e.start, e.end, e.label) for e in found] == [(0, 5, "ADE")]


def test_snap_stops_at_punctuation_and_text_edges() -> None:
    text = "metformin-induced"
    assert snap_to_words(text, 12, 14) == (10, 17)
    assert snap_to_words(text, 2, 4) == (0, 9)
