"""`synthner evaluate`: strict and partial P/R/F1 of a model on a gold corpus."""

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from synthner.trainer.commands.options import parse_label_map


def evaluate(
    model: Annotated[Path, typer.Argument(help="Trained or exported model folder.")],
    gold: Annotated[Path, typer.Argument(help="Gold corpus (JSONL or any readable format).")],
    fmt: Annotated[Optional[str], typer.Option("--format", help="Gold format (default: from name).")] = None,
    label_map: Annotated[Optional[list[str]], typer.Option("--map", help="Rename a gold label: OLD=NEW.")] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the scores here.")] = None,
) -> None:
    """Score MODEL on GOLD through the same decoding as production."""
    from synthner.trainer.corpus.formats import read_corpus
    from synthner.trainer.evaluation.run import evaluate_tagger, load_tagger

    examples = list(read_corpus(gold, fmt, label_map=parse_label_map(label_map) or None))
    report = evaluate_tagger(load_tagger(model), examples).as_dict()
    Console().print(score_table(report, f"{model.name} on {gold.name} ({len(examples)} documents)"))
    if json_out is not None:
        json_out.write_text(json.dumps(report, indent=2), encoding="utf-8")


def score_table(report: dict, title: str) -> Table:
    """Strict and partial scores side by side, one row per label, micro last."""
    table = Table(title=title)
    for column in ("label", "gold", "pred", "strict P", "strict R", "strict F1", "partial P", "partial R", "partial F1"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, strict in report["strict"].items():
        partial = report["partial"][label]
        table.add_row(
            label, str(strict["n_gold"]), str(strict["n_pred"]),
            *(f"{s[k]:.4f}" for s in (strict, partial) for k in ("precision", "recall", "f1")),
        )
    return table
