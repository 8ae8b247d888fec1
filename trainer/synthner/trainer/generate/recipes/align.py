"""Put entity mentions that an LLM listed back onto the text it wrote: exact, then
case-insensitive, then the most similar window of words above a threshold."""

import difflib
import re
from dataclasses import dataclass

from synthner.trainer.corpus.example import Span

WORD = re.compile(r"\S+")
EDGE_PUNCTUATION = ".,;:!?()[]\"'“”‘’"


@dataclass(frozen=True, slots=True)
class Alignment:
    """Where a mention landed (`spans`, empty when nowhere) and how (`exact`, `case`, `fuzzy`)."""

    spans: list[Span]
    method: str | None


def _all(pattern: str, text: str, flags: int = 0) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(pattern)}(?!\w)", text, flags)]


def _best_window(mention: str, text: str, threshold: float) -> tuple[int, int] | None:
    """The run of words (about as many as the mention has) most similar to it, if similar enough."""
    words = [(m.start(), m.end()) for m in WORD.finditer(text)]
    size = len(mention.split())
    target = mention.lower()
    best, best_score = None, threshold
    for length in range(max(1, size - 1), size + 2):
        for first in range(0, len(words) - length + 1):
            start, end = words[first][0], words[first + length - 1][1]
            while start < end and text[start] in EDGE_PUNCTUATION:
                start += 1
            while end > start and text[end - 1] in EDGE_PUNCTUATION:
                end -= 1
            score = difflib.SequenceMatcher(None, target, text[start:end].lower()).ratio()
            if score >= best_score and end > start:
                best, best_score = (start, end), score
    return best


def align_mention(mention: str, label: str, text: str, threshold: float) -> Alignment:
    """Every exact occurrence; else every case-insensitive one; else the best fuzzy window."""
    mention = mention.strip().strip(EDGE_PUNCTUATION).strip()
    if not mention:
        return Alignment([], None)
    for method, flags in (("exact", 0), ("case", re.IGNORECASE)):
        found = _all(mention, text, flags)
        if found:
            return Alignment([Span(start, end, label) for start, end in found], method)
    window = _best_window(mention, text, threshold)
    if window is None:
        return Alignment([], None)
    return Alignment([Span(window[0], window[1], label)], "fuzzy")
