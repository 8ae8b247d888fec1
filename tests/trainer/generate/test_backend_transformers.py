"""Transformers backend on the real SmolLM2-135M-Instruct GGUF: seeded, batched, chat template."""

from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from synthner.trainer.generate.backend import BackendError, ChatRequest
from synthner.trainer.generate.backends import BackendConfig, TransformersConfig
from synthner.trainer.generate.backends.transformers_local import (
    encode_prompt,
    model_name,
    resolve_model_path,
)


def _ask(drug: str, seed: int, temperature: float = 1.0, max_tokens: int = 16) -> ChatRequest:
    return ChatRequest(
        (("user", f"Write one sentence about a patient taking {drug}."),),
        max_tokens=max_tokens,
        temperature=temperature,
        seed=seed,
    )


def test_same_seed_gives_same_text(smollm2_backend) -> None:
    requests = [_ask("warfarin", 0), _ask("metformin", 1), _ask("warfarin", 2)]
    first = smollm2_backend.complete(requests)
    again = smollm2_backend.complete(requests)
    assert first == again
    assert [c.prompt_id for c in first] == [r.prompt_id for r in requests]
    assert all(c.text.strip() and 0 < c.completion_tokens <= 16 and not c.cached for c in first)
    assert first[0].text != first[2].text  # same prompt, another seed: another sample


def test_temperature_zero_is_greedy_and_ignores_the_seed(smollm2_backend) -> None:
    greedy = smollm2_backend.complete(
        [_ask("lithium", 0, temperature=0.0), _ask("lithium", 7, temperature=0.0)]
    )
    assert greedy[0].text == greedy[1].text


def test_mixed_max_tokens_in_one_call_are_answered_in_order(smollm2_backend) -> None:
    requests = [_ask("aspirin", 3, max_tokens=6), _ask("aspirin", 3, max_tokens=12)]
    seen = []
    short, long = smollm2_backend.complete(requests, seen.append)
    assert short.completion_tokens <= 6 and long.completion_tokens <= 12
    assert long.text.startswith(short.text)  # same seed: the first tokens are the same sample
    assert sorted(c.prompt_id for c in seen) == sorted(r.prompt_id for r in requests)


def test_chat_template_or_plain_concatenation(smollm2_backend) -> None:
    tokenizer = smollm2_backend.tokenizer
    messages = (("system", "Be brief."), ("user", "Name a drug."))
    chat = tokenizer.decode(encode_prompt(tokenizer, messages, chat=True))
    assert chat.startswith("<|im_start|>system\nBe brief.<|im_end|>") and chat.endswith(
        "<|im_start|>assistant\n"
    )
    plain = tokenizer.decode(encode_prompt(tokenizer, messages, chat=False), skip_special_tokens=True)
    assert plain == "Be brief.\n\nName a drug."
    assert smollm2_backend.use_chat_template


def test_model_paths(smollm2_path: Path, tmp_path: Path) -> None:
    assert resolve_model_path(smollm2_path) == (smollm2_path.parent, smollm2_path.name)
    assert resolve_model_path(smollm2_path.parent) == (smollm2_path.parent, smollm2_path.name)
    assert model_name(smollm2_path.parent) == "SmolLM2-135M-Instruct.Q4_1.gguf"
    with pytest.raises(BackendError, match="does not exist"):
        resolve_model_path(tmp_path / "missing.gguf")
    with pytest.raises(BackendError, match="no config.json and 0 .gguf files"):
        resolve_model_path(tmp_path)


def test_backend_config_is_a_strict_discriminated_union(tmp_path: Path) -> None:
    adapter = TypeAdapter(BackendConfig)
    config = adapter.validate_python({"kind": "transformers", "path": str(tmp_path), "batch_size": 2})
    assert isinstance(config, TransformersConfig) and config.batch_size == 2
    with pytest.raises(ValidationError, match="extra_forbidden"):
        adapter.validate_python({"kind": "transformers", "path": str(tmp_path), "batchsize": 2})
    with pytest.raises(ValidationError, match="union_tag_invalid"):
        adapter.validate_python({"kind": "anthropic", "model": "x"})
    openai = adapter.validate_python({"kind": "openai", "base_url": "http://localhost:8000/v1", "model": "m"})
    assert openai.api_key_env == "OPENAI_API_KEY" and "api_key" not in openai.model_dump()
