"""The per-app state (settings, metrics, model, batcher) and the dependencies that reach it."""

import hmac
from dataclasses import dataclass
from typing import Annotated, Optional

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from synthner.serving.batcher import MicroBatcher
from synthner.serving.metrics import Metrics
from synthner.serving.model import ServedModel
from synthner.serving.settings import ServeSettings


@dataclass
class Service:
    """What one app instance holds; the model and batcher exist between lifespan start and stop."""

    settings: ServeSettings
    metrics: Metrics
    model: Optional[ServedModel] = None
    batcher: Optional[MicroBatcher] = None
    ready: bool = False


def get_service(request: Request) -> Service:
    """The app's Service."""
    return request.app.state.service


def get_model(service: Annotated[Service, Depends(get_service)]) -> ServedModel:
    """The loaded model (503 while none is loaded)."""
    if service.model is None or not service.ready:
        raise HTTPException(503, "the model is not loaded", headers={"Retry-After": "1"})
    return service.model


ServiceDep = Annotated[Service, Depends(get_service)]
ModelDep = Annotated[ServedModel, Depends(get_model)]
_bearer = HTTPBearer(auto_error=False, description="SYNTHNER_API_TOKEN, when the server sets one.")


def require_token(
    service: ServiceDep, credentials: Annotated[Optional[HTTPAuthorizationCredentials], Depends(_bearer)]
) -> None:
    """Reject the request (401) unless it carries the configured bearer token."""
    expected = service.settings.api_token
    if expected is None:
        return
    given = credentials.credentials if credentials is not None else ""
    # compare_digest takes as long for a near miss as for a wild guess.
    if not hmac.compare_digest(given.encode(), expected.get_secret_value().encode()):
        raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})
