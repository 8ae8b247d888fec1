"""`create_app(settings)`: the FastAPI app; the pipeline loads in its lifespan, not at import."""

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Optional

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from synthner.serving import api, ops, web
from synthner.serving.batcher import MicroBatcher
from synthner.serving.metrics import Metrics
from synthner.serving.middleware import REQUEST_ID, RequestContext
from synthner.serving.model import load_served_model
from synthner.serving.service import Service, require_token
from synthner.serving.settings import ServeSettings

logger = logging.getLogger("synthner.serving")


def create_app(settings: Optional[ServeSettings] = None) -> FastAPI:
    """The service, configured by `settings` (default: from `SYNTHNER_*` variables)."""
    settings = settings if settings is not None else ServeSettings()
    service = Service(settings=settings, metrics=Metrics())
    app = FastAPI(
        title="synthner",
        summary="Clinical entity extraction that runs on your own machines.",
        version=_package_version(),
        lifespan=_lifespan,
        docs_url=None,  # replaced by web.docs, which needs no CDN
        redoc_url=None,
    )
    app.state.service = service
    auth = [Depends(require_token)]
    app.include_router(api.router, dependencies=auth)
    app.include_router(ops.metrics, dependencies=auth)
    app.include_router(ops.probes)
    app.include_router(web.router)
    web.mount_assets(app)
    app.add_exception_handler(RequestValidationError, _validation_error)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", REQUEST_ID],
            expose_headers=[REQUEST_ID],
        )
    app.add_middleware(
        RequestContext,
        metrics=service.metrics,
        max_body_bytes=settings.max_body_bytes,
        limit_name=settings.limit_name("max_body_bytes"),
    )
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    service: Service = app.state.service
    settings = service.settings
    started = time.perf_counter()
    service.model = await asyncio.to_thread(load_served_model, settings)
    service.batcher = MicroBatcher(
        service.model.tag,
        service.metrics,
        workers=settings.workers,
        batch_docs=settings.batch_docs,
        wait_s=settings.batch_wait_ms / 1000,
        max_pending=settings.max_pending_docs,
    )
    service.batcher.start()
    service.ready = True
    logger.info(
        "model loaded name=%s version=%s labels=%s workers=%d seconds=%.1f auth=%s",
        service.model.name,
        service.model.version,
        ",".join(service.model.labels),
        settings.workers,
        time.perf_counter() - started,
        "on" if settings.api_token else "off",
    )
    try:
        yield
    finally:
        service.ready = False
        await service.batcher.stop()
        logger.info("stopped")


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    # FastAPI's default handler echoes each bad input back; a note has no business there.
    assert isinstance(error, RequestValidationError)
    detail = [{"loc": list(item["loc"]), "msg": item["msg"], "type": item["type"]} for item in error.errors()]
    return JSONResponse({"detail": detail}, status_code=422)


def _package_version() -> str:
    try:
        return version("synthner")
    except PackageNotFoundError:
        return "0+unknown"
