"""Scores of a classifier's predictions: P/R/F1 of the linked class for relations, accuracy,
per-class and macro F1 for assertion. `main` is what early stopping and reports compare."""

from collections import Counter


def prf(tp: int, fp: int, fn: int) -> dict:
    """Precision, recall and F1 from counts (0 where undefined)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def relation_scores(gold: list[int], pred: list[int], missed: int = 0) -> dict:
    """P/R/F1 of label 1; `missed` gold links had no candidate pair and count as false negatives."""
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == 1 and p == 1)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if g == 0 and p == 1)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == 1 and p == 0) + missed
    scores = prf(tp, fp, fn)
    return {**scores, "main": scores["f1"], "pairs": len(gold), "missed": missed}


def class_scores(gold: list[int], pred: list[int], classes: list[str]) -> dict:
    """Accuracy, macro F1, per-class P/R/F1 and the confusion counts (gold -> predicted)."""
    per_class = {}
    for index, name in enumerate(classes):
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == index and p == index)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != index and p == index)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == index and p != index)
        per_class[name] = {**prf(tp, fp, fn), "support": tp + fn}
    accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0
    macro = sum(s["f1"] for s in per_class.values()) / len(classes)
    confusion = Counter(f"{classes[g]}->{classes[p]}" for g, p in zip(gold, pred, strict=True) if g != p)
    return {
        "accuracy": round(accuracy, 4),
        "macro_f1": round(macro, 4),
        "main": round(macro, 4),
        "per_class": per_class,
        "confusion": dict(confusion.most_common()),
    }


def task_scores(task: str, gold: list[int], pred: list[int], classes: list[str]) -> dict:
    """`relation_scores` or `class_scores`, by task."""
    return relation_scores(gold, pred) if task == "relation" else class_scores(gold, pred, classes)
