"""Relation and assertion classifiers: training saves config, metadata and metrics; int8
export with label parity; the exported folder runs without torch; the CLI."""

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from synthner.spacy_component.classifier_files import ASSERTION_LABELS, read_classifier_meta
from synthner.spacy_component.sequence_classifier import SequenceClassifier
from synthner.trainer.classify.config import CONFIG_FILE, ClassifierConfig
from synthner.trainer.classify.torch_model import load_torch_classifier
from synthner.trainer.cli import app
from synthner.trainer.export import PARITY_FILE

RELATION_INPUTS = [
    "Patient on @DRUG$ developed @ADE$.",
    "@DRUG$ was continued; patient on clozapine developed @ADE$.",
    "@ADE$ is caused by the infection, not by @DRUG$.",
    "Tremor was continued; patient on @DRUG$ developed @ADE$.",
]
ASSERTION_INPUTS = [
    "Patient on metformin developed @PROBLEM$.",
    "Patient denies @PROBLEM$.",
    "Watch for @PROBLEM$ while on treatment.",
    "History of @PROBLEM$ in 2010, resolved.",
    "Her mother had @PROBLEM$.",
]


def test_training_saves_config_metadata_and_dev_scores(relation_model: Path) -> None:
    meta = read_classifier_meta(relation_model)
    assert meta.task == "relation" and meta.labels == ["none", "related"]
    assert [(p.head, p.tail, p.label) for p in meta.pairs] == [("DRUG", "ADE", "Adverse-Effect")]
    assert (
        ClassifierConfig.load(relation_model).task == "relation" and (relation_model / CONFIG_FILE).is_file()
    )
    metrics = json.loads((relation_model / "metrics.json").read_text())
    assert metrics["best_dev"]["f1"] >= 0.9 and metrics["best_dev"]["pairs"] == 32
    assert metrics["history"][0]["dev"]["tp"] + metrics["history"][0]["dev"]["fn"] == 16


def test_the_relation_model_tells_the_linked_drug_from_the_other(relation_model: Path) -> None:
    probs = load_torch_classifier(relation_model).probabilities(RELATION_INPUTS)
    assert [int(p.argmax()) for p in probs] == [1, 0, 0, 1]


def test_the_assertion_model_learns_each_class(assertion_model: Path) -> None:
    assert read_classifier_meta(assertion_model).labels == ASSERTION_LABELS
    probs = load_torch_classifier(assertion_model).probabilities(ASSERTION_INPUTS)
    assert [int(p.argmax()) for p in probs] == [0, 1, 2, 3, 4]


def test_int8_export_passes_parity_and_agrees_with_pytorch(relation_model: Path, relation_onnx: Path) -> None:
    parity = json.loads((relation_onnx / PARITY_FILE).read_text())
    assert parity["passed"] and parity["agreement"] >= 0.99 and parity["texts"] == 32
    assert 15 < (relation_onnx / "model.onnx").stat().st_size / 1e6 < 30  # int8 MiniLM, not ~90 MB float
    torch_probs = load_torch_classifier(relation_model).probabilities(RELATION_INPUTS)
    onnx_probs = SequenceClassifier(relation_onnx).probabilities(RELATION_INPUTS)
    assert (torch_probs.argmax(axis=1) == onnx_probs.argmax(axis=1)).all()
    assert abs(torch_probs - onnx_probs).max() < 0.1


def test_exported_classifier_runs_without_torch(assertion_onnx: Path) -> None:
    script = (
        "import sys; sys.modules['torch'] = None; sys.modules['transformers'] = None\n"
        "from synthner.spacy_component.sequence_classifier import SequenceClassifier\n"
        f"model = SequenceClassifier({str(assertion_onnx)!r})\n"
        f"print([model.meta.labels[int(p.argmax())] for p in model.probabilities({ASSERTION_INPUTS[:2]!r})])"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "['present', 'negated']"


def test_cli_export_below_threshold_fails_and_keeps_the_rejected_export(
    relation_model: Path, tmp_path: Path
) -> None:
    texts = tmp_path / "inputs.txt"
    texts.write_text("\n".join(RELATION_INPUTS) + "\n")
    output = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "classifier",
            "export",
            str(relation_model),
            "-o",
            str(output),
            "--texts",
            str(texts),
            "--threshold",
            "1.01",
        ],
    )
    assert result.exit_code == 1 and "under the threshold" in result.output
    assert not output.exists()
    parity = json.loads((tmp_path / "out.failed-parity" / PARITY_FILE).read_text())
    assert parity["passed"] is False and parity["texts"] == 4


def test_cli_trains_on_masked_tsv_with_a_pair_type(tmp_path: Path) -> None:
    data = tmp_path / "gad.tsv"
    rows = ["@GENE$ variants raise @DISEASE$ risk.\t1", "No link of @GENE$ to @DISEASE$ was found.\t0"] * 4
    data.write_text("\n".join(rows) + "\n")
    output = tmp_path / "gad-model"
    result = CliRunner().invoke(
        app,
        [
            "classifier",
            "train",
            "relation",
            "--train",
            str(data),
            "-o",
            str(output),
            "--pair",
            "GENE:DISEASE:ASSOCIATED",
            "--max-steps",
            "2",
            "--batch-size",
            "4",
            "--threads",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert [p.head for p in read_classifier_meta(output).pairs] == ["GENE"]
    bad = CliRunner().invoke(
        app, ["classifier", "train", "relation", "--train", str(data), "-o", str(output), "--pair", "GENE"]
    )
    assert bad.exit_code == 2 and "HEAD:TAIL:LABEL" in bad.output
