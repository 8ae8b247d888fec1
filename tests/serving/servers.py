"""Real servers on loopback for the tests: uvicorn in a thread, or `synthner serve` in a
guarded subprocess; plus helpers to read their metrics."""

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from prometheus_client.parser import text_string_to_metric_families
from synthner.serving import ServeSettings, create_app

GUARDED_SERVE = Path(__file__).parent / "guarded_serve.py"
REPO = Path(__file__).parents[2]


@contextmanager
def thread_server(settings: ServeSettings, *, lifespan: str = "on") -> Iterator[str]:
    """uvicorn serving `create_app(settings)` on a free loopback port; yields the base URL."""
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), log_config=None, access_log=False, lifespan=lifespan)
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(60)
        sock.close()


@dataclass
class Subprocess:
    """A running `synthner serve`: its URL, its combined stdout/stderr log and its guard log."""

    url: str
    log: Path
    guard_log: Path
    process: subprocess.Popen

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def guarded_subprocess(args: list[str], env: dict[str, str], folder: Path) -> Iterator[Subprocess]:
    """`synthner serve ARGS` through guarded_serve.py (no outbound network, no torch)."""
    port = free_port()
    log, guard_log = folder / "server.log", folder / "guard.log"
    full_env = {**os.environ, **env, "NETWORK_GUARD_LOG": str(guard_log), "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(GUARDED_SERVE), "serve", *args, "--port", str(port)],
            cwd=REPO,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    running = Subprocess(f"http://127.0.0.1:{port}", log, guard_log, process)
    try:
        wait_until_healthy(running)
        yield running
    finally:
        process.terminate()
        process.wait(60)


def wait_until_healthy(running: Subprocess, timeout: float = 120) -> None:
    """Poll /healthz until it answers; fail with the server's log if the process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise RuntimeError(f"the server exited with {running.process.returncode}:\n{running.log_text()}")
        try:
            if httpx.get(f"{running.url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer in {timeout} s:\n{running.log_text()}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def metric(text: str, name: str, **labels: str) -> float:
    """The value of sample `name` with `labels` in a Prometheus exposition (0 when absent)."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0
