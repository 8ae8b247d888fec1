"""What installing synthner with given extras pulls in: synthner's own requirements from
pyproject.toml (the installed metadata can predate an edit), the rest from installed metadata."""

import re
import tomllib
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"


def dependency_closure(extras: set[str]) -> set[str]:
    """Normalised names of every distribution that `pip install synthner[extras]` installs."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    roots = list(project["dependencies"])
    for extra in extras:
        roots += project["optional-dependencies"][extra]
    seen: set[str] = set()
    todo = [Requirement(line) for line in roots]
    while todo:
        requirement = todo.pop()
        key = normalise(requirement.name)
        if key in seen:
            continue
        seen.add(key)
        try:
            requires = distribution(requirement.name).requires or []
        except PackageNotFoundError:
            continue
        for line in requires:
            child = Requirement(line)
            wanted = requirement.extras or {""}
            if child.marker is None or any(child.marker.evaluate({"extra": e}) for e in wanted):
                todo.append(child)
    return seen


def modules_outside(extras: set[str]) -> list[str]:
    """Top-level modules installed here only by other extras (train, dev, ...): a process that
    cannot import them stands in for an install with just the base and `extras`."""
    every = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    outside = dependency_closure(set(every)) - dependency_closure(extras)
    return sorted(
        module
        for module, dists in packages_distributions().items()
        if module.isidentifier() and all(normalise(d) in outside for d in dists)
    )


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
