"""Micro-batching of concurrent requests, and 503 with Retry-After beyond the queue bound."""

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.serving.conftest import LIMITED
from tests.serving.servers import metric

LONG_NOTE = ("Patient on lisinopril developed rash two days after the dose was raised. " * 30)[:1900]


def _post_all(client: httpx.Client, bodies: list[dict]) -> list[httpx.Response]:
    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(lambda body: client.post("/v1/extract", json=body), bodies))


def test_concurrent_requests_share_micro_batches(limited_client: httpx.Client) -> None:
    before = limited_client.get("/metrics").text
    texts = [f"Note {i}. {LONG_NOTE}"[:1900] for i in range(4)]
    responses = _post_all(limited_client, [{"text": text} for text in texts])
    assert [r.status_code for r in responses] == [200] * 4
    after = limited_client.get("/metrics").text
    batches = metric(after, "synthner_batch_documents_count") - metric(
        before, "synthner_batch_documents_count"
    )
    documents = metric(after, "synthner_documents_total") - metric(before, "synthner_documents_total")
    # One worker, a 50 ms collection window, and notes that take a while to tag: of four
    # requests sent at once, those that miss the first batch wait for the worker together.
    assert documents == 4 and 1 <= batches < 4


def test_beyond_the_pending_bound_requests_get_503_with_retry_after_and_the_queue_recovers(
    limited_client: httpx.Client,
) -> None:
    before = limited_client.get("/metrics").text
    full_batch = {"documents": [{"id": str(i), "text": LONG_NOTE} for i in range(LIMITED["max_batch_docs"])]}
    responses = _post_all(limited_client, [full_batch] * 6)
    codes = sorted(r.status_code for r in responses)
    assert 200 in codes and 503 in codes and set(codes) == {200, 503}
    for response in responses:
        if response.status_code == 503:
            assert response.headers["Retry-After"] == str(LIMITED["retry_after_s"])
            assert "overloaded" in response.json()["detail"] and "the limit is 4" in response.json()["detail"]
    after = limited_client.get("/metrics").text
    assert metric(after, "synthner_pending_documents") == 0
    rejected = metric(after, "synthner_overload_rejections_total") - metric(
        before, "synthner_overload_rejections_total"
    )
    assert rejected == codes.count(503)
    assert limited_client.post("/v1/extract", json=full_batch).status_code == 200


def test_a_client_that_gives_up_leaves_no_pending_documents_behind(limited_client: httpx.Client) -> None:
    batch = {"documents": [{"id": str(i), "text": LONG_NOTE} for i in range(LIMITED["max_batch_docs"])]}
    with pytest.raises(httpx.ReadTimeout):
        limited_client.post("/v1/extract", json=batch, timeout=httpx.Timeout(30, read=0.05))
    deadline = time.monotonic() + 60
    while limited_client.get("/readyz").json()["pending_documents"] > 0:
        assert time.monotonic() < deadline, "pending documents never drained"
        time.sleep(0.1)
    assert limited_client.post("/v1/extract", json=batch).status_code == 200
