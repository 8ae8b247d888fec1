"""The classifiers' input form: sentences, candidate pairs, masked relation and assertion inputs."""

import pytest

from synthner.spacy_component.classifier_files import DRUG_ADE, PairType
from synthner.spacy_component.classifier_inputs import (
    Mention,
    Sentences,
    assertion_input,
    candidate_pairs,
    relation_input,
)


def mention(text: str, word: str, label: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return Mention(start, start + len(word), label)


def sentence_texts(text: str) -> list[str]:
    sentences = Sentences(text)
    return [text[slice(*sentences.bounds(i))] for i in range(len(sentences.starts))]


def test_sentences_split_at_ends_and_blank_lines_but_not_before_lower_case() -> None:
    text = "Started warfarin. Bleeding noted (e.g. gums) today!\nFamily history:\nmother had it\n\nfollow up"
    assert sentence_texts(text) == [
        "Started warfarin.",
        "Bleeding noted (e.g. gums) today!",
        "Family history:\nmother had it",
        "follow up",
    ]
    assert sentence_texts("") == [""] and sentence_texts("no end") == ["no end"]


def test_relation_input_masks_both_mentions_whatever_their_order() -> None:
    text = "Day 2. Patient on warfarin developed bleeding. Discharged."
    drug, ade = mention(text, "warfarin", "DRUG"), mention(text, "bleeding", "ADE")
    sentences = Sentences(text)
    expected = "Patient on @DRUG$ developed @ADE$."
    assert relation_input(text, drug, ade, 400, sentences) == expected
    assert relation_input(text, ade, drug, 400, sentences) == expected
    with pytest.raises(ValueError, match="overlap"):
        relation_input(text, drug, Mention(drug.start, drug.end + 3, "ADE"), 400, sentences)


def test_a_long_context_is_cut_around_the_pair_and_keeps_both_masks() -> None:
    text = "word " * 200 + "warfarin then bleeding " + "word " * 200 + "."
    drug, ade = mention(text, "warfarin", "DRUG"), mention(text, "bleeding", "ADE")
    model_input = relation_input(text, drug, ade, 100, Sentences(text))
    assert "@DRUG$ then @ADE$" in model_input and len(model_input) <= 100


def test_candidates_are_pairs_of_a_type_in_one_sentence_or_close_enough() -> None:
    text = "Lisinopril was continued; on warfarin she developed bleeding. Later metformin."
    mentions = [
        mention(text, "Lisinopril", "DRUG"),
        mention(text, "warfarin", "DRUG"),
        mention(text, "bleeding", "ADE"),
        mention(text, "metformin", "DRUG"),
    ]
    sentences = Sentences(text)
    found = candidate_pairs(mentions, [DRUG_ADE], sentences, max_distance=0)
    assert [(c.head, c.tail, c.pair.label) for c in found] == [
        (0, 2, "Adverse-Effect"),
        (1, 2, "Adverse-Effect"),
    ]
    near = candidate_pairs(mentions, [DRUG_ADE], sentences, max_distance=20)
    assert (3, 2) in [(c.head, c.tail) for c in near]
    assert candidate_pairs(mentions, [PairType(head="GENE", tail="DISEASE", label="x")], sentences, 50) == []


def test_overlapping_mentions_are_no_candidate() -> None:
    text = "Phenytoin hypersensitivity syndrome was diagnosed."
    mentions = [Mention(0, 9, "DRUG"), Mention(0, 35, "ADE")]
    assert candidate_pairs(mentions, [DRUG_ADE], Sentences(text), max_distance=100) == []


def test_assertion_input_masks_the_mention_in_its_sentence() -> None:
    text = "Allergies: none. Patient denies nausea since Monday. Mother had diabetes."
    sentences = Sentences(text)
    assert assertion_input(text, mention(text, "nausea", "ADE"), 400, sentences) == (
        "Patient denies @PROBLEM$ since Monday."
    )
    assert (
        assertion_input(text, mention(text, "diabetes", "DISEASE"), 400, sentences) == "Mother had @PROBLEM$."
    )


def test_pair_types_need_labels_that_can_be_masks() -> None:
    with pytest.raises(ValueError, match="letters, digits"):
        PairType(head="Adverse-Effect", tail="DRUG", label="x")
