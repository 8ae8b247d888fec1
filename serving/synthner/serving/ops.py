"""Probes and metrics: `/healthz`, `/readyz`, `/metrics`."""

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from synthner.serving.schemas import Health
from synthner.serving.service import ServiceDep

probes = APIRouter(tags=["operations"])
metrics = APIRouter(tags=["operations"])


@probes.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """Liveness: the process answers."""
    return Health(status="ok")


@probes.get("/readyz", response_model=Health, responses={503: {"model": Health}})
async def readyz(service: ServiceDep) -> Response:
    """Readiness: the model is loaded and the inference pool is running."""
    batcher = service.batcher
    if not service.ready or batcher is None or not batcher.running:
        return JSONResponse(Health(status="not ready").model_dump(), status_code=503)
    return JSONResponse(Health(status="ready", pending_documents=batcher.pending).model_dump())


@metrics.get("/metrics", response_class=Response)
async def prometheus(service: ServiceDep) -> Response:
    """Prometheus text format: requests, latency, documents, tokens, batches (no text)."""
    return Response(service.metrics.exposition(), media_type=service.metrics.content_type)
