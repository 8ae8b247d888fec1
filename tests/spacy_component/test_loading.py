"""load_pipeline: shipped short names, pipeline folders, exported model folders, settings."""

import shutil
from pathlib import Path

import pytest

from synthner.spacy_component import loading
from synthner.spacy_component.loading import PipelineNotFound, load_pipeline, synthner_component


def test_a_shipped_name_without_its_pipeline_says_it_is_not_there(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(loading, "PIPELINES_DIR", tmp_path)
    with pytest.raises(PipelineNotFound, match="en_synthner_ade is not included"):
        load_pipeline()


def test_a_shipped_name_loads_its_pipeline_folder(monkeypatch, tmp_path: Path, pipeline_dir: Path) -> None:
    monkeypatch.setattr(loading, "PIPELINES_DIR", tmp_path)
    shutil.copytree(pipeline_dir, tmp_path / "en_synthner_bio")
    nlp = load_pipeline("bio")
    assert synthner_component(nlp)[1].model_dir == tmp_path / "en_synthner_bio" / "synthner_ner"


def test_an_exported_model_folder_becomes_a_pipeline_in_memory(exported_model: Path) -> None:
    nlp = load_pipeline(exported_model)
    assert nlp.pipe_names == ["synthner_ner"]
    assert [e.label_ for e in nlp("Started lisinopril.").ents] == ["DRUG"]


def test_threads_reach_the_session_and_the_config_and_batch_size_the_pipe(pipeline_dir: Path) -> None:
    nlp = load_pipeline(str(pipeline_dir), threads=1, batch_size=4)
    name, component = synthner_component(nlp)
    assert nlp.config["components"][name]["threads"] == 1 and nlp.batch_size == 4
    assert component.load_tagger().scorer.session.get_session_options().intra_op_num_threads == 1


def test_unknown_names_and_unrelated_folders_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(PipelineNotFound, match="not a shipped pipeline"):
        load_pipeline("en_no_such_pipeline")
    with pytest.raises(PipelineNotFound, match="neither a spaCy pipeline folder"):
        load_pipeline(tmp_path)
