"""A runtime sequence-classifier folder (relation or assertion model) and its metadata.

The folder holds `model.onnx` (int8), `tokenizer.json` and `classifier.json` (`ClassifierMeta`),
written by `synthner classifier export` and read by the `synthner_relations` and
`synthner_assertion` components.
"""

import json
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CLASSIFIER_META_FILE = "classifier.json"
# Relation models are binary: is the pair linked or not; the link's name comes from its PairType.
RELATION_LABELS = ["none", "related"]
ASSERTION_LABELS = ["present", "negated", "hypothetical", "historical", "family"]
ENTITY_LABEL = re.compile(r"[A-Za-z0-9_]+")


class PairType(BaseModel):
    """Entities labelled `head` and `tail` form a candidate pair; a link between them is `label`."""

    model_config = ConfigDict(extra="forbid")

    head: str
    tail: str
    label: str

    @field_validator("head", "tail")
    @classmethod
    def _maskable(cls, value: str) -> str:
        # The label becomes the mask `@LABEL$`, which must read the same in GAD-style data.
        if not ENTITY_LABEL.fullmatch(value):
            raise ValueError(f"entity label {value!r} must be letters, digits or _ (it becomes @{value}$)")
        return value


DRUG_ADE = PairType(head="DRUG", tail="ADE", label="Adverse-Effect")


class ClassifierMeta(BaseModel):
    """What a classifier predicts and how its inputs are built (see `classifier_inputs.py`)."""

    model_config = ConfigDict(extra="forbid")

    task: Literal["relation", "assertion"]
    name: str = "synthner"
    version: str = "0.0.0"
    labels: list[str] = Field(min_length=2)  # classes, in the order of the model's logits
    max_tokens: int = Field(128, ge=16, le=512)
    context_chars: int = Field(400, ge=20)
    pairs: list[PairType] = []  # relation: the candidate pair types
    max_distance: int = Field(0, ge=0)  # relation: pairs across sentences up to this many characters apart
    targets: list[str] = []  # assertion: entity labels that get an assertion
    model_card: dict = {}

    @model_validator(mode="after")
    def _check_task(self) -> "ClassifierMeta":
        if self.task == "relation":
            if not self.pairs:
                raise ValueError("a relation classifier needs at least one pair type")
            if self.labels != RELATION_LABELS:
                raise ValueError(f"a relation classifier's labels are {RELATION_LABELS}, not {self.labels}")
        elif not self.targets:
            raise ValueError("an assertion classifier needs target entity labels")
        return self


def read_classifier_meta(folder: Path) -> ClassifierMeta:
    """Read `classifier.json` from a model folder, naming the folder when it is missing."""
    path = Path(folder) / CLASSIFIER_META_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"{folder} is not a synthner classifier folder: {CLASSIFIER_META_FILE} is missing"
        )
    return ClassifierMeta.model_validate(json.loads(path.read_text(encoding="utf-8")))


def write_classifier_meta(folder: Path, meta: ClassifierMeta) -> None:
    """Write `classifier.json` into a model folder."""
    (Path(folder) / CLASSIFIER_META_FILE).write_text(meta.model_dump_json(indent=2), encoding="utf-8")
