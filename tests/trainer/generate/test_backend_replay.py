"""Replay backend: dump requests, answer them elsewhere, replay the answers; bad files fail loudly."""

import json
from pathlib import Path

import pytest

from synthner.trainer.generate.backend import BackendError, ChatRequest
from synthner.trainer.generate.backends import ReplayConfig, make_backend
from synthner.trainer.generate.backends.replay import ReplayBackend, dump_requests


def _requests() -> list[ChatRequest]:
    return [
        ChatRequest(
            (("system", "You write clinical text."), ("user", f"A sentence about {drug}.")),
            max_tokens=32,
            temperature=0.7,
            seed=seed,
            meta={"seed_entity": drug},
        )
        for seed, drug in enumerate(["warfarin", "metformin", "lithium"])
    ]


def _answer(dump: Path, answers: Path, skip: int | None = None) -> list[dict]:
    """Play the part of whoever answers the prompts: add a completion to each dumped line."""
    lines = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    for number, record in enumerate(lines):
        record["completion"] = f"answer {number} to {record['messages'][-1]['content']}"
    kept = [r for i, r in enumerate(lines) if i != skip]
    answers.write_text("".join(json.dumps(r) + "\n" for r in kept), encoding="utf-8")
    return lines


def test_dump_then_replay_round_trip(tmp_path: Path) -> None:
    requests = _requests()
    written = dump_requests(requests + requests[:1], tmp_path / "prompts.jsonl")  # a repeat is written once
    assert written == 3
    lines = _answer(tmp_path / "prompts.jsonl", tmp_path / "answers.jsonl")
    assert lines[0]["prompt_id"] == requests[0].prompt_id
    assert lines[0]["prompt"] == requests[0].prompt
    assert lines[0]["messages"][0] == {"role": "system", "content": "You write clinical text."}
    assert (lines[1]["seed"], lines[1]["temperature"], lines[1]["max_tokens"]) == (1, 0.7, 32)
    assert lines[2]["meta"] == {"seed_entity": "lithium"}

    backend = make_backend(ReplayConfig(path=tmp_path / "answers.jsonl"))
    seen = []
    completions = backend.complete(list(reversed(requests)), seen.append)
    assert [c.prompt_id for c in completions] == [r.prompt_id for r in reversed(requests)]
    assert completions[0].text == "answer 2 to A sentence about lithium."
    assert {c.prompt_id for c in seen} == {r.prompt_id for r in requests}
    assert (backend.name, backend.model) == ("replay", "answers.jsonl")


def test_changed_prompt_names_file_and_line(tmp_path: Path) -> None:
    requests = _requests()
    dump_requests(requests, tmp_path / "prompts.jsonl")
    _answer(tmp_path / "prompts.jsonl", tmp_path / "answers.jsonl")
    lines = (tmp_path / "answers.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[1])
    record["prompt"] = record["prompt"].replace("metformin", "insulin")
    lines[1] = json.dumps(record)
    (tmp_path / "answers.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BackendError, match=r"answers\.jsonl:2: stored prompt .* differs"):
        ReplayBackend(tmp_path / "answers.jsonl").complete(requests)


def test_missing_completions_are_listed_not_skipped(tmp_path: Path) -> None:
    requests = _requests()
    dump_requests(requests, tmp_path / "prompts.jsonl")
    _answer(tmp_path / "prompts.jsonl", tmp_path / "answers.jsonl", skip=1)
    backend = ReplayBackend(tmp_path / "answers.jsonl")
    seen = []
    expected = f"1 of 3 requested prompts have no completion, e.g. {requests[1].prompt_id}"
    with pytest.raises(BackendError, match=expected):
        backend.complete(requests, seen.append)
    assert seen == []
    assert len(backend.complete([requests[0], requests[2]])) == 2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"bad\.jsonl:2: not valid JSON"),
        ('{"prompt_id": "x", "prompt": "p"}', r"bad\.jsonl:2: field 'completion' is missing"),
        ('["a list"]', r"bad\.jsonl:2: expected a JSON object"),
        (
            '{"prompt_id": "x", "prompt": "p", "completion": "other"}',
            r"bad\.jsonl:2: prompt_id x already has a different completion on line 1",
        ),
    ],
)
def test_bad_replay_lines_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"prompt_id": "x", "prompt": "p", "completion": "c"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(BackendError, match=message):
        ReplayBackend(path)


def test_missing_replay_file(tmp_path: Path) -> None:
    with pytest.raises(BackendError, match="does not exist"):
        make_backend(ReplayConfig(path=tmp_path / "nowhere.jsonl"))
