"""Soft prompt training on SmolLM2 (CPU, a few steps) and generation with the saved prompt."""

import json
from pathlib import Path

import pytest
import torch
from typer.testing import CliRunner

from synthner.trainer.corpus.inline import parse_inline
from synthner.trainer.corpus.jsonl import write_jsonl
from synthner.trainer.generate.backend import BackendError, ChatRequest
from synthner.trainer.generate.backends import TransformersConfig, make_backend
from synthner.trainer.generate.backends.transformers_local import TransformersBackend
from synthner.trainer.generate.soft_prompt import (
    SETTINGS_FILE,
    SoftPromptSettings,
    load_soft_prompt,
    save_soft_prompt,
    soft_prompt_id,
    train_soft_prompt,
)

TAGGED = [
    "Patient on <drug>warfarin</drug> developed <ade>bleeding</ade>.",
    "Started <drug>metformin</drug> for <disease>type 2 diabetes</disease>.",
    "<drug>Lisinopril</drug> caused a dry <ade>cough</ade>.",
    "History of <disease>hypertension</disease>, takes <drug>amlodipine</drug>.",
    "<ade>Rash</ade> after <drug>amoxicillin</drug>.",
    "<disease>Asthma</disease> controlled with <drug>salbutamol</drug>.",
    "Stopped <drug>simvastatin</drug> because of <ade>myalgia</ade>.",
    "<disease>Atrial fibrillation</disease> treated with <drug>apixaban</drug>.",
]
REQUEST = ChatRequest(
    (("user", "Write a short clinical sentence with tagged drugs."),), max_tokens=10, seed=5
)


def _examples():
    return [parse_inline(text, example_id=f"ex-{i}") for i, text in enumerate(TAGGED)]


@pytest.fixture(scope="module")
def trained(smollm2_backend, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[float], list]:
    """Five full-batch steps on eight examples, saved to a folder; and the base model's answer
    to REQUEST from before training."""
    before = smollm2_backend.complete([REQUEST])
    settings = SoftPromptSettings(
        num_virtual_tokens=8, steps=5, batch_size=8, instruction="Write a clinical sentence."
    )
    model, losses = train_soft_prompt(smollm2_backend.lm, smollm2_backend.tokenizer, _examples(), settings)
    folder = tmp_path_factory.mktemp("soft_prompt")
    save_soft_prompt(model, folder, settings, smollm2_backend.model, losses, len(TAGGED))
    return folder, losses, before


def test_loss_goes_down_and_the_prompt_is_saved(trained) -> None:
    folder, losses, _ = trained
    assert len(losses) == 5 and losses[-1] < losses[0]
    assert {"adapter_config.json", "adapter_model.safetensors", SETTINGS_FILE} <= {
        p.name for p in folder.iterdir()
    }
    record = json.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert record["examples"] == 8 and record["losses"] == losses
    assert record["base_model"] == "SmolLM2-135M-Instruct.Q4_1.gguf"


def test_generation_with_the_saved_prompt(trained, smollm2_backend) -> None:
    folder, _, before = trained
    tuned = load_soft_prompt(smollm2_backend.lm, folder, base_model=smollm2_backend.model)
    backend = TransformersBackend(
        tuned, smollm2_backend.tokenizer, f"{smollm2_backend.model}+{soft_prompt_id(folder)}"
    )
    first, again = backend.complete([REQUEST]), backend.complete([REQUEST])
    assert first == again and first[0].completion_tokens > 0
    assert smollm2_backend.complete([REQUEST]) == before  # the shared base model is unchanged


def test_wrong_base_model_or_folder_is_refused(trained, smollm2_backend, tmp_path: Path) -> None:
    folder, _, _ = trained
    with pytest.raises(
        BackendError, match="was trained on 'SmolLM2-135M-Instruct.Q4_1.gguf', not on 'other.gguf'"
    ):
        load_soft_prompt(smollm2_backend.lm, folder, base_model="other.gguf")
    with pytest.raises(BackendError, match="is not a soft prompt folder"):
        load_soft_prompt(smollm2_backend.lm, tmp_path)
    with pytest.raises(BackendError, match="has no adapter_model.safetensors"):
        soft_prompt_id(tmp_path)
    assert soft_prompt_id(folder).startswith("softprompt-")


@pytest.mark.slow
def test_train_prompt_command_then_backend_config(smollm2_path: Path, tmp_path: Path) -> None:
    from synthner.trainer.cli import app

    write_jsonl(_examples(), tmp_path / "corpus.jsonl")
    result = CliRunner().invoke(
        app,
        [
            "generate",
            "train-prompt",
            str(tmp_path / "corpus.jsonl"),
            "--model",
            str(smollm2_path),
            "--output",
            str(tmp_path / "prompt"),
            "--steps",
            "2",
            "--virtual-tokens",
            "4",
            "--batch-size",
            "4",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "trained on 8 examples" in result.output
    threads = torch.get_num_threads()
    try:
        backend = make_backend(
            TransformersConfig(path=smollm2_path, soft_prompt=tmp_path / "prompt", threads=1)
        )
        assert torch.get_num_threads() == 1
        assert backend.model == f"{smollm2_path.name}+{soft_prompt_id(tmp_path / 'prompt')}"
        assert backend.complete([REQUEST])[0].completion_tokens > 0
    finally:
        torch.set_num_threads(threads)
