"""/healthz and /readyz, on a loaded server and on one whose model never loaded."""

import httpx
from synthner.serving import ServeSettings

from tests.serving.servers import thread_server


def test_a_loaded_server_is_live_and_ready(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "pending_documents": None}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready", "pending_documents": 0}


def test_without_a_loaded_model_it_is_live_but_not_ready_and_extract_says_so(tmp_path) -> None:
    # lifespan off: the app answers, but the pipeline was never loaded.
    with thread_server(ServeSettings(model=tmp_path), lifespan="off") as url:
        assert httpx.get(f"{url}/healthz").status_code == 200
        ready = httpx.get(f"{url}/readyz")
        assert ready.status_code == 503 and ready.json()["status"] == "not ready"
        extract = httpx.post(f"{url}/v1/extract", json={"text": "Started lisinopril."})
        assert extract.status_code == 503 and extract.headers["Retry-After"] == "1"
        assert "not loaded" in extract.json()["detail"]
