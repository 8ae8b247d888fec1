"""What a runtime model folder holds, and its metadata (written by export, read by the runtime)."""

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "synthner.json"


class ModelMeta(BaseModel):
    """Metadata beside an ONNX model: its BIO tags and how texts are windowed."""

    model_config = ConfigDict(extra="forbid")

    name: str = "synthner"
    version: str = "0.0.0"
    tags: list[str]
    window_tokens: int = 256
    window_overlap: int = 64
    model_card: dict = {}

    @property
    def labels(self) -> list[str]:
        """Entity types, in the order their B- tags appear."""
        return [tag[2:] for tag in self.tags if tag.startswith("B-")]


def read_meta(folder: Path) -> ModelMeta:
    """Read `synthner.json` from a model folder, naming the folder when it is missing."""
    path = Path(folder) / META_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{folder} is not a synthner model folder: {META_FILE} is missing")
    return ModelMeta.model_validate(json.loads(path.read_text(encoding="utf-8")))


def write_meta(folder: Path, meta: ModelMeta) -> None:
    """Write `synthner.json` into a model folder."""
    (Path(folder) / META_FILE).write_text(meta.model_dump_json(indent=2), encoding="utf-8")
