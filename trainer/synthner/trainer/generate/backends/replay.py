"""Completions made elsewhere (another machine, a batch API, a person), replayed from JSONL.

`dump_requests` writes the prompts to answer; add a `completion` field to each line (other
fields are ignored) and the file can be replayed as it is.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synthner.trainer.generate.backend import BackendError, ChatRequest, Completion, OnCompletion

SHOW_MISSING = 5


@dataclass(frozen=True, slots=True)
class _Stored:
    line: int
    prompt: str
    completion: str
    completion_tokens: int


def dump_requests(requests: Iterable[ChatRequest], path: Path) -> int:
    """Write one JSON line per distinct prompt_id so the prompts can be answered elsewhere;
    returns how many lines were written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    with open(path, "w", encoding="utf-8") as handle:
        for request in requests:
            if request.prompt_id in seen:
                continue
            seen.add(request.prompt_id)
            record = {
                "prompt_id": request.prompt_id,
                "prompt": request.prompt,
                "messages": [{"role": role, "content": text} for role, text in request.messages],
                "max_tokens": request.max_tokens,
                "temperature": request.temperature,
                "seed": request.seed,
                "meta": request.meta,
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(seen)


def _field(record: dict, name: str, kind: type, where: str) -> Any:
    value = record.get(name)
    if not isinstance(value, kind):
        raise BackendError(f"{where}: field {name!r} is missing or not a {kind.__name__}")
    return value


def load_replay(path: Path) -> dict[str, _Stored]:
    """Stored completions by prompt_id; a bad line raises BackendError naming file and line."""
    stored: dict[str, _Stored] = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise BackendError(f"{where}: not valid JSON ({error.msg})") from error
            if not isinstance(record, dict):
                raise BackendError(f"{where}: expected a JSON object")
            prompt_id = _field(record, "prompt_id", str, where)
            entry = _Stored(
                number,
                _field(record, "prompt", str, where),
                _field(record, "completion", str, where),
                int(record.get("completion_tokens") or 0),
            )
            previous = stored.get(prompt_id)
            if previous is not None and previous.completion != entry.completion:
                raise BackendError(
                    f"{where}: prompt_id {prompt_id} already has a different completion "
                    f"on line {previous.line}"
                )
            stored[prompt_id] = entry
    return stored


class ReplayBackend:
    """Answers each request with the stored completion for its prompt_id."""

    name = "replay"

    def __init__(self, path: Path, model: str | None = None) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise BackendError(f"replay file {self.path} does not exist")
        self.model = model or self.path.name
        self._stored = load_replay(self.path)

    def complete(
        self, requests: list[ChatRequest], on_completion: OnCompletion | None = None
    ) -> list[Completion]:
        """Stored completions in request order; raises before answering anything when a
        stored prompt differs from the request's or some requests have no completion."""
        missing = []
        for request in requests:
            entry = self._stored.get(request.prompt_id)
            if entry is None:
                missing.append(request.prompt_id)
            elif entry.prompt != request.prompt:
                raise BackendError(
                    f"{self.path}:{entry.line}: stored prompt for prompt_id {request.prompt_id} "
                    "differs from the prompt requested now (was the file made for another run?)"
                )
        if missing:
            unique = list(dict.fromkeys(missing))
            raise BackendError(
                f"{self.path}: {len(unique)} of {len(set(r.prompt_id for r in requests))} requested "
                f"prompts have no completion, e.g. {', '.join(unique[:SHOW_MISSING])}; "
                "answer the prompts written by dump_requests and add them to the file"
            )
        completions = []
        for request in requests:
            entry = self._stored[request.prompt_id]
            completion = Completion(request.prompt_id, entry.completion, entry.completion_tokens)
            if on_completion is not None:
                on_completion(completion)
            completions.append(completion)
        return completions
