"""Corpus clean-up after generation: length/character/markup filters, exact and near-duplicate
removal (MinHash over word n-grams, candidates checked with exact Jaccard)."""

import re
import unicodedata
import zlib
from collections import defaultdict

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from synthner.trainer.corpus.example import Example
from synthner.trainer.generate.recipes.base import Rejection

# Leftovers of tags or chat formatting that must not reach a training corpus.
MARKUP = re.compile(r"</?[A-Za-z][\w-]*>|```|<\|[^|>]*\|>|\[/?INST\]")
BANDS, ROWS = 32, 4  # 128 hashes; pairs above ~0.42 Jaccard usually share a band


class FilterConfig(BaseModel):
    """Bounds a text must meet; shares are of all characters."""

    model_config = ConfigDict(extra="forbid")
    min_chars: int = Field(20, ge=0)
    max_chars: int = Field(3000, ge=1)
    max_nonprintable_share: float = Field(0.0, ge=0.0, le=1.0)
    max_nonletter_share: float = Field(0.5, ge=0.0, le=1.0)
    reject_markup: bool = True


class PostprocessConfig(BaseModel):
    """Filters, then exact duplicates (normalised text), then near duplicates (Jaccard)."""

    model_config = ConfigDict(extra="forbid")
    filters: FilterConfig = FilterConfig()
    exact_dedup: bool = True
    near_dedup_threshold: float | None = Field(0.8, gt=0.0, le=1.0)  # None: keep near duplicates
    shingle_words: int = Field(3, ge=1)


def normalise(text: str) -> str:
    """Lower case, punctuation dropped, whitespace collapsed (the key for exact duplicates)."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


# Line breaks, tabs, and the zero-width joiner and variation selector inside emoji sequences
# (patient posts and tweets have them): not printable, but not noise either.
ALLOWED_INVISIBLE = "\n\t\u200d\ufe0f"


def filter_reason(text: str, config: FilterConfig) -> str | None:
    """Why a text fails the filters, or None."""
    if len(text) < config.min_chars:
        return "too_short"
    if len(text) > config.max_chars:
        return "too_long"
    nonprintable = sum(1 for c in text if not c.isprintable() and c not in ALLOWED_INVISIBLE)
    if nonprintable > config.max_nonprintable_share * len(text):
        return "non_printable"
    nonletter = sum(1 for c in text if not c.isalpha() and not c.isspace())
    if nonletter > config.max_nonletter_share * len(text):
        return "non_letter"
    if config.reject_markup and MARKUP.search(text):
        return "markup"
    return None


def shingles(text: str, size: int) -> set[int]:
    """32-bit hashes of the word n-grams of the normalised text (the whole text if shorter)."""
    words = normalise(text).split()
    grams = {" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}
    return {zlib.crc32(gram.encode("utf-8")) for gram in grams}


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: one well-mixed 64-bit hash per salt (wrapping arithmetic)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


class NearDuplicates:
    """MinHash LSH index of the texts kept so far; `add` says which kept text one duplicates."""

    def __init__(self, threshold: float, size: int, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.salts = rng.integers(0, np.iinfo(np.uint64).max, BANDS * ROWS, dtype=np.uint64)
        self.threshold, self.size = threshold, size
        self.buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
        self.kept: list[tuple[str, set[int]]] = []

    def add(self, example_id: str, text: str) -> str | None:
        """The id of a kept near duplicate of `text`; otherwise index it and return None."""
        grams = shingles(text, self.size)
        values = np.fromiter(grams, dtype=np.uint64)[:, None]
        signature = _mix(values ^ self.salts).min(axis=0)
        keys = [(band, signature[band * ROWS : (band + 1) * ROWS].tobytes()) for band in range(BANDS)]
        candidates = sorted({index for key in keys for index in self.buckets.get(key, ())})
        for index in candidates:
            other_id, other = self.kept[index]
            if len(grams & other) / len(grams | other) >= self.threshold:
                return other_id
        for key in keys:
            self.buckets[key].append(len(self.kept))
        self.kept.append((example_id, grams))
        return None


def postprocess(examples: list[Example], config: PostprocessConfig) -> tuple[list[Example], list[Rejection]]:
    """The examples that pass every stage, in order, and a rejection for each one that did not."""
    kept: list[Example] = []
    rejected: list[Rejection] = []
    seen: set[str] = set()
    near = (
        NearDuplicates(config.near_dedup_threshold, config.shingle_words)
        if config.near_dedup_threshold
        else None
    )
    for example in examples:
        reason = filter_reason(example.text, config.filters)
        if reason:
            rejected.append(Rejection(example.id, "filter", reason))
            continue
        key = normalise(example.text)
        if config.exact_dedup and key in seen:
            rejected.append(Rejection(example.id, "dedup", "duplicate"))
            continue
        seen.add(key)
        if near is not None and near.add(example.id, example.text) is not None:
            rejected.append(Rejection(example.id, "near_dedup", "near_duplicate"))
            continue
        kept.append(example)
    return kept, rejected
