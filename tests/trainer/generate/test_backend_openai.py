"""OpenAI-compatible backend against a real HTTP server on loopback that runs SmolLM2."""

import socket

import pytest

from synthner.trainer.generate.backend import BackendError, ChatRequest
from synthner.trainer.generate.backends import OpenAIConfig, make_backend


def _ask(drug: str, seed: int = 0) -> ChatRequest:
    return ChatRequest(
        (("user", f"Name one side effect of {drug}."),), max_tokens=8, temperature=0.9, seed=seed
    )


def _backend(url: str, **settings):
    settings = {"model": "smollm2", "backoff_s": 0.0, "timeout_s": 60.0} | settings
    return make_backend(OpenAIConfig(base_url=url, **settings))


def test_answers_match_the_model_behind_the_endpoint(openai_server, smollm2_backend) -> None:
    requests = [_ask("warfarin", 1), _ask("lithium", 2), _ask("cisplatin", 3)]
    backend = _backend(openai_server.url, extra_body={"top_p": 1.0})
    seen = []
    completions = backend.complete(requests, seen.append)
    assert completions == smollm2_backend.complete(requests)  # seed etc. reach the model intact
    assert all(c.completion_tokens > 0 for c in completions)  # counted from `usage`
    assert sorted(c.prompt_id for c in seen) == sorted(r.prompt_id for r in requests)
    body = openai_server.state.bodies[0]
    assert {k: body[k] for k in ("model", "max_tokens", "temperature", "top_p")} == {
        "model": "smollm2",
        "max_tokens": 8,
        "temperature": 0.9,
        "top_p": 1.0,
    }
    assert sorted(b["seed"] for b in openai_server.state.bodies) == [1, 2, 3]
    assert (backend.name, backend.model) == ("openai", "smollm2")


def test_api_key_comes_from_the_named_env_var(openai_server, monkeypatch) -> None:
    monkeypatch.setenv("SYNTHNER_TEST_KEY", "sk-test-123")
    config = OpenAIConfig(base_url=openai_server.url, model="m", api_key_env="SYNTHNER_TEST_KEY")
    make_backend(config).complete([_ask("aspirin")])
    monkeypatch.delenv("SYNTHNER_TEST_KEY")
    make_backend(config).complete([_ask("aspirin")])
    assert openai_server.state.authorizations == ["Bearer sk-test-123", None]
    assert "sk-test-123" not in config.model_dump_json()


@pytest.mark.parametrize("status", [429, 500, 503])
def test_retries_with_exponential_backoff(openai_server, status: int) -> None:
    openai_server.reset(fail_times=2, fail_status=status)
    completion = _backend(openai_server.url, backoff_s=0.2, max_retries=3).complete([_ask("amoxicillin")])[0]
    assert completion.text
    attempts = openai_server.state.attempts
    assert len(attempts) == 3
    assert attempts[1] - attempts[0] >= 0.2 and attempts[2] - attempts[1] >= 0.4


def test_gives_up_after_max_retries(openai_server) -> None:
    openai_server.reset(fail_times=10, fail_status=500)
    with pytest.raises(BackendError, match="failed after 3 attempts: HTTP 500"):
        _backend(openai_server.url, max_retries=2).complete([_ask("heparin")])
    assert len(openai_server.state.attempts) == 3


def test_client_errors_are_not_retried(openai_server) -> None:
    with pytest.raises(BackendError, match="HTTP 404"):
        _backend(openai_server.url + "/wrong", max_retries=3).complete([_ask("heparin")])


def test_timeout_is_retried_then_raised(openai_server) -> None:
    openai_server.reset(delay_s=1.5)
    with pytest.raises(BackendError, match="failed after 2 attempts: timed out after 0.3 s"):
        _backend(openai_server.url, timeout_s=0.3, max_retries=1).complete([_ask("digoxin")])
    assert len(openai_server.state.attempts) == 2


def test_connection_refused_is_retried_then_raised() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(BackendError, match="failed after 2 attempts: connection error"):
        _backend(f"http://127.0.0.1:{port}/v1", max_retries=1).complete([_ask("digoxin")])


def test_concurrency_limit_is_respected(openai_server) -> None:
    requests = [_ask(drug, i) for i, drug in enumerate(["a", "b", "c", "d", "e", "f"])]
    completions = _backend(openai_server.url, concurrency=2).complete(requests)
    assert len(completions) == 6 and openai_server.state.answered == 6
    assert openai_server.state.max_in_flight == 2


def test_one_failure_keeps_the_answers_already_made(openai_server) -> None:
    openai_server.reset(fail_after=2)
    seen = []
    with pytest.raises(BackendError, match="HTTP 500"):
        _backend(openai_server.url, max_retries=0, concurrency=1).complete(
            [_ask(drug, i) for i, drug in enumerate(["a", "b", "c", "d"])], seen.append
        )
    assert len(seen) == 2  # handed over before the failure, so a cache can keep them
