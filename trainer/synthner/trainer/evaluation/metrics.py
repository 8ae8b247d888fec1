"""Strict (exact span and type) and partial (overlap and type) entity-level scores."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

Triple = tuple[int, int, str]  # start, end, label
MICRO = "micro"


class Score(BaseModel):
    """Counts and P/R/F1 for one label (or micro over all labels)."""

    tp: int = 0  # matched (gold, predicted) pairs; matching is one-to-one
    n_pred: int = 0
    n_gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
        }


@dataclass
class Report:
    """Scores per label and micro-averaged, in both matching modes."""

    strict: dict[str, Score]
    partial: dict[str, Score]

    def as_dict(self) -> dict[str, dict[str, dict[str, float | int]]]:
        return {
            mode: {label: score.as_dict() for label, score in scores.items()}
            for mode, scores in (("strict", self.strict), ("partial", self.partial))
        }


def evaluate(gold: Sequence[Iterable[Triple]], pred: Sequence[Iterable[Triple]]) -> Report:
    """Score predictions against gold, document by document (same order, same length)."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold documents but {len(pred)} predicted")
    strict: dict[str, Score] = defaultdict(Score)
    partial: dict[str, Score] = defaultdict(Score)
    for gold_doc, pred_doc in zip(gold, pred):
        gold_set, pred_set = set(gold_doc), set(pred_doc)
        _count(strict, gold_set, pred_set, _exact_matches(gold_set, pred_set))
        _count(partial, gold_set, pred_set, _overlap_matches(gold_set, pred_set))
    labels = sorted(set(strict) | set(partial))
    return Report(_with_micro(strict, labels), _with_micro(partial, labels))


def _exact_matches(gold: set[Triple], pred: set[Triple]) -> list[tuple[Triple, Triple]]:
    return [(entity, entity) for entity in gold & pred]


def _overlap_matches(gold: set[Triple], pred: set[Triple]) -> list[tuple[Triple, Triple]]:
    """One-to-one matching of same-label overlapping spans, exact matches first, then by offset."""
    matches = _exact_matches(gold, pred)
    free_gold = sorted(gold - pred)
    free_pred = sorted(pred - gold)
    used: set[Triple] = set()
    for p in free_pred:
        for g in free_gold:
            if g not in used and g[2] == p[2] and g[0] < p[1] and p[0] < g[1]:
                matches.append((g, p))
                used.add(g)
                break
    return matches


def _count(
    scores: dict[str, Score], gold: set[Triple], pred: set[Triple], matches: list[tuple[Triple, Triple]]
) -> None:
    for _, _, label in gold:
        scores[label].n_gold += 1
    for _, _, label in pred:
        scores[label].n_pred += 1
    for g, _ in matches:
        scores[g[2]].tp += 1


def _with_micro(scores: dict[str, Score], labels: list[str]) -> dict[str, Score]:
    out = {label: scores[label] for label in labels}
    out[MICRO] = Score(
        tp=sum(s.tp for s in out.values()),
        n_pred=sum(s.n_pred for s in out.values()),
        n_gold=sum(s.n_gold for s in out.values()),
    )
    return out
