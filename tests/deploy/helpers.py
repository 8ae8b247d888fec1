"""What the deployment files must agree with: the app's routes, settings and dependencies."""

import re
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from synthner.serving import ServeSettings, create_app

DEPLOY = Path(__file__).parents[2] / "deploy"
DEFAULT_PORT = ServeSettings.model_fields["port"].default


def app_routes() -> set[str]:
    """Paths in the app's OpenAPI schema (building the app loads no model)."""
    return set(create_app(ServeSettings()).openapi()["paths"])


def unknown_settings(names: list[str]) -> list[str]:
    """The `SYNTHNER_*` names among `names` that are no ServeSettings field."""
    fields = {f"SYNTHNER_{name.upper()}" for name in ServeSettings.model_fields}
    return [name for name in names if name.startswith("SYNTHNER_") and name not in fields]


def dependency_closure(name: str, extras: set[str]) -> set[str]:
    """Every distribution that installing `name[extras]` pulls in, from installed metadata."""
    seen: set[str] = set()
    todo = [(name, frozenset(extras))]
    while todo:
        current, wanted = todo.pop()
        try:
            requires = distribution(current).requires or []
        except PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            applies = requirement.marker is None or any(
                requirement.marker.evaluate({"extra": extra}) for extra in (wanted or {""})
            )
            key = _normal(requirement.name)
            if applies and key not in seen:
                seen.add(key)
                todo.append((requirement.name, frozenset(requirement.extras)))
    return seen


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
