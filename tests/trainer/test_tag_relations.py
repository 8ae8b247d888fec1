"""`synthner tag` with a pipeline holding relations and assertion: JSONL fields and the ADE report."""

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from synthner.trainer.cli import app

NOTES = [
    {"id": "n1", "text": "Lisinopril was continued; patient on cisplatin developed hearing loss."},
    {"id": "n2", "text": "Started metformin."},
    {"id": "n3", "text": "Patient on warfarin developed bleeding. Zyqwort."},
]


def tag(*args: object):
    return CliRunner().invoke(app, ["tag", *map(str, args), "--no-progress"])


def write_notes(folder: Path) -> Path:
    path = folder / "notes.jsonl"
    path.write_text("".join(json.dumps(note) + "\n" for note in NOTES), encoding="utf-8")
    return path


def test_jsonl_carries_relations_indexing_entities_and_assertion(
    ade_pipeline_dir: Path, tmp_path: Path
) -> None:
    result = tag(write_notes(tmp_path), "-o", tmp_path / "out.jsonl", "--model", ade_pipeline_dir)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    first = records[0]
    [relation] = first["relations"]
    head, tail = first["entities"][relation["head"]], first["entities"][relation["tail"]]
    assert (head["text"], tail["text"], relation["label"]) == ("cisplatin", "hearing loss", "Adverse-Effect")
    assert 0.5 <= relation["score"] <= 1
    assert tail["assertion"] == "present" and "assertion" not in head
    assert records[1]["relations"] == []


def test_ade_report_has_a_row_per_drug_and_effect_and_resumes(ade_pipeline_dir: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    result = tag(write_notes(tmp_path), "-o", report, "--model", ade_pipeline_dir, "--ade-report")
    assert result.exit_code == 0, result.output
    assert "Zyqwort" not in result.output
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert [(r["id"], r["drug"], r["ade"], r["relation"], r["assertion"]) for r in rows] == [
        ("n1", "cisplatin", "hearing loss", "Adverse-Effect", "present"),
        ("n3", "warfarin", "bleeding", "Adverse-Effect", "present"),
    ]
    text = NOTES[0]["text"]
    assert text[int(rows[0]["ade_start"]) : int(rows[0]["ade_end"])] == "hearing loss"
    assert text[int(rows[0]["drug_start"]) : int(rows[0]["drug_end"])] == "cisplatin"
    assert 0.5 <= float(rows[0]["relation_score"]) <= 1 and 0 < float(rows[0]["assertion_score"]) <= 1
    again = tag(write_notes(tmp_path), "-o", report, "--model", ade_pipeline_dir, "--ade-report")
    assert again.exit_code == 0 and len(list(csv.DictReader(report.open(encoding="utf-8")))) == 2


def test_an_effect_linked_to_no_drug_gets_a_row_with_the_drug_empty(
    ade_pipeline_dir: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.jsonl"
    # The effect's sentence names no drug, so no pair is a candidate.
    notes.write_text(
        json.dumps({"id": "x", "text": "Started warfarin. Severe bleeding attributed to it."}) + "\n"
    )
    result = tag(notes, "-o", tmp_path / "report.csv", "--model", ade_pipeline_dir, "--ade-report")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((tmp_path / "report.csv").open(encoding="utf-8")))
    assert [(r["drug"], r["ade"], r["relation"]) for r in rows] == [("", "bleeding", "")]


def test_ade_report_needs_a_relation_component(exported_model: Path, tmp_path: Path) -> None:
    result = tag(write_notes(tmp_path), "-o", tmp_path / "r.csv", "--model", exported_model, "--ade-report")
    assert result.exit_code == 1 and "needs a pipeline with a synthner_relations component" in result.output
    both = tag(
        write_notes(tmp_path),
        "-o",
        tmp_path / "r.csv",
        "--model",
        exported_model,
        "--ade-report",
        "--format",
        "csv",
    )
    assert both.exit_code == 1 and "drop --format csv" in both.output
