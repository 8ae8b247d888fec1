"""Servers for the serving tests, all on loopback and shared by the session.

- `guarded_server`: `synthner serve` in a subprocess over a pipeline saved with `synthner
  package`, with bearer auth on and the default limits. Its launcher refuses outbound
  connections and makes torch, and every module that only the other extras install,
  unimportable, so every test that uses it also shows that serving needs neither the
  network nor more than the base install and the serve extra.
- `limited_server`: uvicorn in a thread over the exported model folder, no auth, tiny limits,
  one inference worker and CORS for one origin, for the limit, overload and batching tests.
"""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from synthner.serving import ServeSettings

from tests.serving.extras import modules_outside
from tests.serving.servers import Subprocess, guarded_subprocess, thread_server

API_TOKEN = "test-token-0123456789abcdef"
CORS_ORIGIN = "http://ward.example"
LIMITED = dict(
    max_text_chars=2000,
    max_batch_docs=4,
    max_body_bytes=20_000,
    max_pending_docs=4,
    batch_docs=4,
    workers=1,
    batch_wait_ms=50,
    retry_after_s=7,
    cors_origins=[CORS_ORIGIN],
)


@pytest.fixture(scope="session")
def pipeline_folder(exported_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny model as a spaCy pipeline folder, built by `synthner package`'s code."""
    from synthner.trainer.packaging import package_pipeline

    return package_pipeline(
        exported_model, tmp_path_factory.mktemp("serving") / "en_synthner_tiny", "en_synthner_tiny"
    )


@pytest.fixture(scope="session")
def guarded_server(pipeline_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Subprocess]:
    folder = tmp_path_factory.mktemp("guarded_server")
    env = {
        "SYNTHNER_API_TOKEN": API_TOKEN,
        "SYNTHNER_WORKERS": "2",
        "BLOCKED_MODULES": ",".join(modules_outside({"serve"})),
    }
    with guarded_subprocess(["--model", str(pipeline_folder)], env, folder) as running:
        yield running


@pytest.fixture(scope="session")
def client(guarded_server: Subprocess) -> Iterator[httpx.Client]:
    """A client of the guarded server that sends the token."""
    headers = {"Authorization": f"Bearer {API_TOKEN}"}
    with httpx.Client(base_url=guarded_server.url, headers=headers, timeout=60) as http:
        yield http


@pytest.fixture(scope="session")
def limited_server(exported_model: Path) -> Iterator[str]:
    with thread_server(ServeSettings(model=exported_model, **LIMITED)) as url:
        yield url


@pytest.fixture(scope="session")
def limited_client(limited_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=limited_server, timeout=60) as http:
        yield http
