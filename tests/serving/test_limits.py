"""Text length, batch size and body size limits: 413 with a message naming the limit."""

import httpx

from tests.serving.conftest import LIMITED


def _note(chars: int) -> str:
    base = "Patient on lisinopril developed rash. "
    return (base * (chars // len(base) + 1))[:chars]


def test_a_text_at_the_limit_passes_and_one_over_it_is_413(limited_client: httpx.Client) -> None:
    limit = LIMITED["max_text_chars"]
    assert limited_client.post("/v1/extract", json={"text": _note(limit)}).status_code == 200
    response = limited_client.post("/v1/extract", json={"text": _note(limit + 1)})
    assert response.status_code == 413
    assert response.json()["detail"] == (
        f"the text has {limit + 1} characters; the limit is {limit} "
        "(max_text_chars (SYNTHNER_MAX_TEXT_CHARS))"
    )
    batch = [{"id": "ok", "text": "short"}, {"id": "long-one", "text": _note(limit + 5)}]
    response = limited_client.post("/v1/extract", json={"documents": batch})
    assert response.status_code == 413 and "document 'long-one' (#1)" in response.json()["detail"]


def test_a_batch_over_the_limit_is_413(limited_client: httpx.Client) -> None:
    limit = LIMITED["max_batch_docs"]
    docs = [{"id": str(i), "text": "Started lisinopril."} for i in range(limit + 1)]
    response = limited_client.post("/v1/extract", json={"documents": docs})
    assert response.status_code == 413
    assert f"{limit + 1} documents; the limit is {limit}" in response.json()["detail"]
    assert "SYNTHNER_MAX_BATCH_DOCS" in response.json()["detail"]
    assert limited_client.post("/v1/extract", json={"documents": docs[:limit]}).status_code == 200


def test_a_body_over_the_limit_is_413_whether_its_length_is_declared_or_streamed(
    limited_client: httpx.Client,
) -> None:
    limit = LIMITED["max_body_bytes"]
    body = b'{"text": "' + b"x" * limit + b'"}'
    declared = limited_client.post("/v1/extract", content=body, headers={"Content-Type": "application/json"})
    assert declared.status_code == 413
    assert declared.json()["detail"] == (
        f"the request body is {len(body)} bytes; the limit is {limit} "
        "(max_body_bytes (SYNTHNER_MAX_BODY_BYTES))"
    )

    def chunks():
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    streamed = limited_client.post(
        "/v1/extract", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert (
        f"more than {limit} bytes" in streamed.json()["detail"] and "SYNTHNER_MAX_BODY_BYTES" in streamed.text
    )
    assert limited_client.get("/readyz").status_code == 200
