"""Annotated examples in memory and the file formats they are read from and written to."""

from synthner.trainer.corpus.example import CorpusError, Example, Relation, Span

__all__ = ["CorpusError", "Example", "Relation", "Span"]
