"""Tokenise whole texts and cut them into overlapping model windows (no truncation)."""

from dataclasses import dataclass

import numpy as np
from tokenizers import Tokenizer


@dataclass(frozen=True, slots=True)
class Encoded:
    """A text tokenised without special tokens: ids and character offsets per token."""

    ids: np.ndarray
    offsets: np.ndarray  # shape (n_tokens, 2), character offsets into the text


@dataclass(frozen=True, slots=True)
class Window:
    """Tokens `[start, end)` of one text, fed to the model as one sequence."""

    text_index: int
    start: int
    end: int


def load_tokenizer(path: str) -> Tokenizer:
    """Load a fast tokenizer from `tokenizer.json` with truncation and padding switched off."""
    tokenizer = Tokenizer.from_file(path)
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def special_tokens(tokenizer: Tokenizer) -> tuple[list[int], list[int]]:
    """The ids the model expects before and after a sequence (e.g. [CLS] and [SEP])."""
    encoding = tokenizer.encode("a", add_special_tokens=True)
    mask = encoding.special_tokens_mask
    first = mask.index(0)
    last = len(mask) - 1 - mask[::-1].index(0)
    return encoding.ids[:first], encoding.ids[last + 1 :]


def pad_token_id(tokenizer: Tokenizer) -> int:
    """The id used to pad batches ([PAD] for BERT vocabularies, <pad> for RoBERTa ones)."""
    for token in ("[PAD]", "<pad>"):
        token_id = tokenizer.token_to_id(token)
        if token_id is not None:
            return token_id
    return 0


def encode_texts(tokenizer: Tokenizer, texts: list[str]) -> list[Encoded]:
    """Tokenise texts in full; offsets index the original Python strings."""
    encodings = tokenizer.encode_batch(texts, add_special_tokens=False)
    encoded = []
    for encoding in encodings:
        offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)
        encoded.append(Encoded(np.asarray(encoding.ids, dtype=np.int64), offsets))
    return encoded


def window_bounds(n_tokens: int, size: int, overlap: int) -> list[tuple[int, int]]:
    """Token ranges of `size` tokens that cover `n_tokens`, consecutive ranges sharing `overlap`."""
    if size <= overlap:
        raise ValueError(f"window size {size} must exceed the overlap {overlap}")
    if n_tokens <= size:
        return [(0, n_tokens)]
    step = size - overlap
    starts = list(range(0, n_tokens - size, step)) + [n_tokens - size]
    return [(start, start + size) for start in starts]


def best_window_per_token(bounds: list[tuple[int, int]], n_tokens: int) -> np.ndarray:
    """For each token, the index of the window where it sits furthest from an edge."""
    best = np.zeros(n_tokens, dtype=np.int64)
    best_margin = np.full(n_tokens, -1, dtype=np.int64)
    for index, (start, end) in enumerate(bounds):
        positions = np.arange(start, end)
        margin = np.minimum(positions - start, end - 1 - positions)
        better = margin > best_margin[start:end]
        best[start:end][better] = index
        best_margin[start:end][better] = margin[better]
    return best
