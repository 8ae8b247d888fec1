"""The runtime's result type: one predicted entity as a character span."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Entity:
    """A predicted entity: `text[start:end]` has type `label` with confidence `score`."""

    start: int
    end: int
    label: str
    score: float = 1.0
