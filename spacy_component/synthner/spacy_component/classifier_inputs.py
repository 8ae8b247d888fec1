"""The one input form of the relation and assertion classifiers: training, evaluation and the
spaCy components all build model inputs here, so they cannot drift apart.

Relation: the sentence (or sentences) holding both mentions, each mention replaced by a mask
naming its entity type, `... @DRUG$ ... @ADE$ ...`, the form of the BioBERT GAD and EU-ADR
data (`@GENE$ ... @DISEASE$`): their rows are model inputs as they are, and the model reads
the words linking the pair instead of memorising drug and effect names.
Assertion: the sentence holding the mention, the mention replaced by `@PROBLEM$`: whether it is
present, negated, hypothetical, historical or in the family is in the words around it.
A context longer than `context_chars` is cut around the mentions.
"""

import bisect
import re
from collections.abc import Sequence
from typing import NamedTuple

from synthner.spacy_component.classifier_files import PairType

ASSERTION_MASK = "@PROBLEM$"
# A sentence ends after . ! or ? (and closing quotes or brackets) before whitespace and a
# character that is not a lower-case letter ("e.g. nausea" stays whole), or at a blank line.
SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[^a-z\s])|\n[ \t]*\n\s*")


class Mention(NamedTuple):
    """An entity mention: `text[start:end]` of type `label`."""

    start: int
    end: int
    label: str


class Candidate(NamedTuple):
    """A pair to classify: indices of its head and tail mentions, and its pair type."""

    head: int
    tail: int
    pair: PairType


class Sentences:
    """Sentence bounds of a text, found once and looked up by character position."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in SENTENCE_BREAK.finditer(text) if m.end() < len(text)]

    def index(self, position: int) -> int:
        """The sentence holding character `position`."""
        return bisect.bisect_right(self.starts, position) - 1

    def bounds(self, index: int) -> tuple[int, int]:
        """`(start, end)` of sentence `index`, trailing whitespace excluded."""
        start = self.starts[index]
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        return start, len(self.text[start:end].rstrip()) + start


def mask(label: str) -> str:
    """The mask that replaces a mention of entity type `label` in a relation input."""
    return f"@{label}$"


def overlaps(a: Mention, b: Mention) -> bool:
    """Whether two mentions share a character (such a pair cannot be masked)."""
    return a.start < b.end and b.start < a.end


def candidate_pairs(
    mentions: Sequence[Mention], pairs: Sequence[PairType], sentences: Sentences, max_distance: int
) -> list[Candidate]:
    """Every (head, tail) of a pair type in one sentence, or at most `max_distance` characters
    apart; overlapping mentions are left out (masking one would hide the other)."""
    found = []
    for pair in pairs:
        for h, head in enumerate(mentions):
            if head.label != pair.head:
                continue
            for t, tail in enumerate(mentions):
                if t == h or tail.label != pair.tail or overlaps(head, tail):
                    continue
                gap = max(head.start, tail.start) - min(head.end, tail.end)
                if sentences.index(head.start) == sentences.index(tail.start) or gap <= max_distance:
                    found.append(Candidate(h, t, pair))
    return found


def relation_input(text: str, head: Mention, tail: Mention, context_chars: int, sentences: Sentences) -> str:
    """The sentence(s) around a non-overlapping pair with both mentions masked."""
    if overlaps(head, tail):
        raise ValueError(f"mentions {head} and {tail} overlap and cannot both be masked")
    first, second = sorted((head, tail))
    lo, hi = _context(sentences, first.start, second.end, context_chars)
    return (
        text[lo : first.start]
        + mask(first.label)
        + text[first.end : second.start]
        + mask(second.label)
        + text[second.end : hi]
    ).strip()


def assertion_input(text: str, mention: Mention, context_chars: int, sentences: Sentences) -> str:
    """The sentence around a mention, the mention masked as `@PROBLEM$`."""
    lo, hi = _context(sentences, mention.start, mention.end, context_chars)
    return (text[lo : mention.start] + ASSERTION_MASK + text[mention.end : hi]).strip()


def _context(sentences: Sentences, start: int, end: int, limit: int) -> tuple[int, int]:
    """The sentences covering `[start, end)`, cut to `limit` characters around it when longer."""
    lo = sentences.bounds(sentences.index(start))[0]
    hi = max(end, sentences.bounds(sentences.index(max(start, end - 1)))[1])
    if hi - lo <= limit:
        return lo, hi
    spare = max(0, limit - (end - start))
    left = min(start - lo, spare // 2)
    right = min(hi - end, spare - left)
    left = min(start - lo, spare - right)  # room the right side did not use goes left
    return start - left, end + right
