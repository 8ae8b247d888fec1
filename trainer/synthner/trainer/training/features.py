"""Model inputs from character spans: subword tags through the tokenizer's offsets, in windows."""

from dataclasses import dataclass

import numpy as np
from tokenizers import Tokenizer

from synthner.spacy_component.windows import encode_texts, special_tokens, window_bounds
from synthner.trainer.corpus import Example

IGNORE = -100  # label id the loss skips (special tokens, padding)


@dataclass(frozen=True, slots=True)
class Feature:
    """One window of one example: token ids and tag ids, specials included."""

    input_ids: np.ndarray
    labels: np.ndarray


def bio_tags(labels: list[str]) -> list[str]:
    """The tag inventory for entity types: O, then B-/I- per type."""
    return ["O"] + [f"{prefix}-{label}" for label in labels for prefix in ("B", "I")]


def token_tags(offsets: np.ndarray, example: Example, tag_ids: dict[str, int]) -> np.ndarray:
    """A tag id per token: B- on the first token overlapping a span, I- on the rest, else O."""
    tags = np.zeros(len(offsets), dtype=np.int64)
    for span in example.entities:
        inside = np.nonzero((offsets[:, 0] < span.end) & (offsets[:, 1] > span.start))[0]
        if len(inside) == 0:
            continue
        tags[inside] = tag_ids[f"I-{span.label}"]
        tags[inside[0]] = tag_ids[f"B-{span.label}"]
    return tags


def build_features(
    examples: list[Example],
    tokenizer: Tokenizer,
    tags: list[str],
    window_tokens: int,
    window_overlap: int,
) -> list[Feature]:
    """Cut every example into overlapping windows of at most `window_tokens` tokens."""
    prefix, suffix = special_tokens(tokenizer)
    size = window_tokens - len(prefix) - len(suffix)
    tag_ids = {tag: index for index, tag in enumerate(tags)}
    features = []
    for example, encoded in zip(examples, encode_texts(tokenizer, [e.text for e in examples])):
        labels = token_tags(encoded.offsets, example, tag_ids)
        for start, end in window_bounds(len(encoded.ids), size, window_overlap):
            ids = np.concatenate([prefix, encoded.ids[start:end], suffix]).astype(np.int64)
            window_labels = np.concatenate(
                [[IGNORE] * len(prefix), labels[start:end], [IGNORE] * len(suffix)]
            ).astype(np.int64)
            features.append(Feature(ids, window_labels))
    return features


def collate(features: list[Feature], pad_id: int) -> dict[str, np.ndarray]:
    """Pad a batch to its longest window."""
    width = max(len(f.input_ids) for f in features)
    input_ids = np.full((len(features), width), pad_id, dtype=np.int64)
    attention_mask = np.zeros((len(features), width), dtype=np.int64)
    labels = np.full((len(features), width), IGNORE, dtype=np.int64)
    for row, feature in enumerate(features):
        n = len(feature.input_ids)
        input_ids[row, :n] = feature.input_ids
        attention_mask[row, :n] = 1
        labels[row, :n] = feature.labels
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}
