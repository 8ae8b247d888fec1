"""The typed, validated training configuration, saved beside every trained model."""

import json
from pathlib import Path
from typing import ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

CONFIG_FILE = "train_config.json"


class TrainSource(BaseModel):
    """One training corpus and its share of each epoch's examples (ratio 1.0 = all of it once)."""

    model_config = ConfigDict(extra="forbid")

    path: Path
    format: str | None = None
    ratio: float = Field(1.0, gt=0)


class FineTuneConfig(BaseModel):
    """What every fine-tuning run shares (optimiser, stopping, seed, model name); subclasses name
    the JSON file the config is saved to beside the model."""

    model_config = ConfigDict(extra="forbid")
    config_file: ClassVar[str]

    output: Path
    epochs: int = Field(10, ge=1)
    max_steps: int | None = Field(None, ge=1)
    batch_size: int = Field(16, ge=1)
    learning_rate: float = Field(5e-5, gt=0)
    weight_decay: float = Field(0.01, ge=0)
    warmup_ratio: float = Field(0.1, ge=0, lt=1)
    patience: int = Field(3, ge=1)  # epochs without a dev score gain before stopping
    seed: int = 13
    threads: int | None = None
    name: str = "synthner"
    version: str = "0.1.0"

    def save(self, folder: Path) -> None:
        """Write the config as JSON into the model folder."""
        (folder / self.config_file).write_text(self.model_dump_json(indent=2), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Self:
        """The config saved in a model folder, validated."""
        return cls.model_validate(json.loads((Path(folder) / cls.config_file).read_text(encoding="utf-8")))


class TrainConfig(FineTuneConfig):
    """Everything that decides a training run; seeded, so a rerun gives the same model."""

    config_file: ClassVar[str] = CONFIG_FILE

    train: list[TrainSource] = Field(min_length=1)
    dev: Path | None = None
    dev_format: str | None = None
    base: Path | None = None  # HF-format encoder folder; default: the MiniLM package
    init: Path | None = None  # a synthner model to continue from (synthetic first, then real)
    labels: list[str] | None = None  # entity types; default: those seen in training data
    label_map: dict[str, str] = {}
    window_tokens: int = Field(128, ge=16, le=512)
    window_overlap: int = Field(32, ge=0)

    @model_validator(mode="after")
    def _check(self) -> "TrainConfig":
        if self.base is not None and self.init is not None:
            raise ValueError("give either base (a pretrained encoder) or init (a synthner model), not both")
        if self.window_overlap >= self.window_tokens // 2:
            raise ValueError(f"window_overlap {self.window_overlap} must be under half of window_tokens")
        return self
