"""`synthner train`: fine-tune a token-classification encoder on one or more corpora."""

from pathlib import Path
from typing import Annotated, Optional

import typer
from pydantic import ValidationError

from synthner.trainer.commands.options import parse_label_map


def train(
    train: Annotated[list[Path], typer.Option("--train", help="Training corpus (repeatable).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the trained model.")],
    dev: Annotated[Optional[Path], typer.Option(help="Dev corpus: early stopping on its F1.")] = None,
    base: Annotated[Optional[Path], typer.Option(help="Local encoder folder (default: MiniLM).")] = None,
    init: Annotated[Optional[Path], typer.Option(help="Continue from this synthner model.")] = None,
    ratio: Annotated[Optional[list[float]], typer.Option(help="Share per --train corpus, in order.")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="Corpus format (default: from name).")] = None,
    label_map: Annotated[Optional[list[str]], typer.Option("--map", help="Rename a label: OLD=NEW.")] = None,
    epochs: int = 10,
    max_steps: Optional[int] = None,
    batch_size: int = 16,
    learning_rate: float = 5e-5,
    patience: int = 3,
    window_tokens: int = 128,
    seed: int = 13,
    name: str = "synthner",
    version: str = "0.1.0",
) -> None:
    """Fine-tune from a LOCAL model folder; saves the best checkpoint, its config and metrics."""
    from synthner.trainer.training.config import TrainConfig, TrainSource
    from synthner.trainer.training.trainer import Trainer

    ratios = ratio or [1.0] * len(train)
    if len(ratios) != len(train):
        raise typer.BadParameter(f"{len(ratios)} ratios for {len(train)} corpora", param_hint="--ratio")
    try:
        config = TrainConfig(
            train=[TrainSource(path=p, format=fmt, ratio=r) for p, r in zip(train, ratios)],
            dev=dev, dev_format=fmt, base=base, init=init, output=output,
            label_map=parse_label_map(label_map), epochs=epochs, max_steps=max_steps,
            batch_size=batch_size, learning_rate=learning_rate, patience=patience,
            window_tokens=window_tokens, seed=seed, name=name, version=version,
        )
    except ValidationError as error:
        raise typer.BadParameter(str(error)) from error
    result = Trainer(config).train()
    summary = f"best epoch {result.best_epoch} of {len(result.history)}, {result.seconds} s"
    if result.best_dev:
        summary += f", dev strict F1 {result.best_dev['strict']['micro']['f1']:.4f}"
    typer.echo(f"saved {output} ({summary})")
