"""Find seed entities in generated text, tolerant of case, plurals and hyphen/space variants."""

import re
from dataclasses import dataclass

from synthner.trainer.corpus.example import Span

VOWELS = "aeiou"


@dataclass(frozen=True, slots=True)
class Seed:
    """An entity name given to the LLM and the label its occurrences get."""

    name: str
    label: str


def _inflected(word: str) -> str:
    """A pattern for the last word of a name with its plural forms (`-s`, `-es`, `y`/`-ies`)."""
    lower = word.lower()
    if lower.endswith("ies") and len(lower) > 4:
        return re.escape(word[:-3]) + "(?:y|ies)"
    if lower.endswith("y") and len(lower) > 2 and lower[-2] not in VOWELS:
        return re.escape(word[:-1]) + "(?:y|ies)"
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(lower) > 3:
        return re.escape(word[:-1]) + "(?:s|es)?"
    if not word[-1].isalpha():
        return re.escape(word)
    return re.escape(word) + "(?:s|es)?"


def seed_pattern(name: str) -> re.Pattern[str]:
    """A case-insensitive pattern for `name`: words may be joined by spaces or hyphens
    (`beta-blocker` ~ `beta blocker` ~ `betablocker`), the last word may be inflected."""
    words = name.split()
    if not words:
        raise ValueError("empty seed name")
    parts = []
    for position, word in enumerate(words):
        pieces = [piece for piece in word.split("-") if piece]
        if position == len(words) - 1 and pieces:
            pieces[-1] = _inflected(pieces[-1])
            escaped = [re.escape(piece) for piece in pieces[:-1]] + [pieces[-1]]
        else:
            escaped = [re.escape(piece) for piece in pieces]
        parts.append(r"[\s-]?".join(escaped))
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(parts) + r"(?!\w)", re.IGNORECASE)


def match_seeds(text: str, seeds: list[Seed]) -> list[Span]:
    """Spans for every occurrence of every seed; where matches overlap, the longest wins."""
    candidates = [
        Span(match.start(), match.end(), seed.label)
        for seed in seeds
        for match in seed_pattern(seed.name).finditer(text)
    ]
    return longest_first(candidates)


def longest_first(spans: list[Span]) -> list[Span]:
    """The spans that survive overlap resolution (longest wins, then the earliest), sorted."""
    chosen: list[Span] = []
    for span in sorted(set(spans), key=lambda s: (-(s.end - s.start), s.start, s.label)):
        if all(span.end <= other.start or span.start >= other.end for other in chosen):
            chosen.append(span)
    return sorted(chosen)


def names_match(name: str, mention: str) -> bool:
    """Whether `mention` (a tagged span's text) is `name`, up to case and inflection."""
    return seed_pattern(name).fullmatch(mention.strip()) is not None
