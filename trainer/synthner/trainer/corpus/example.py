"""The one in-memory type for an annotated example: text, labelled spans, relations, metadata."""

from dataclasses import dataclass, field
from typing import Any


class CorpusError(ValueError):
    """Bad input in a corpus file; the message names the file, the line and the problem."""

    def __init__(self, problem: str, source: str | None = None, line: int | None = None) -> None:
        where = ":".join(str(part) for part in (source, line) if part is not None)
        super().__init__(f"{where}: {problem}" if where else problem)
        self.problem = problem
        self.source = source
        self.line = line


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """`text[start:end]` is an entity of type `label` (character offsets, end exclusive)."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed link from the entity at index `head` to the one at index `tail`."""

    head: int
    tail: int
    label: str


@dataclass(slots=True)
class Example:
    """An annotated text; `entities` are sorted by offset, relations index into them."""

    id: str
    text: str
    entities: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def validate(self, allow_overlap: bool = False) -> None:
        """Raise CorpusError when a span leaves the text, is empty, overlaps, or a relation dangles."""
        previous: Span | None = None
        for span in self.entities:
            if not 0 <= span.start < span.end <= len(self.text):
                raise CorpusError(
                    f"example {self.id!r}: span {span.start}-{span.end} ({span.label}) "
                    f"is outside the text of length {len(self.text)} or empty"
                )
            if not span.label:
                raise CorpusError(f"example {self.id!r}: span {span.start}-{span.end} has no label")
            if not allow_overlap and previous is not None and span.start < previous.end:
                raise CorpusError(
                    f"example {self.id!r}: span {span.start}-{span.end} ({span.label}) overlaps "
                    f"{previous.start}-{previous.end} ({previous.label})"
                )
            previous = span
        for relation in self.relations:
            for index in (relation.head, relation.tail):
                if not 0 <= index < len(self.entities):
                    raise CorpusError(
                        f"example {self.id!r}: relation {relation.label} points to entity {index}, "
                        f"but there are {len(self.entities)}"
                    )

    def checked(self, allow_overlap: bool = False) -> "Example":
        """A sorted, validated copy; relations are checked before sorting, which re-indexes them."""
        self.validate(allow_overlap=True)
        example = self.sorted()
        example.validate(allow_overlap)
        return example

    def sorted(self) -> "Example":
        """A copy with entities sorted by offset and relations re-indexed to match."""
        order = sorted(range(len(self.entities)), key=lambda i: self.entities[i])
        new_index = {old: new for new, old in enumerate(order)}
        return Example(
            self.id,
            self.text,
            [self.entities[i] for i in order],
            [Relation(new_index[r.head], new_index[r.tail], r.label) for r in self.relations],
            dict(self.meta),
        )

    def span_text(self, span: Span) -> str:
        """The covered text of one span."""
        return self.text[span.start : span.end]
