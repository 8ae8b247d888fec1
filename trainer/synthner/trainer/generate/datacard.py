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


def label_distribution(examples: list[Example], output_format: str) -> dict:
    """Spans per label, examples per label, and (relation corpora) examples per class."""
    spans = Counter(span.label for example in examples for span in example.entities)
    holders = Counter(label for example in examples for label in {span.label for span in example.entities})
    card = {"spans": dict(sorted(spans.items())), "examples_with_label": dict(sorted(holders.items())),
            "examples_without_entities": sum(1 for example in examples if not example.entities)}
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
    *, config: dict, recipe: Recipe, backends: dict[str, dict], stats: RunStats,
    recipe_accepted: int, examples: list[Example], rejections: list[Rejection],
    leakage: dict | None, timings: dict[str, float],
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
        "sampling": config["recipe"].get("sampling"),
        "counts": {
            "examples": len(examples),
            "rejected": len(rejections),
            "rejected_by_stage": by_stage,
            "funnel": funnel,
        },
        "llm": {
            "planned_requests": stats.planned, "calls": stats.total_calls, "calls_by_stage": dict(stats.calls),
            "cached_calls": stats.cached, "completion_tokens": stats.completion_tokens,
            "fresh_tokens": stats.fresh_tokens,
            "calls_per_example": round(stats.total_calls / len(examples), 3) if examples else None,
            "tokens_per_second": round(tokens_per_s, 2) if tokens_per_s else None,
        },
        "labels": label_distribution(examples, recipe.output_format),
        "leakage": leakage,
        "timings_s": {name: round(value, 2) for name, value in timings.items()},
        "config": config,
    }


def render_markdown(card: dict) -> str:
    """A human-readable version of the card."""
    counts, llm = card["counts"], card["llm"]
    lines = [
        f"# Data card: synthetic corpus ({card['recipe']})", "",
        f"Created {card['created']}. {counts['examples']} examples in `train.jsonl`, "
        f"{counts['rejected']} rejections in `rejected.jsonl`.", "",
        "## Generation", "",
        *[f"- backend `{key}`: {b['kind']} / model `{b['model']}`" for key, b in card["backends"].items()],
        *[f"- prompt `{p['name']}.{p['version']}` (sha256 `{p['sha256'][:12]}`, {p['source']})" for p in card["prompts"]],
        f"- seeds: {card['seeds'].get('count')} from `{json.dumps(card['seeds'].get('source'))}`",
        f"- sampling: {json.dumps(card['sampling'])}",
        f"- LLM calls: {llm['calls']} ({llm['cached_calls']} from cache), "
        f"{llm['calls_per_example']} per accepted example; {llm['completion_tokens']} completion tokens, "
        f"{llm['tokens_per_second']} tokens/s", "",
        "## Acceptance", "", "| stage | rejected | left |", "|---|---|---|",
        *[f"| {row['stage']} | {row.get('rejected', '')} | {row['out']} |" for row in counts["funnel"]], "",
        "Rejections by stage and reason:", "",
        *[f"- {stage}: {', '.join(f'{r} {n}' for r, n in reasons.items())}"
          for stage, reasons in counts["rejected_by_stage"].items()], "",
        "## Labels", "", "```json", json.dumps(card["labels"], indent=2), "```", "",
        "## Leakage audit", "",
        *(["```json", json.dumps(card["leakage"], indent=2), "```"] if card["leakage"] else ["Not run."]), "",
        "## Timings (s)", "", *[f"- {name}: {value}" for name, value in card["timings_s"].items()], "",
    ]
    return "\n".join(lines)


def write_card(card: dict, folder: Path) -> None:
    """`datacard.json` and `DATACARD.md` in `folder`."""
    (folder / "datacard.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "DATACARD.md").write_text(render_markdown(card), encoding="utf-8")
