"""POST /v1/extract: one text or a batch, the entity fields, and the same results as nlp.pipe."""

import json
from pathlib import Path

import httpx
from synthner.spacy_component.loading import load_pipeline, synthner_component
from synthner.spacy_component.spans import doc_entities

NOTES = [
    "Patient on lisinopril developed rash.",
    "Severe nausea attributed to metformin; the drug was stopped.",
    "Started warfarin for blood pressure control.",
    "",
]


def test_one_text_gets_its_entities_and_the_model_name(client: httpx.Client) -> None:
    response = client.post("/v1/extract", json={"text": "Started lisinopril."})
    assert response.status_code == 200
    body = response.json()
    assert body["model"] == {"name": "synthner_tiny", "version": "0.0.1"}
    [document] = body["documents"]
    assert document["id"] is None
    assert [(e["label"], e["text"], e["start"], e["end"]) for e in document["entities"]] == [
        ("DRUG", "lisinopril", 8, 18)
    ]
    assert 0 < document["entities"][0]["score"] <= 1


def test_a_batch_keeps_ids_and_order_and_matches_in_process_nlp_pipe(
    client: httpx.Client, pipeline_folder: Path
) -> None:
    documents = [{"id": f"note-{i}", "text": text} for i, text in enumerate(NOTES)]
    response = client.post("/v1/extract", json={"documents": documents})
    assert response.status_code == 200
    served = response.json()["documents"]
    assert [d["id"] for d in served] == [d["id"] for d in documents]
    nlp = load_pipeline(pipeline_folder)
    key = synthner_component(nlp)[1].spans_key
    expected = [doc_entities(doc, key) for doc in nlp.pipe(NOTES)]
    for got, want, text in zip(served, expected, NOTES, strict=True):
        assert [(e["start"], e["end"], e["label"], e["text"]) for e in got["entities"]] == [
            (e["start"], e["end"], e["label"], e["text"]) for e in want
        ]
        assert all(text[e["start"] : e["end"]] == e["text"] for e in got["entities"])
        assert [round(e["score"], 4) for e in got["entities"]] == [round(e["score"], 4) for e in want]
    assert any(e["label"] == "ADE" for d in served for e in d["entities"])


def test_malformed_requests_are_422_naming_the_problem_without_echoing_the_text(client: httpx.Client) -> None:
    note = "Confidential: Mrs Quillfeather on lisinopril."
    cases = [
        ({"text": note, "documents": [{"id": "a", "text": note}]}, "either 'text' or 'documents'"),
        ({}, "either 'text' or 'documents'"),
        ({"documents": [{"id": "a", "text": note}, {"id": "a", "text": note}]}, "'a' appears more than once"),
        ({"documents": [{"text": note}]}, "Field required"),
        ({"text": note, "language": "en"}, "Extra inputs are not permitted"),
        ({"text": 12}, "valid string"),
        ({"documents": [{"id": "s", "text": note + "\ud800"}]}, "lone surrogate at character 45"),
    ]
    json_headers = {"Content-Type": "application/json"}
    for body, message in cases:
        # json.dumps escapes the lone surrogate as \ud800, which is valid JSON.
        response = client.post("/v1/extract", content=json.dumps(body), headers=json_headers)
        assert response.status_code == 422, body
        assert message in response.text
        assert "Quillfeather" not in response.text
    broken = client.post("/v1/extract", content=b'{"text": "Quillfeather', headers=json_headers)
    assert broken.status_code == 422 and "Quillfeather" not in broken.text
