"""The typed configuration of one `synthner generate` run, read from YAML and validated."""

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from synthner.trainer.generate.backends.config import BackendConfig
from synthner.trainer.generate.leakage import LeakageConfig
from synthner.trainer.generate.postprocess import PostprocessConfig
from synthner.trainer.generate.recipes import RecipeConfig


class ConfigError(ValueError):
    """A config file that cannot be used; the message names the file and the field."""


class GenerateConfig(BaseModel):
    """Backend, recipe, post-processing and (optionally) a leakage audit."""

    model_config = ConfigDict(extra="forbid")
    backend: BackendConfig
    recipe: RecipeConfig
    requests_per_call: int = Field(16, ge=1)  # requests handed to the backend at once
    postprocess: PostprocessConfig = PostprocessConfig()
    leakage: LeakageConfig | None = None


def parse_config(data: object, source: str = "<config>") -> GenerateConfig:
    """Validate a loaded mapping; ConfigError lists every bad field as `a.b.c: problem`."""
    try:
        return GenerateConfig.model_validate(data)
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(part) for part in e['loc']) or '(top level)'}: {e['msg']}" for e in error.errors()
        ]
        raise ConfigError(f"{source}: invalid generation config\n  " + "\n  ".join(problems)) from None


def load_config(path: Path) -> GenerateConfig:
    """Read and validate a YAML config (relative paths in it are relative to the working directory)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: config file does not exist")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML ({error})") from None
    return parse_config(data, str(path))
