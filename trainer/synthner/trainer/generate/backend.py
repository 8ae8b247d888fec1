"""The seam between recipes and LLMs: one request/response shape, one Protocol."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """One chat completion to make. `prompt_id` is a stable hash of everything sent."""

    messages: tuple[tuple[str, str], ...]  # (role, content) pairs
    max_tokens: int = 256
    temperature: float = 0.8
    seed: int = 0
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def prompt_id(self) -> str:
        """sha256 over messages and sampling parameters: the cache and replay key."""
        payload = json.dumps(
            [self.messages, self.max_tokens, self.temperature, self.seed], ensure_ascii=False
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]

    @property
    def prompt(self) -> str:
        """The user-visible prompt text (all messages, role-prefixed)."""
        return "\n\n".join(f"[{role}]\n{content}" for role, content in self.messages)


@dataclass(frozen=True, slots=True)
class Completion:
    """What the LLM answered for one request."""

    prompt_id: str
    text: str
    completion_tokens: int = 0
    cached: bool = False


OnCompletion = Callable[[Completion], None]


class BackendError(RuntimeError):
    """A backend could not answer: a failed endpoint, a missing model file, a bad replay file."""


class ChatBackend(Protocol):
    """Anything that answers chat requests: an HTTP endpoint, a local model, a replay file."""

    name: str
    model: str

    def complete(
        self, requests: list[ChatRequest], on_completion: OnCompletion | None = None
    ) -> list[Completion]:
        """Answers in request order; raises on a failure it cannot retry past.

        `on_completion`, when given, is called in the calling thread with each completion as
        soon as it is ready (in any order), so a cache can persist work before a later failure."""
        ...
