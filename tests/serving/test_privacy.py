"""Nothing leaves the machine and no note reaches the log: the guarded server's own records."""

import socket
import time
from pathlib import Path

import httpx
import pytest

from tests.serving.network_guard import OutboundBlocked, install
from tests.serving.servers import Subprocess

SECRET = "Hortensia Blickensderfer"
NOTE = f"{SECRET} (MRN 99-41-7) on lisinopril developed rash after the Zorbelix infusion."


def test_logs_carry_ids_sizes_and_timings_but_never_note_text(
    guarded_server: Subprocess, client: httpx.Client
) -> None:
    ids = {
        "log-ok": client.post("/v1/extract", json={"text": NOTE}, headers={"X-Request-ID": "log-ok"}),
        "log-batch": client.post(
            "/v1/extract",
            json={"documents": [{"id": "n1", "text": NOTE}]},
            headers={"X-Request-ID": "log-batch"},
        ),
        "log-bad": client.post(
            "/v1/extract", json={"text": NOTE, "extra": NOTE}, headers={"X-Request-ID": "log-bad"}
        ),
        "log-long": client.post(
            "/v1/extract", json={"text": NOTE * 1500}, headers={"X-Request-ID": "log-long"}
        ),
        "log-401": httpx.post(
            f"{guarded_server.url}/v1/extract", json={"text": NOTE}, headers={"X-Request-ID": "log-401"}
        ),
    }
    assert [r.status_code for r in ids.values()] == [200, 200, 422, 413, 401]
    log = _wait_for(guarded_server, "id=log-401")
    lines = {rid: next(line for line in log.splitlines() if f"id={rid} " in line) for rid in ids}
    assert "status=200" in lines["log-ok"] and f"chars={len(NOTE)}" in lines["log-ok"]
    assert (
        "documents=1" in lines["log-batch"]
        and "ms=" in lines["log-batch"]
        and "bytes_in=" in lines["log-batch"]
    )
    assert "status=413" in lines["log-long"] and "status=401" in lines["log-401"]
    for fragment in (SECRET, "Blickensderfer", "Zorbelix", "99-41-7", "lisinopril"):
        assert fragment not in log


def test_the_server_opened_no_outbound_connection(guarded_server: Subprocess, client: httpx.Client) -> None:
    for path in ["/", "/docs", "/openapi.json", "/v1/model", "/metrics", "/readyz"]:
        assert client.get(path).status_code == 200
    assert client.post("/v1/extract", json={"text": NOTE}).status_code == 200
    # The guard writes "installed" when it starts and one line per refused attempt after it.
    assert guarded_server.guard_log.read_text().splitlines() == ["installed"]


def test_the_guard_refuses_and_records_non_loopback_connections(tmp_path: Path) -> None:
    log = tmp_path / "guard.log"
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        uninstall = install(log)
        try:
            # 0.0.0.0 would reach this machine anyway, so a broken guard sends nothing out.
            with socket.socket() as sock, pytest.raises(OutboundBlocked):
                sock.connect(("0.0.0.0", port))
            with pytest.raises(OutboundBlocked):
                socket.getaddrinfo("192.0.2.1", 80)  # numeric: no lookup happens either way
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        finally:
            uninstall()
    assert log.read_text().splitlines() == [
        "installed",
        f"blocked connect ('0.0.0.0', {port})",
        "blocked getaddrinfo '192.0.2.1'",
    ]


def _wait_for(server: Subprocess, needle: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while needle not in (text := server.log_text()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{needle!r} never reached the log:\n{text}")
        time.sleep(0.1)
    return text
