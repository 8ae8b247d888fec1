"""The data card written beside every synthetic corpus (JSON for tools, Markdown for people).
Every count is computed from the very lists written to `train.jsonl` and `rejected.jsonl`."""

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from synthner.trainer.corpus.example import Example
from synthner.trainer.generate.recipes.base import Recipe, Rejection
from synthner.trainer.generate.runner import RunStats

CARD_VERSION = 1
POST_STAGES = ("filter", "dedup", "near_dedup", "leakage")
SAMPLING_KEYS = ("sampling", "label_sampling", "verify")  # recipe settings that shape LLM calls


def label_distribution(examples: list[Example], output_format: str) -> dict:
    """Spans per label, examples per label, and (relation corpora) examples per class."""
    spans = Counter(span.label for example in examples for span in example.entities)
    holders = Counter(label for example in examples for label in {span.label for span in example.entities})
    card = {
        "spans": dict(sorted(spans.items())),
        "examples_with_label": dict(sorted(holders.items())),
        "examples_without_entities": sum(1 for example in examples if not example.entities),
    }
    if output_format == "relation":
        card["classes"] = dict(sorted(Counter(str(e.meta["label"]) for e in examples).items()))
    else:
        card["relations"] = dict(sorted(Counter(r.label for e in examples for r in e.relations).items()))
    return card


def stage_counts(rejections: list[Rejection]) -> dict[str, dict[str, int]]:
    """Rejections per stage and reason, stages in the order they first occur."""
    stages: dict[str, Counter] = {}
    for rejection in rejections:
        stages.setdefault(rejection.stage, Counter())[rejection.reason] += 1
    return {stage: dict(sorted(reasons.items())) for stage, reasons in stages.items()}


def build_card(
    *,
    config: dict,
    recipe: Recipe,
    backends: dict[str, dict],
    stats: RunStats,
    recipe_accepted: int,
    examples: list[Example],
    rejections: list[Rejection],
    leakage: dict | None,
    timings: dict[str, float],
) -> dict:
    """The card as a JSON-ready dict."""
    by_stage = stage_counts(rejections)
    funnel, remaining = [{"stage": "recipe", "out": recipe_accepted}], recipe_accepted
    for stage in POST_STAGES:
        dropped = sum(by_stage.get(stage, {}).values())
        remaining -= dropped
        funnel.append({"stage": stage, "rejected": dropped, "out": remaining})
    tokens_per_s = stats.tokens_per_second
    return {
        "card_version": CARD_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "recipe": recipe.name,
        "output_format": recipe.output_format,
        "backends": backends,
        "prompts": [template.card() for template in recipe.templates()],
        "seeds": recipe.seed_summary(),
        "sampling": {key: config["recipe"][key] for key in SAMPLING_KEYS if config["recipe"].get(key)},
        "counts": {
            "examples": len(examples),
            "rejected": len(rejections),
            "rejected_by_stage": by_stage,
            "funnel": funnel,
        },
        "llm": {
            "planned_requests": stats.planned,
            "calls": stats.total_calls,
            "calls_by_stage": dict(stats.calls),
            "cached_calls": stats.cached,
            "completion_tokens": stats.completion_tokens,
            "fresh_tokens": stats.fresh_tokens,
            "calls_per_example": round(stats.total_calls / len(examples), 3) if examples else None,
            "tokens_per_second": round(tokens_per_s, 2) if tokens_per_s else None,
        },
        "labels": label_distribution(examples, recipe.output_format),
        "leakage": leakage,
        "timings_s": {name: round(value, 2) for name, value in timings.items()},
        "config": config,
    }


def _generation_lines(card: dict) -> list[str]:
    llm = card["llm"]
    return [
        *[f"- backend `{key}`: {b['kind']} / model `{b['model']}`" for key, b in card["backends"].items()],
        *[
            f"- prompt `{p['name']}.{p['version']}` (sha256 `{p['sha256'][:12]}`, {p['source']})"
            for p in card["prompts"]
        ],
        f"- seeds: {card['seeds'].get('count')} from `{json.dumps(card['seeds'].get('source'))}`",
        f"- sampling: {json.dumps(card['sampling'])}",
        f"- LLM calls: {llm['calls']} ({llm['cached_calls']} from cache), "
        f"{llm['calls_per_example']} per accepted example; {llm['completion_tokens']} completion tokens, "
        f"{llm['tokens_per_second'] or 'n/a'} tokens/s",
    ]


def _acceptance_lines(counts: dict) -> list[str]:
    rows = [f"| {row['stage']} | {row.get('rejected', '')} | {row['out']} |" for row in counts["funnel"]]
    reasons = [
        f"- {stage}: {', '.join(f'{reason} {n}' for reason, n in by_reason.items())}"
        for stage, by_reason in counts["rejected_by_stage"].items()
    ]
    return [
        "| stage | rejected | left |",
        "|---|---|---|",
        *rows,
        "",
        "Rejections by stage and reason:",
        "",
        *reasons,
    ]


def _json_block(value: object) -> list[str]:
    return ["```json", json.dumps(value, indent=2), "```"] if value else ["Not run."]


def render_markdown(card: dict) -> str:
    """A human-readable version of the card."""
    counts = card["counts"]
    summary = (
        f"Created {card['created']}. {counts['examples']} examples in `train.jsonl`, "
        f"{counts['rejected']} rejections in `rejected.jsonl`."
    )
    sections = [
        [f"# Data card: synthetic corpus ({card['recipe']})", summary],
        ["## Generation", *_generation_lines(card)],
        ["## Acceptance", *_acceptance_lines(counts)],
        ["## Labels", *_json_block(card["labels"])],
        ["## Leakage audit", *_json_block(card["leakage"])],
        ["## Timings (s)", *[f"- {name}: {value}" for name, value in card["timings_s"].items()]],
    ]
    return "\n\n".join("\n".join([title, "", *body]) for title, *body in sections) + "\n"


def write_card(card: dict, folder: Path) -> None:
    """`datacard.json` and `DATACARD.md` in `folder`."""
    (folder / "datacard.json").write_text(
        json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (folder / "DATACARD.md").write_text(render_markdown(card), encoding="utf-8")
