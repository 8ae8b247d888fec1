"""The typed, validated classifier training configuration, saved beside every trained model."""

from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from synthner.spacy_component.classifier_files import (
    ASSERTION_LABELS,
    DRUG_ADE,
    RELATION_LABELS,
    ClassifierMeta,
    PairType,
)
from synthner.trainer.training.config import FineTuneConfig, TrainSource

CONFIG_FILE = "classifier_config.json"


class ClassifierSource(TrainSource):
    """One training file and its share of each epoch (ratio 1.0 = all of it once).

    Relation data: masked `sentence<TAB>label` TSV (GAD, EU-ADR), the relation recipe's
    `{"id", "text", "label"}` JSONL, or any annotated corpus with entities and relations
    (tagged generation, the ADE corpus), whose candidate pairs are built as at run time.
    Assertion data: a corpus whose examples carry `meta["assertion"]` (the assertion recipe).
    `format` is the corpus format; None: from the file name.
    """


class ClassifierConfig(FineTuneConfig):
    """Everything that decides a classifier training run; seeded, so a rerun gives the same model."""

    config_file: ClassVar[str] = CONFIG_FILE

    task: Literal["relation", "assertion"]
    train: list[ClassifierSource] = Field(min_length=1)
    dev: ClassifierSource | None = None
    base: Path | None = None  # HF-format encoder folder; default: the MiniLM package
    labels: list[str] | None = None  # assertion classes; default: the five of ASSERTION_LABELS
    pairs: list[PairType] = [DRUG_ADE]  # relation: candidate pair types
    targets: list[str] = ["ADE", "DISEASE"]  # assertion: entity labels classified
    label_map: dict[str, str] = {}  # rename corpus entity labels (Drug=DRUG, Adverse-Effect=ADE)
    epochs: int = Field(4, ge=1)  # defaults of its own; NER's are 10 epochs, patience 3
    patience: int = Field(2, ge=1)
    max_tokens: int = Field(128, ge=16, le=512)
    context_chars: int = Field(400, ge=20)
    max_distance: int = Field(0, ge=0)

    @model_validator(mode="after")
    def _check(self) -> "ClassifierConfig":
        if self.task == "relation" and self.labels not in (None, RELATION_LABELS):
            raise ValueError(f"relation classes are fixed ({RELATION_LABELS}); set pairs to name the links")
        if self.labels is not None and len(set(self.labels)) != len(self.labels):
            raise ValueError(f"labels {self.labels} repeat a class")
        return self

    @property
    def classes(self) -> list[str]:
        """The model's classes, in logit order."""
        if self.task == "relation":
            return list(RELATION_LABELS)
        return list(self.labels or ASSERTION_LABELS)

    def meta(self) -> ClassifierMeta:
        """The runtime metadata a model trained with this config carries."""
        relation = self.task == "relation"
        return ClassifierMeta(
            task=self.task,
            name=self.name,
            version=self.version,
            labels=self.classes,
            max_tokens=self.max_tokens,
            context_chars=self.context_chars,
            pairs=self.pairs if relation else [],
            max_distance=self.max_distance if relation else 0,
            targets=[] if relation else self.targets,
        )
