"""Versioned prompt templates: `name.vN.jinja` files shipped in `prompts/` or given by path."""

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2

TEMPLATE_NAME = re.compile(r"^(?P<name>[A-Za-z0-9_-]+)\.(?P<version>v\d+)$")
_ENV = jinja2.Environment(
    undefined=jinja2.StrictUndefined, keep_trailing_newline=False, trim_blocks=True, lstrip_blocks=True
)


@dataclass(frozen=True)
class PromptTemplate:
    """A loaded template; `key` (`name.vN`) and `sha256` go into example meta and the data card."""

    name: str
    version: str
    source: str
    sha256: str
    text: str

    @property
    def key(self) -> str:
        return f"{self.name}.{self.version}"

    def render(self, **variables: object) -> str:
        """The prompt text; a variable the template needs but is not given raises."""
        try:
            return _ENV.from_string(self.text).render(**variables).strip()
        except jinja2.UndefinedError as error:
            raise ValueError(f"prompt template {self.source}: {error.message}") from error

    def card(self) -> dict:
        """What the data card records about this template."""
        return {"name": self.name, "version": self.version, "source": self.source, "sha256": self.sha256}


def load_template(ref: str) -> PromptTemplate:
    """`ref` is a shipped template (`tagged.v1`) or a path to a `name.vN.jinja` file."""
    if ref.endswith(".jinja"):
        path = Path(ref)
        stem = path.name.removesuffix(".jinja")
        if not path.is_file():
            raise FileNotFoundError(f"prompt template {path} does not exist")
        text, source = path.read_text(encoding="utf-8"), str(path)
    else:
        stem = ref
        shipped = resources.files("synthner.trainer.generate").joinpath("prompts", f"{ref}.jinja")
        if not shipped.is_file():
            raise FileNotFoundError(f"no shipped prompt template {ref!r} (looked for prompts/{ref}.jinja)")
        text, source = shipped.read_text(encoding="utf-8"), f"synthner:prompts/{ref}.jinja"
    match = TEMPLATE_NAME.match(stem)
    if match is None:
        raise ValueError(f"prompt template {ref!r}: the file name must look like NAME.vN.jinja")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return PromptTemplate(match["name"], match["version"], source, digest, text)
