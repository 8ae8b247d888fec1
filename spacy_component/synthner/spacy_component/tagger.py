"""Windowed, batched token classification over whole texts, independent of the backend."""

from collections.abc import Sequence
from typing import Protocol

import numpy as np
from tokenizers import Tokenizer

from synthner.spacy_component.decoding import decode_bio, softmax
from synthner.spacy_component.entities import Entity
from synthner.spacy_component.windows import (
    Encoded,
    Window,
    best_window_per_token,
    encode_texts,
    pad_token_id,
    special_tokens,
    window_bounds,
)


class TokenScorer(Protocol):
    """Anything that maps a padded batch of token ids to per-token tag logits."""

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        """Return logits of shape (batch, sequence, n_tags)."""
        ...


class Tagger:
    """Tags texts of any length: overlapping windows, batched by length, merged per token."""

    def __init__(
        self,
        tokenizer: Tokenizer,
        scorer: TokenScorer,
        tags: list[str],
        window_tokens: int = 256,
        window_overlap: int = 64,
        batch_size: int = 32,
    ) -> None:
        self.tokenizer = tokenizer
        self.scorer = scorer
        self.tags = tags
        self.prefix, self.suffix = special_tokens(tokenizer)
        self.window_size = window_tokens - len(self.prefix) - len(self.suffix)
        self.window_overlap = window_overlap
        self.batch_size = batch_size
        self.pad_id = pad_token_id(tokenizer)

    def tag(self, texts: Sequence[str]) -> list[list[Entity]]:
        """Entities per text, offsets into that text."""
        encoded = encode_texts(self.tokenizer, list(texts))
        probs = self.token_probs(encoded)
        return [
            decode_bio(token_probs, item.offsets, self.tags, text)
            for token_probs, item, text in zip(probs, encoded, texts)
        ]

    def token_probs(self, encoded: list[Encoded]) -> list[np.ndarray]:
        """Tag probabilities per token of each text, each token from its most central window."""
        windows: list[Window] = []
        bounds_per_text = []
        for index, item in enumerate(encoded):
            bounds = window_bounds(len(item.ids), self.window_size, self.window_overlap)
            bounds_per_text.append(bounds)
            windows.extend(Window(index, start, end) for start, end in bounds)
        window_probs = self._score_windows(encoded, windows)
        results = []
        cursor = 0
        for item, bounds in zip(encoded, bounds_per_text):
            n_tokens = len(item.ids)
            out = np.zeros((n_tokens, len(self.tags)), dtype=np.float32)
            owner = best_window_per_token(bounds, n_tokens)
            for offset, (start, end) in enumerate(bounds):
                mine = owner[start:end] == offset
                out[start:end][mine] = window_probs[cursor + offset][mine]
            cursor += len(bounds)
            results.append(out)
        return results

    def _score_windows(self, encoded: list[Encoded], windows: list[Window]) -> list[np.ndarray]:
        """Run the scorer over windows sorted by length; probabilities per window, input order."""
        order = sorted(range(len(windows)), key=lambda i: windows[i].end - windows[i].start)
        out: list[np.ndarray] = [np.empty(0)] * len(windows)
        n_prefix = len(self.prefix)
        for first in range(0, len(order), self.batch_size):
            batch = [windows[i] for i in order[first : first + self.batch_size]]
            input_ids, attention_mask = self._pad(encoded, batch)
            probs = softmax(self.scorer(input_ids, attention_mask).astype(np.float32))
            for row, index in enumerate(order[first : first + self.batch_size]):
                length = windows[index].end - windows[index].start
                out[index] = probs[row, n_prefix : n_prefix + length]
        return out

    def _pad(self, encoded: list[Encoded], batch: list[Window]) -> tuple[np.ndarray, np.ndarray]:
        sequences = [
            np.concatenate(
                [self.prefix, encoded[w.text_index].ids[w.start : w.end], self.suffix]
            ).astype(np.int64)
            for w in batch
        ]
        width = max(len(seq) for seq in sequences)
        input_ids = np.full((len(batch), width), self.pad_id, dtype=np.int64)
        attention_mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, seq in enumerate(sequences):
            input_ids[row, : len(seq)] = seq
            attention_mask[row, : len(seq)] = 1
        return input_ids, attention_mask
