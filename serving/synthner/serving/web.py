"""The clinician's page at `/` and the API docs at `/docs`, with every asset served from here.

FastAPI's own /docs loads Swagger UI from a CDN; this one loads the copy of Swagger UI 5
that the `fastapi-offline` package ships, so the page works on an air-gapped network.
"""

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
SWAGGER_UI = Path(str(files("fastapi_offline") / "static"))
router = APIRouter(include_in_schema=False)


@router.get("/")
async def index() -> FileResponse:
    """Paste a note, see its entities highlighted."""
    return FileResponse(STATIC / "index.html")


@router.get("/docs")
async def docs() -> FileResponse:
    """Swagger UI over /openapi.json."""
    return FileResponse(STATIC / "docs.html")


def mount_assets(app: FastAPI) -> None:
    """Serve the page's files and Swagger UI's under /static."""
    app.mount("/static/swagger-ui", StaticFiles(directory=SWAGGER_UI), name="swagger-ui")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
