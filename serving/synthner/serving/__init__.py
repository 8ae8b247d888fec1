"""The synthner HTTP service: `create_app(settings)` builds it, `synthner serve` runs it."""

from synthner.serving.app import create_app
from synthner.serving.settings import ServeSettings

__all__ = ["ServeSettings", "create_app"]
