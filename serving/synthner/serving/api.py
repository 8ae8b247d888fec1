"""`/v1/extract` and `/v1/model`."""

import logging

from fastapi import APIRouter, HTTPException, Request
from synthner.serving.batcher import Overloaded
from synthner.serving.middleware import ID_KEY, LOG_KEY
from synthner.serving.schemas import (
    DocumentOut,
    EntityOut,
    ExtractRequest,
    ExtractResponse,
    ModelInfo,
    ModelRef,
)
from synthner.serving.service import ModelDep, ServiceDep
from synthner.serving.settings import ServeSettings

logger = logging.getLogger("synthner.serving")
router = APIRouter(prefix="/v1", tags=["extraction"])
_ERRORS = {
    401: {"description": "Missing or wrong bearer token (only when SYNTHNER_API_TOKEN is set)."},
    413: {"description": "A limit was exceeded: the message names it."},
    503: {"description": "Overloaded or not ready; retry after Retry-After seconds."},
}


@router.post("/extract", response_model=ExtractResponse, responses=_ERRORS)
async def extract(
    body: ExtractRequest, request: Request, service: ServiceDep, model: ModelDep
) -> ExtractResponse:
    """Entities (start, end, label, text, score, and assertion where the pipeline has an assertion
    model) and drug -> effect relations (with a relation model) for one `text` or a batch of `documents`."""
    items = body.items()
    _check_limits(items, service.settings)
    request.scope[LOG_KEY].update(documents=len(items), chars=sum(len(text) for _, text in items))
    assert service.batcher is not None
    try:
        results = await service.batcher.submit([text for _, text in items])
    except Overloaded as error:
        service.metrics.rejected.inc()
        raise HTTPException(
            503,
            f"overloaded: {error}; retry later",
            headers={"Retry-After": str(service.settings.retry_after_s)},
        ) from None
    except Exception as error:
        # The exception's message could quote the note, so only its type is logged.
        logger.error("inference failed id=%s error=%s", request.scope[ID_KEY], type(error).__name__)
        raise HTTPException(500, "inference failed; the server log has the request id") from None
    documents = [
        DocumentOut(
            id=doc_id,
            entities=[EntityOut(**entity) for entity in result.entities],
            relations=result.relations,
        )
        for (doc_id, _), result in zip(items, results, strict=True)
    ]
    return ExtractResponse(model=ModelRef(name=model.name, version=model.version), documents=documents)


@router.get("/model", response_model=ModelInfo, responses={401: _ERRORS[401], 503: _ERRORS[503]})
async def model_info(model: ModelDep) -> ModelInfo:
    """The served model's name, version, labels and model card."""
    return ModelInfo(
        name=model.name,
        version=model.version,
        labels=model.labels,
        description=model.description,
        model_card=model.model_card,
    )


def _check_limits(items: list[tuple[str | None, str]], settings: ServeSettings) -> None:
    if len(items) > settings.max_batch_docs:
        raise HTTPException(
            413,
            f"the request has {len(items)} documents; the limit is {settings.max_batch_docs} "
            f"({settings.limit_name('max_batch_docs')})",
        )
    for index, (doc_id, text) in enumerate(items):
        if len(text) > settings.max_text_chars:
            which = "the text" if doc_id is None else f"document {doc_id!r} (#{index})"
            raise HTTPException(
                413,
                f"{which} has {len(text)} characters; the limit is {settings.max_text_chars} "
                f"({settings.limit_name('max_text_chars')})",
            )
