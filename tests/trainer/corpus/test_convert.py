"""`synthner convert` through the Typer app, as a user runs it."""

import json
from pathlib import Path

from typer.testing import CliRunner

from synthner.trainer.cli import app
from synthner.trainer.corpus.formats import read_corpus

RECORDS = [
    {"tokens": ["Hives", "after", "penicillin", "."],
     "entities": [{"type": "Adverse-Effect", "start": 0, "end": 1}, {"type": "Drug", "start": 2, "end": 3}],
     "relations": [{"type": "Adverse-Effect", "head": 0, "tail": 1}]},
    {"tokens": ["Penicillin", "allergy"],
     "entities": [{"type": "Drug", "start": 0, "end": 1}, {"type": "Adverse-Effect", "start": 0, "end": 2}],
     "relations": []},
]


def run(*args: str):
    return CliRunner().invoke(app, ["convert", *map(str, args)])


def test_converts_with_label_map_and_reports_counts_and_losses(tmp_path: Path) -> None:
    source = tmp_path / "ade.json"
    source.write_text(json.dumps(RECORDS), encoding="utf-8")
    result = run(source, tmp_path / "out.jsonl", "--map", "Adverse-Effect=ADE", "--map", "Drug=DRUG")
    assert result.exit_code == 0, result.output
    assert f"read 2 examples from {source}, wrote 2 to {tmp_path / 'out.jsonl'} (jsonl)" in result.output
    assert [line.split()[1:4] for line in result.output.splitlines() if "│ entity" in line or "│ relation" in line] == [
        ["entity", "│", "ADE"], ["entity", "│", "DRUG"], ["relation", "│", "ADE"]
    ]
    assert [e.id for e in read_corpus(tmp_path / "out.jsonl")] == ["ade-1", "ade-2"]

    # CoNLL holds neither overlaps nor relations: the overlap is skipped and counted, the
    # relation loss is reported.
    result = run(tmp_path / "out.jsonl", tmp_path / "out.conll", "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "wrote 1 to" in result.output
    assert "note: conll does not store relations: 1 not written" in result.output
    assert f"skipped 1 invalid records in {tmp_path / 'out.conll'}" in result.output
    assert "example 'ade-2': span 0-18 (ADE) overlaps 0-10 (DRUG)" in result.output


def test_invalid_input_fails_with_file_and_line_unless_skipped(tmp_path: Path) -> None:
    source = tmp_path / "notes.conll"
    source.write_text("Dizzy\tB-ADE\n\non\tO\namlodipine\tB-DRUG\textra\n\nok\tO\n", encoding="utf-8")
    result = run(source, tmp_path / "out.jsonl")
    assert result.exit_code == 1
    assert f"error: {source}:4: expected 2 fields (token ... tag), found 3" in result.stderr
    result = run(source, tmp_path / "out.jsonl", "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "read 2 examples" in result.output
    assert f"skipped 1 invalid records in {source}" in result.output
    assert f"{source}:4: expected 2 fields" in result.output


def test_default_label_and_explicit_formats(tmp_path: Path) -> None:
    source = tmp_path / "plain.data"
    source.write_text("Severe\tO\nneutropenia\tB\n", encoding="utf-8")
    result = run(source, tmp_path / "brat_out", "--from", "conll", "--to", "brat")
    assert result.exit_code == 1
    assert "untyped tag 'B' and no default label was given" in result.stderr
    result = run(source, tmp_path / "brat_out", "--from", "conll", "--to", "brat", "--default-label", "ADE")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "brat_out" / "plain-1.ann").read_text(encoding="utf-8") == "T1\tADE 7 18\tneutropenia\n"
    assert run(source, tmp_path / "x.jsonl").exit_code == 1  # the name does not say the format
    assert run(source, tmp_path / "x.jsonl", "--map", "nonsense").exit_code == 2
