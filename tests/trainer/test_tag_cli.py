"""`synthner tag`: every input and output format, bad records, resuming after a kill, HTML."""

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synthner.spacy_component import loading
from synthner.trainer.cli import app
from synthner.trainer.corpus.brat import read_brat
from synthner.trainer.corpus.docbin import read_docbin
from tests.factory import ade_examples

SECRET = "Zyqwort"  # a word in a note text that must never reach the terminal
# `synthner ...` in a subprocess where torch cannot be imported, as on the base install.
CLI_WITHOUT_TORCH = (
    "import sys; sys.modules['torch'] = None; sys.modules['transformers'] = None\n"
    "from synthner.trainer.cli import app; app(prog_name='synthner')"
)


def tag(*args: object):
    return CliRunner().invoke(app, ["tag", *map(str, args), "--no-progress"])


def note_texts(n: int, seed: int = 5) -> list[str]:
    return [example.text for example in ade_examples(n, seed)]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_jsonl_to_jsonl_passes_fields_through_and_reports_bad_lines(exported_model: Path, tmp_path: Path) -> None:
    texts = {"n1": f"Patient on warfarin developed bleeding. {SECRET}", "n3": "Started lisinopril.\r\nNo rash."}
    source = tmp_path / "notes.jsonl"
    source.write_text(
        json.dumps({"id": "n1", "text": texts["n1"], "ward": "B"}) + "\n{broken\n"
        + json.dumps({"id": "n2", "text": 3}) + "\n" + json.dumps({"id": "n3", "text": texts["n3"]}) + "\n",
        encoding="utf-8",
    )
    result = tag(source, "-o", tmp_path / "out.jsonl", "--model", exported_model)
    assert result.exit_code == 0, result.output
    records = read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in records] == ["n1", "n3"] and records[0]["ward"] == "B"
    for record in records:
        for entity in record["entities"]:
            assert texts[record["id"]][entity["start"] : entity["end"]] == entity["text"]
            assert set(entity) == {"start", "end", "label", "text", "score"}
    assert ("warfarin", "DRUG") in [(e["text"], e["label"]) for e in records[0]["entities"]]
    errors = read_jsonl(tmp_path / "out.jsonl.errors.jsonl")
    assert [(e["line"], e["id"]) for e in errors] == [(2, None), (3, "n2")]
    assert "documents tagged" in result.stderr and "errors" in result.stderr
    assert SECRET not in result.stderr and SECRET not in (tmp_path / "out.jsonl.errors.jsonl").read_text()


def test_csv_to_csv_one_row_per_entity(exported_model: Path, tmp_path: Path) -> None:
    source = tmp_path / "notes.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["note_id", "body"])
        writer.writerows([["a", "Patient on warfarin\r\ndeveloped bleeding."], ["b", "Started lisinopril."], ["c", "No drugs."]])
    result = tag(source, "-o", tmp_path / "out.csv", "--model", exported_model, "--id-col", "note_id", "--text-col", "body")
    assert result.exit_code == 0, result.output
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["id"], r["text"], r["label"]) for r in rows} >= {("a", "warfarin", "DRUG"), ("b", "lisinopril", "DRUG")}
    assert all(0 < float(r["score"]) <= 1 for r in rows)


def test_txt_file_offsets_index_the_file_with_its_crlf(exported_model: Path, tmp_path: Path) -> None:
    source = tmp_path / "note.txt"
    source.write_bytes("Admitted.\r\n\r\nPatient on warfarin developed bleeding 😷.\r\n".encode())
    result = tag(source, "-o", tmp_path / "out.jsonl", "--model", exported_model)
    assert result.exit_code == 0, result.output
    (record,) = read_jsonl(tmp_path / "out.jsonl")
    text = source.read_bytes().decode()
    assert record["id"] == "note" and record["entities"]
    assert all(text[e["start"] : e["end"]] == e["text"] for e in record["entities"])


def test_folder_to_brat_reads_back_and_unsafe_ids_are_errors(exported_model: Path, tmp_path: Path) -> None:
    (tmp_path / "in" / "ward 2").mkdir(parents=True)
    for index, text in enumerate(note_texts(3)):
        (tmp_path / "in" / f"note{index}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "in" / "ward 2" / "x.txt").write_text("Started lisinopril.", encoding="utf-8")
    result = tag(tmp_path / "in", "-o", tmp_path / "brat", "--format", "brat", "--model", exported_model)
    assert result.exit_code == 0, result.output
    examples = {e.id: e for e in read_brat(tmp_path / "brat")}
    assert sorted(examples) == ["note0", "note1", "note2"]
    assert any(span.label == "DRUG" for e in examples.values() for span in e.entities)
    assert "AnnotatorNotes T1\tscore=" in (tmp_path / "brat" / "note0.ann").read_text()
    (error,) = read_jsonl(tmp_path / "brat.errors.jsonl")
    assert error["id"] == "ward 2/x" and "BRAT file name" in error["problem"]


def test_jsonl_to_docbin_shards_keep_ids_and_scores(exported_model: Path, tmp_path: Path) -> None:
    records = [{"id": f"d{i}", "text": text} for i, text in enumerate(note_texts(5))]
    source = write_jsonl(tmp_path / "notes.jsonl", records)
    result = tag(source, "-o", tmp_path / "out.spacy", "--model", exported_model, "--batch-size", 2)
    assert result.exit_code == 0, result.output
    shards = sorted((tmp_path / "out.spacy").glob("*.spacy"))
    assert len(shards) == 3
    examples = [e for shard in shards for e in read_docbin(shard)]
    assert [e.id for e in examples] == [r["id"] for r in records]
    assert [e.text for e in examples] == [r["text"] for r in records]
    assert sum(len(e.entities) for e in examples) >= 5


def test_quoted_text_and_stdin_without_torch_write_jsonl_to_stdout(exported_model: Path) -> None:
    result = tag("Patient on warfarin developed bleeding.", "--model", exported_model)
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["id"] == "text" and ("warfarin", "DRUG") in [(e["text"], e["label"]) for e in record["entities"]]
    piped = subprocess.run(
        [sys.executable, "-c", CLI_WITHOUT_TORCH, "tag", "-", "--model", str(exported_model), "--no-progress"],
        input="Started lisinopril.\r\n".encode(), capture_output=True, check=True,
    )
    (record,) = [json.loads(line) for line in piped.stdout.decode().splitlines()]
    assert record["id"] == "stdin" and [e["text"] for e in record["entities"]] == ["lisinopril"]


def test_html_is_written_with_displacy_and_needs_no_network(exported_model: Path, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "notes.jsonl", [{"id": "<b>n1</b>", "text": "Patient on warfarin developed bleeding."}])
    result = tag(source, "-o", tmp_path / "out.jsonl", "--model", exported_model, "--html", tmp_path / "view.html")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "view.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'class="entity"' in html and "DRUG" in html
    assert "&lt;b&gt;n1&lt;/b&gt;" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html and "<link" not in html


def test_no_model_and_no_shipped_pipeline_is_a_clear_error(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(loading, "PIPELINES_DIR", tmp_path)
    result = tag("Started lisinopril.")
    assert result.exit_code == 1 and "en_synthner_ade is not included" in result.stderr


def test_a_killed_run_resumes_without_duplicates_or_gaps(exported_model: Path, tmp_path: Path) -> None:
    records = [{"id": f"r{i}", "text": text} for i, text in enumerate(note_texts(300, seed=9))]
    source = write_jsonl(tmp_path / "notes.jsonl", records)
    output = tmp_path / "out.jsonl"
    command = [sys.executable, "-c", CLI_WITHOUT_TORCH, "tag", str(source), "-o", str(output),
               "--model", str(exported_model), "--batch-size", "4", "--threads", "1", "--no-progress"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not output.exists() or output.read_bytes().count(b"\n") < 40):
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert 40 <= output.read_bytes().count(b"\n") < len(records), "the kill should land mid-run"

    resumed = tag(source, "-o", output, "--model", exported_model)
    assert resumed.exit_code == 0, resumed.output
    assert re.search(r"skipped\)\W+([4-9]\d|[12]\d\d)\b", resumed.stderr)
    clean = tag(source, "-o", tmp_path / "clean.jsonl", "--model", exported_model)
    assert clean.exit_code == 0, clean.output
    assert entity_table(output) == entity_table(tmp_path / "clean.jsonl")
    assert [r["id"] for r in read_jsonl(output)] == [r["id"] for r in records]
    again = tag(source, "-o", output, "--model", exported_model)
    assert re.search(r"documents tagged\W+0\b", again.stderr) and re.search(r"skipped\)\W+300\b", again.stderr)
    assert entity_table(output) == entity_table(tmp_path / "clean.jsonl")


def entity_table(path: Path) -> list[tuple]:
    """(id, start, end, label) of every entity (scores can differ in the last digit across batchings)."""
    return [(r["id"], e["start"], e["end"], e["label"]) for r in read_jsonl(path) for e in r["entities"]]


@pytest.mark.parametrize("fmt", ["csv", "brat", "docbin"])
def test_csv_brat_and_docbin_outputs_resume_too(fmt: str, exported_model: Path, tmp_path: Path) -> None:
    records = [{"id": f"r{i}", "text": text} for i, text in enumerate(note_texts(6))]
    write_jsonl(tmp_path / "first.jsonl", records[:3])
    write_jsonl(tmp_path / "all.jsonl", records)
    output, clean = tmp_path / f"out.{fmt}", tmp_path / f"clean.{fmt}"
    runs = [tag(tmp_path / name, "-o", target, "--format", fmt, "--model", exported_model)
            for name, target in (("first.jsonl", output), ("all.jsonl", output), ("all.jsonl", clean))]
    assert all(run.exit_code == 0 for run in runs), [run.output for run in runs]
    assert re.search(r"documents tagged\W+3\b", runs[1].stderr) and re.search(r"skipped\)\W+3\b", runs[1].stderr)
    assert written(output, fmt) == written(clean, fmt)
    ids = [row[0] for row in written(output, fmt)]
    assert ids == sorted(ids) and (fmt == "csv" or ids == [r["id"] for r in records])


def written(output: Path, fmt: str) -> list[tuple]:
    """CSV rows (id, start, end, label), or (id, entities) per document of a BRAT/DocBin output."""
    if fmt == "csv":
        with open(output, newline="", encoding="utf-8") as handle:
            return [(r["id"], int(r["start"]), int(r["end"]), r["label"]) for r in csv.DictReader(handle)]
    examples = read_brat(output) if fmt == "brat" else (e for s in sorted(output.glob("*.spacy")) for e in read_docbin(s))
    return [(e.id, [(s.start, s.end, s.label) for s in e.entities]) for e in examples]
