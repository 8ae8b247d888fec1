"""`synthner package --relations --assertion`: the classifiers join the saved pipeline."""

from pathlib import Path

import spacy
from typer.testing import CliRunner

from synthner.trainer.cli import app


def test_package_adds_the_classifiers_and_rejects_a_folder_of_the_wrong_kind(
    exported_model: Path, relation_onnx: Path, assertion_onnx: Path, tmp_path: Path
) -> None:
    output = tmp_path / "pipeline"
    result = CliRunner().invoke(
        app,
        [
            "package",
            str(exported_model),
            "-o",
            str(output),
            "--name",
            "en_synthner_links",
            "--relations",
            str(relation_onnx),
            "--assertion",
            str(assertion_onnx),
        ],
    )
    assert result.exit_code == 0, result.output
    nlp = spacy.load(output)
    assert nlp.pipe_names == ["synthner_ner", "synthner_assertion", "synthner_relations"]
    assert (output / "synthner_relations" / "model.onnx").is_file()
    doc = nlp("Patient on warfarin developed bleeding.")
    assert [(r.head.text, r.tail.text) for r in doc._.relations] == [("warfarin", "bleeding")]
    wrong = CliRunner().invoke(
        app,
        [
            "package",
            str(exported_model),
            "-o",
            str(tmp_path / "wrong"),
            "--relations",
            str(assertion_onnx),
        ],
    )
    assert wrong.exit_code == 1 and "holds a model of task 'assertion'" in wrong.output
