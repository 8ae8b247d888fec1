"""GET /metrics: Prometheus counts of requests, latency, documents, tokens and entities; no text."""

from pathlib import Path

import httpx
from synthner.spacy_component.loading import load_pipeline, synthner_component
from synthner.spacy_component.spans import unaligned_count

from tests.serving.servers import metric

NOTES = [
    "Patient on lisinopril developed Blorptastic rash.",
    "Started metformin, no Blorptastic nausea.",
    "Fine.",
]


def test_an_extract_request_moves_every_counter_by_what_it_carried(
    client: httpx.Client, pipeline_folder: Path
) -> None:
    before = client.get("/metrics").text
    response = client.post(
        "/v1/extract", json={"documents": [{"id": str(i), "text": t} for i, t in enumerate(NOTES)]}
    )
    assert response.status_code == 200
    after = client.get("/metrics")
    assert after.headers["content-type"].startswith("text/plain")
    text = after.text

    def delta(name: str, **labels: str) -> float:
        return metric(text, name, **labels) - metric(before, name, **labels)

    nlp = load_pipeline(pipeline_folder)
    docs = list(nlp.pipe(NOTES))
    key = synthner_component(nlp)[1].spans_key
    assert delta("synthner_documents_total") == 3
    assert delta("synthner_tokens_total") == sum(len(doc) for doc in docs)
    assert delta("synthner_unaligned_predictions_total") == sum(unaligned_count(doc, key) for doc in docs)
    assert delta("synthner_requests_total", method="POST", route="/v1/extract", status="200") == 1
    assert delta("synthner_request_duration_seconds_count", route="/v1/extract") == 1
    entities = [e for d in response.json()["documents"] for e in d["entities"]]
    for label in ("DRUG", "ADE"):
        assert delta("synthner_entities_total", label=label) == sum(e["label"] == label for e in entities)
    assert delta("synthner_batch_documents_sum") == 3
    assert "Blorptastic" not in text and "lisinopril" not in text


def test_unknown_paths_and_methods_share_one_label(client: httpx.Client) -> None:
    for path in ["/no/such/thing-1", "/no/such/thing-2"]:
        assert client.get(path).status_code == 404
    assert client.request("BREW", "/healthz").status_code == 405
    text = client.get("/metrics").text
    assert metric(text, "synthner_requests_total", method="GET", route="unmatched", status="404") >= 2
    assert metric(text, "synthner_requests_total", method="other", route="/healthz", status="405") == 1
    assert "thing-1" not in text and "BREW" not in text
