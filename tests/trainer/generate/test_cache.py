"""Completion cache: a re-run makes no backend call; a crashed run resumes where it stopped."""

import json
from pathlib import Path

import pytest

from synthner.trainer.generate.backend import BackendError, ChatRequest
from synthner.trainer.generate.backends import OpenAIConfig, ReplayConfig, make_backend
from synthner.trainer.generate.backends.replay import dump_requests
from synthner.trainer.generate.cache import CachedBackend


def _requests(count: int) -> list[ChatRequest]:
    return [ChatRequest((("user", f"Name drug number {i}."),), max_tokens=6, seed=i) for i in range(count)]


def _http(url: str, **settings) -> CachedBackend:
    return make_backend(OpenAIConfig(base_url=url, model="smollm2", backoff_s=0.0, **settings))


def test_second_run_makes_no_backend_call(openai_server, tmp_path: Path) -> None:
    requests = _requests(3)
    first = CachedBackend(_http(openai_server.url), tmp_path / "cache.sqlite")
    made = first.complete(requests)
    first.close()
    assert openai_server.state.answered == 3 and not any(c.cached for c in made)

    openai_server.reset()
    second = CachedBackend(_http(openai_server.url), tmp_path / "cache.sqlite")
    seen = []
    again = second.complete(requests, seen.append)
    assert openai_server.state.attempts == []
    assert [c.text for c in again] == [c.text for c in made]
    assert all(c.cached for c in again) and len(seen) == 3
    assert (second.name, second.model) == ("openai", "smollm2")


def test_crash_then_resume_asks_only_for_the_rest(openai_server, tmp_path: Path) -> None:
    requests = _requests(5)
    openai_server.reset(fail_after=2)  # the endpoint dies after two answers
    crashed = CachedBackend(_http(openai_server.url, max_retries=0, concurrency=1), tmp_path / "cache.sqlite")
    with pytest.raises(BackendError):
        crashed.complete(requests)
    assert len(crashed.cache) == 2
    crashed.close()

    openai_server.reset()
    resumed = CachedBackend(_http(openai_server.url, concurrency=1), tmp_path / "cache.sqlite")
    completions = resumed.complete(requests)
    assert openai_server.state.answered == 3
    assert [c.cached for c in completions].count(True) == 2
    assert [c.prompt_id for c in completions] == [r.prompt_id for r in requests]


def test_repeated_requests_are_sent_once(openai_server, tmp_path: Path) -> None:
    one, two = _requests(2)
    backend = CachedBackend(_http(openai_server.url), tmp_path / "cache.sqlite")
    completions = backend.complete([one, two, one, one])
    assert openai_server.state.answered == 2
    assert completions[0] == completions[2] == completions[3]


def _replay_file(path: Path, requests: list[ChatRequest], answer: str) -> Path:
    dump_requests(requests, path)
    lines = [
        json.loads(line) | {"completion": answer} for line in path.read_text(encoding="utf-8").splitlines()
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_entries_are_keyed_by_backend_and_model(tmp_path: Path) -> None:
    requests = _requests(2)
    cache = tmp_path / "cache.sqlite"
    old = make_backend(ReplayConfig(path=_replay_file(tmp_path / "a.jsonl", requests, "from a")))
    new = make_backend(ReplayConfig(path=_replay_file(tmp_path / "b.jsonl", requests, "from b")))
    assert [c.text for c in CachedBackend(old, cache).complete(requests)] == ["from a", "from a"]
    fresh = CachedBackend(new, cache).complete(requests)  # another model: no stale hits
    assert [(c.text, c.cached) for c in fresh] == [("from b", False)] * 2
    assert [(c.text, c.cached) for c in CachedBackend(old, cache).complete(requests)] == [
        ("from a", True)
    ] * 2
