"""Torch-free runtime: ONNX token classification, decoding to character spans, spaCy component."""

from synthner.spacy_component.entities import Entity
from synthner.spacy_component.tagger import Tagger

__all__ = ["Entity", "Tagger"]
