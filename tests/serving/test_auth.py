"""Bearer-token auth: /v1/* and /metrics need it when SYNTHNER_API_TOKEN is set; probes and pages do not."""

import httpx

from tests.serving.conftest import API_TOKEN
from tests.serving.servers import Subprocess


def test_protected_routes_answer_401_without_the_right_bearer_token(guarded_server: Subprocess) -> None:
    wrong = [
        {},
        {"Authorization": "Bearer nope"},
        {"Authorization": f"Bearer {API_TOKEN}x"},
        {"Authorization": f"Bearer {API_TOKEN[:-1]}"},
        {"Authorization": f"Basic {API_TOKEN}"},
        {"Authorization": API_TOKEN},
    ]
    with httpx.Client(base_url=guarded_server.url) as http:
        for headers in wrong:
            for method, path in [("POST", "/v1/extract"), ("GET", "/v1/model"), ("GET", "/metrics")]:
                response = http.request(method, path, headers=headers, json={"text": "Started lisinopril."})
                assert response.status_code == 401, (headers, path)
                assert response.headers["WWW-Authenticate"] == "Bearer"
        good = {"Authorization": f"Bearer {API_TOKEN}"}
        assert http.post("/v1/extract", headers=good, json={"text": "Started lisinopril."}).status_code == 200


def test_probes_pages_and_docs_need_no_token(guarded_server: Subprocess) -> None:
    with httpx.Client(base_url=guarded_server.url) as http:
        for path in ["/healthz", "/readyz", "/", "/docs", "/openapi.json", "/static/app.js"]:
            assert http.get(path).status_code == 200, path


def test_without_a_configured_token_no_header_is_needed(limited_client: httpx.Client) -> None:
    assert limited_client.post("/v1/extract", json={"text": "Started lisinopril."}).status_code == 200
    assert limited_client.get("/metrics").status_code == 200
