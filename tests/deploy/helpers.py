"""What the deployment files must agree with: the app's routes and settings."""

from pathlib import Path

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
