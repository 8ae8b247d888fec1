"""POST /v1/extract with a pipeline holding assertion and relation models: the new fields,
the same results as in-process nlp.pipe, and their place in the OpenAPI schema."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from synthner.serving import ServeSettings
from synthner.spacy_component.links import doc_relations
from synthner.spacy_component.loading import load_pipeline
from synthner.spacy_component.spans import doc_entities

from tests.serving.servers import thread_server

NOTES = [
    "Lisinopril was continued; patient on cisplatin developed hearing loss.",
    "Started metformin.",
]


@pytest.fixture(scope="module")
def ade_client(ade_pipeline_dir: Path) -> Iterator[httpx.Client]:
    with thread_server(ServeSettings(model=ade_pipeline_dir, workers=1)) as url:
        with httpx.Client(base_url=url, timeout=60) as http:
            yield http


def test_documents_carry_relations_and_entities_their_assertion(
    ade_client: httpx.Client, ade_pipeline_dir: Path
) -> None:
    documents = [{"id": f"n{i}", "text": text} for i, text in enumerate(NOTES)]
    response = ade_client.post("/v1/extract", json={"documents": documents})
    assert response.status_code == 200
    first, second = response.json()["documents"]
    [relation] = first["relations"]
    head, tail = first["entities"][relation["head"]], first["entities"][relation["tail"]]
    assert (head["text"], tail["text"], relation["label"]) == ("cisplatin", "hearing loss", "Adverse-Effect")
    assert tail["assertion"] == "present" and head["assertion"] is None and head["assertion_score"] is None
    assert second["relations"] == []
    nlp = load_pipeline(ade_pipeline_dir)
    doc = nlp(NOTES[0])
    entities = doc_entities(doc, "synthner")
    assert first["relations"] == doc_relations(doc, entities)
    assert [e["assertion_score"] for e in first["entities"]] == [e.get("assertion_score") for e in entities]


def test_the_openapi_schema_documents_relations_and_assertion(ade_client: httpx.Client) -> None:
    schemas = ade_client.get("/openapi.json").json()["components"]["schemas"]
    assert set(schemas["RelationOut"]["properties"]) == {"head", "tail", "label", "score"}
    assert "relation model" in schemas["DocumentOut"]["properties"]["relations"]["description"]
    assert "negated" in schemas["EntityOut"]["properties"]["assertion"]["description"]


def test_a_pipeline_without_relation_model_answers_null_relations(limited_client: httpx.Client) -> None:
    [document] = limited_client.post("/v1/extract", json={"text": NOTES[0]}).json()["documents"]
    assert document["relations"] is None
    assert all(entity["assertion"] is None for entity in document["entities"])
