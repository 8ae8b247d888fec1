"""Request ids on every response, security headers, and CORS (off unless configured)."""

import re

import httpx

from tests.serving.conftest import CORS_ORIGIN
from tests.serving.servers import Subprocess

GENERATED = re.compile(r"[0-9a-f]{32}")


def test_every_response_has_a_request_id_and_a_sane_client_id_is_kept(guarded_server: Subprocess) -> None:
    with httpx.Client(base_url=guarded_server.url) as http:
        for method, path in [("GET", "/healthz"), ("POST", "/v1/extract"), ("GET", "/nowhere"), ("GET", "/")]:
            response = http.request(method, path)
            assert GENERATED.fullmatch(response.headers["X-Request-ID"]), path
        kept = http.get("/healthz", headers={"X-Request-ID": "ward-7:req.42_a-b"})
        assert kept.headers["X-Request-ID"] == "ward-7:req.42_a-b"
        for insane in ["has space", "x" * 129, "new\\nline", "<script>"]:
            replaced = http.get("/healthz", headers={"X-Request-ID": insane})
            assert GENERATED.fullmatch(replaced.headers["X-Request-ID"]), insane


def test_responses_forbid_outside_resources_and_caching(guarded_server: Subprocess) -> None:
    headers = httpx.get(f"{guarded_server.url}/").headers
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert headers["Cache-Control"] == "no-store" and headers["X-Content-Type-Options"] == "nosniff"


def test_cors_is_off_by_default(client: httpx.Client) -> None:
    response = client.post(
        "/v1/extract", json={"text": "Started lisinopril."}, headers={"Origin": CORS_ORIGIN}
    )
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/v1/extract", headers={"Origin": CORS_ORIGIN, "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_exactly_the_configured_origins(limited_client: httpx.Client) -> None:
    allowed = limited_client.post("/v1/extract", json={"text": "x"}, headers={"Origin": CORS_ORIGIN})
    assert allowed.headers["access-control-allow-origin"] == CORS_ORIGIN
    other = limited_client.post(
        "/v1/extract", json={"text": "x"}, headers={"Origin": "http://elsewhere.example"}
    )
    assert "access-control-allow-origin" not in other.headers
