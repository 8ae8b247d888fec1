"""llama.cpp backend: the real SmolLM2 GGUF when llama-cpp-python is installed (the `llamacpp`
extra), and a clear error naming the extra when it is not."""

import importlib.util
from pathlib import Path

import pytest

from synthner.trainer.generate.backend import BackendError, ChatRequest
from synthner.trainer.generate.backends import LlamaCppConfig, make_backend

HAS_LLAMA_CPP = importlib.util.find_spec("llama_cpp") is not None


@pytest.mark.skipif(HAS_LLAMA_CPP, reason="llama-cpp-python is installed")
def test_missing_extra_is_a_clear_error(smollm2_path: Path) -> None:
    with pytest.raises(BackendError, match=r"pip install 'synthner\[llamacpp\]'"):
        make_backend(LlamaCppConfig(path=smollm2_path))


def test_missing_model_file(tmp_path: Path) -> None:
    with pytest.raises(BackendError, match="does not exist"):
        make_backend(LlamaCppConfig(path=tmp_path / "missing.gguf"))


def test_seeded_completions(smollm2_path: Path) -> None:
    pytest.importorskip("llama_cpp", reason="the optional llamacpp extra is not installed")
    backend = make_backend(LlamaCppConfig(path=smollm2_path, n_ctx=512))
    requests = [
        ChatRequest((("user", "Name a drug for pain."),), max_tokens=12, temperature=0.8, seed=s)
        for s in (1, 2)
    ]
    first, again = backend.complete(requests), backend.complete(requests)
    assert first == again
    assert all(c.text and 0 < c.completion_tokens <= 12 for c in first)
    assert backend.model == smollm2_path.name
