"""A real OpenAI-compatible HTTP server on loopback that answers `/v1/chat/completions` with a
real ChatBackend (the SmolLM2 transformers backend in the tests).

It can fail on purpose (HTTP 429/500 a given number of times, or every call after the first
N), answer slowly (for timeouts), and records what it saw: calls, bodies, Authorization
headers, attempt times and the most requests it had in flight at once.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from synthner.trainer.generate.backend import ChatBackend, ChatRequest


@dataclass
class ServerState:
    """What the server should do next and what it has seen since the last `reset()`."""

    fail_status: int = 500
    fail_times: int = 0  # fail this many coming requests with `fail_status`
    fail_after: int | None = None  # fail every request after this many answered ones
    delay_s: float = 0.0
    answered: int = 0
    attempts: list[float] = field(default_factory=list)
    bodies: list[dict] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0


class LoopbackServer:
    """`url` is the OpenAI-style base URL (ending in /v1)."""

    def __init__(self, backend: ChatBackend) -> None:
        self.backend = backend
        self.state = ServerState()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def start(self) -> "LoopbackServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def reset(self, **settings) -> None:
        """Forget what was seen and apply new failure/delay settings."""
        with self._lock:
            self.state = ServerState(**settings)

    def _enter(self, body: dict, authorization: str | None) -> tuple[ServerState, int | None]:
        """Record an arriving request: the state it counts in (a request still running after a
        `reset` must not touch the new one) and the HTTP error status to answer with, if any."""
        with self._lock:
            state = self.state
            state.attempts.append(time.monotonic())
            state.bodies.append(body)
            state.authorizations.append(authorization)
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
            if state.fail_times > 0:
                state.fail_times -= 1
                return state, state.fail_status
            if state.fail_after is not None and state.answered >= state.fail_after:
                return state, state.fail_status
            return state, None

    def _leave(self, state: ServerState, answered: bool) -> None:
        with self._lock:
            state.in_flight -= 1
            state.answered += answered

    def _answer(self, body: dict, delay_s: float) -> dict:
        request = ChatRequest(
            tuple((m["role"], m["content"]) for m in body["messages"]),
            max_tokens=body["max_tokens"],
            temperature=body["temperature"],
            seed=body["seed"],
        )
        time.sleep(delay_s)
        completion = self.backend.complete([request])[0]
        return {
            "id": f"chatcmpl-{completion.prompt_id}",
            "object": "chat.completion",
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": completion.text},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"completion_tokens": completion.completion_tokens},
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                if self.path != "/v1/chat/completions":
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                state, status = server._enter(body, self.headers.get("Authorization"))
                payload = None
                try:
                    if status is None:
                        payload = server._answer(body, state.delay_s)
                finally:
                    # Leave before replying: once the reply is out the client may send its next
                    # request, which must not find this one still counted in flight.
                    server._leave(state, payload is not None)
                try:
                    if payload is None:
                        self._send(status or 500, {"error": {"message": "failing on purpose"}})
                    else:
                        self._send(200, payload)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out
                    pass

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
