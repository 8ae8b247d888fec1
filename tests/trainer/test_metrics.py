"""Strict and partial entity scores on hand-made gold/prediction pairs."""

import pytest

from synthner.trainer.evaluation.metrics import MICRO, evaluate


def test_strict_and_partial_counts_by_hand() -> None:
    gold = [[(0, 9, "DRUG"), (20, 35, "ADE")], [(5, 10, "DRUG")]]
    pred = [
        [(0, 9, "DRUG"), (20, 30, "ADE"), (40, 45, "ADE")],  # exact, partial overlap, spurious
        [(5, 10, "ADE")],  # right span, wrong type: matches in neither mode
    ]
    report = evaluate(gold, pred)
    strict, partial = report.strict, report.partial
    assert (strict["DRUG"].tp, strict["DRUG"].n_gold, strict["DRUG"].n_pred) == (1, 2, 1)
    assert (strict["ADE"].tp, strict["ADE"].n_gold, strict["ADE"].n_pred) == (0, 1, 3)
    assert (partial["ADE"].tp, partial["ADE"].n_gold, partial["ADE"].n_pred) == (1, 1, 3)
    assert strict[MICRO].precision == pytest.approx(1 / 4)
    assert strict[MICRO].recall == pytest.approx(1 / 3)
    assert strict[MICRO].f1 == pytest.approx(2 * (1 / 4) * (1 / 3) / (1 / 4 + 1 / 3))
    assert partial[MICRO].precision == pytest.approx(2 / 4)
    assert partial[MICRO].recall == pytest.approx(2 / 3)


def test_partial_matching_is_one_to_one() -> None:
    gold = [[(0, 20, "ADE")]]
    pred = [[(0, 5, "ADE"), (10, 15, "ADE")]]  # two predictions inside one gold span
    partial = evaluate(gold, pred).partial["ADE"]
    assert (partial.tp, partial.precision, partial.recall) == (1, 0.5, 1.0)


def test_empty_documents_score_zero_not_error() -> None:
    report = evaluate([[]], [[]])
    assert report.strict[MICRO].f1 == 0.0
    assert report.as_dict()["partial"][MICRO]["n_gold"] == 0


def test_mismatched_document_counts_raise() -> None:
    with pytest.raises(ValueError, match="2 gold documents but 1 predicted"):
        evaluate([[], []], [[]])
