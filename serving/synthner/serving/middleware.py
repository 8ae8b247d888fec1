"""One ASGI middleware around every request: request id, body limit, security headers,
metrics and the access log.

The access log line carries the request id, route, status, sizes and timing, and whatever
counts the route put in `scope[LOG_KEY]`; it never carries a body, a query or a header value.
"""

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from synthner.serving.metrics import Metrics

logger = logging.getLogger("synthner.serving")

REQUEST_ID = "x-request-id"
LOG_KEY = "synthner.log"
ID_KEY = "synthner.request_id"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Metric labels take these methods as they are and any other as "other", so that made-up
# methods cannot grow the number of series without bound.
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
# Everything the pages use comes from this server; Swagger UI draws its icons from data: URIs.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        b"object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


def request_id(headers: dict[bytes, bytes]) -> str:
    """The client's X-Request-ID when it is short and plain, else a new random one."""
    given = headers.get(REQUEST_ID.encode(), b"").decode("latin-1")
    return given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex


class RequestContext:
    """Wraps the app; see the module docstring."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, max_body_bytes: int, limit_name: str) -> None:
        self.app = app
        self.metrics = metrics
        self.max_body_bytes = max_body_bytes
        self.limit_name = limit_name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = dict(scope["headers"])
        rid = request_id(headers)
        scope[LOG_KEY] = {}
        scope[ID_KEY] = rid
        sizes = {"in": 0, "out": 0}
        status = [500]

        async def send_wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (REQUEST_ID.encode(), rid.encode()),
                    *SECURITY_HEADERS,
                ]
            elif message["type"] == "http.response.body":
                sizes["out"] += len(message.get("body", b""))
            await send(message)

        async def receive_limited() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                sizes["in"] += len(message.get("body", b""))
                if sizes["in"] > self.max_body_bytes:
                    raise HTTPException(413, self._too_large(f"more than {self.max_body_bytes}"))
            return message

        try:
            declared = _content_length(headers)
            if declared is not None and declared > self.max_body_bytes:
                await _send_json(send_wrapped, 413, {"detail": self._too_large(str(declared))})
            else:
                await self.app(scope, receive_limited, send_wrapped)
        finally:
            self._observe(scope, rid, status[0], sizes, time.perf_counter() - started)

    def _too_large(self, size: str) -> str:
        return f"the request body is {size} bytes; the limit is {self.max_body_bytes} ({self.limit_name})"

    def _observe(self, scope: Scope, rid: str, status: int, sizes: dict[str, int], seconds: float) -> None:
        route = getattr(scope.get("route"), "path", None) or "unmatched"
        method = scope["method"] if scope["method"] in _METHODS else "other"
        self.metrics.requests.labels(method=method, route=route, status=str(status)).inc()
        self.metrics.latency.labels(route=route).observe(seconds)
        counts = " ".join(f"{key}={value}" for key, value in scope[LOG_KEY].items())
        logger.info(
            "request id=%s method=%s route=%s status=%d bytes_in=%d bytes_out=%d ms=%.1f %s",
            rid,
            method,
            route,
            status,
            sizes["in"],
            sizes["out"],
            seconds * 1000,
            counts,
        )


def _content_length(headers: dict[bytes, bytes]) -> int | None:
    value = headers.get(b"content-length")
    return int(value) if value is not None and value.isdigit() else None


async def _send_json(send: Send, status: int, body: Any) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
