"""Training on a tiny corpus with the real MiniLM: loss goes down, the model reloads and tags."""

import json
from pathlib import Path

import pytest

from synthner.spacy_component.model_files import read_meta
from synthner.trainer.corpus import CorpusError, Example, Span
from synthner.trainer.corpus.jsonl import write_jsonl
from synthner.trainer.training.config import CONFIG_FILE, TrainConfig, TrainSource
from synthner.trainer.training.loop import METRICS_FILE
from synthner.trainer.training.torch_model import load_torch_tagger
from synthner.trainer.training.trainer import Trainer
from tests.factory import write_ade_corpus


def test_loss_decreases_and_metrics_are_saved(trained_model: Path) -> None:
    metrics = json.loads((trained_model / METRICS_FILE).read_text())
    losses = [epoch["train_loss"] for epoch in metrics["history"]]
    assert losses[-1] < losses[0] / 2
    assert metrics["best_dev"]["strict"]["micro"]["f1"] > 0.8
    config = TrainConfig.load(trained_model)
    assert config.seed == 13 and config.epochs == 3
    assert read_meta(trained_model).tags == ["O", "B-ADE", "I-ADE", "B-DRUG", "I-DRUG"]


def test_saved_model_reloads_and_finds_entities(trained_model: Path) -> None:
    tagger = load_torch_tagger(trained_model)
    [entities] = tagger.tag(["Patient on warfarin developed bleeding."])
    found = {("Patient on warfarin developed bleeding."[e.start : e.end], e.label) for e in entities}
    assert {("warfarin", "DRUG"), ("bleeding", "ADE")} <= found


def test_long_text_is_windowed_not_truncated(trained_model: Path) -> None:
    filler = "The patient slept well and ate breakfast. " * 120
    text = filler + "Patient on lithium developed tremor."
    [entities] = load_torch_tagger(trained_model).tag([text])
    assert any(text[e.start : e.end] == "lithium" for e in entities)


def test_init_continues_from_a_model_and_rejects_unknown_labels(
    trained_model: Path, tmp_path: Path
) -> None:
    real = write_ade_corpus(tmp_path / "real.jsonl", n=16, seed=7)
    config = TrainConfig(
        train=[TrainSource(path=real)], init=trained_model, output=tmp_path / "continued",
        epochs=1, max_steps=2, batch_size=8,
    )
    result = Trainer(config, show_progress=False).train()
    assert result.history[0]["steps"] == 2
    assert read_meta(tmp_path / "continued").tags == read_meta(trained_model).tags

    other = tmp_path / "other.jsonl"
    write_jsonl([Example("x", "Aspirin for fever.", [Span(0, 7, "CHEMICAL")])], other)
    bad = config.model_copy(update={"train": [TrainSource(path=other)], "output": tmp_path / "bad"})
    with pytest.raises(CorpusError, match=r"other.jsonl: labels \['CHEMICAL'\] are not among"):
        Trainer(bad, show_progress=False).train()


def test_config_rejects_unknown_fields_and_bad_windows(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="warmup_steps"):
        TrainConfig(train=[{"path": "a.jsonl"}], output=tmp_path, warmup_steps=10)
    with pytest.raises(ValueError, match="window_overlap"):
        TrainConfig(train=[{"path": "a.jsonl"}], output=tmp_path, window_tokens=64, window_overlap=40)
    with pytest.raises(ValueError, match="either base"):
        TrainConfig(train=[{"path": "a.jsonl"}], output=tmp_path, base=tmp_path, init=tmp_path)
    assert not (tmp_path / CONFIG_FILE).exists()
