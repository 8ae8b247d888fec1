"""Turn per-token tag probabilities into character-offset entities (BIO scheme)."""

import numpy as np

from synthner.spacy_component.entities import Entity


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax over the last axis, numerically stable."""
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


def decode_bio(
    probs: np.ndarray, offsets: np.ndarray, tags: list[str], text: str
) -> list[Entity]:
    """Decode `probs` (n_tokens, n_tags) into entities; an I- tag after O opens an entity."""
    best = probs.argmax(axis=-1)
    entities: list[Entity] = []
    current: tuple[str, int, int, list[float]] | None = None
    for token, tag_id in enumerate(best):
        tag = tags[tag_id]
        prob = float(probs[token, tag_id])
        start, end = int(offsets[token, 0]), int(offsets[token, 1])
        prefix, _, label = tag.partition("-")
        continues = current is not None and prefix == "I" and label == current[0]
        if continues:
            current = (current[0], current[1], end, current[3] + [prob])
            continue
        if current is not None:
            entities.append(_close(current, text))
            current = None
        if prefix in ("B", "I"):
            current = (label, start, end, [prob])
    if current is not None:
        entities.append(_close(current, text))
    return _merge_touching(entities)


def _close(current: tuple[str, int, int, list[float]], text: str) -> Entity:
    label, start, end, probs = current
    start, end = snap_to_words(text, start, end)
    return Entity(start, end, label, round(float(np.mean(probs)), 4))


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span that starts or ends inside a word to the whole word (subword tokens)."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return start, end


def _merge_touching(entities: list[Entity]) -> list[Entity]:
    """Snapping can make neighbours overlap: merge same-label ones, else keep the surer one."""
    merged: list[Entity] = []
    for entity in entities:
        previous = merged[-1] if merged else None
        if previous is not None and entity.start < previous.end:
            if previous.label == entity.label:
                score = round((previous.score + entity.score) / 2, 4)
                merged[-1] = Entity(previous.start, max(previous.end, entity.end), entity.label, score)
            elif entity.score > previous.score:
                merged[-1] = entity
            continue
        merged.append(entity)
    return merged
