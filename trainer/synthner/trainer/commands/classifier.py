"""`synthner classifier train|export`: relation and assertion classifiers for the spaCy pipeline."""

from pathlib import Path
from typing import Annotated, Literal, Optional

import typer
from pydantic import ValidationError

from synthner.trainer.commands.options import parse_label_map

app = typer.Typer(no_args_is_help=True, help="Relation (drug -> effect) and assertion classifiers.")
Task = Literal["relation", "assertion"]


@app.command("train")
def train(
    task: Annotated[Task, typer.Argument(help="relation or assertion.")],
    train: Annotated[list[Path], typer.Option("--train", help="Training file (repeatable).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the trained model.")],
    dev: Annotated[Optional[Path], typer.Option(help="Dev file: early stopping on its F1.")] = None,
    base: Annotated[Optional[Path], typer.Option(help="Local encoder folder (default: MiniLM).")] = None,
    ratio: Annotated[Optional[list[float]], typer.Option(help="Share per --train file, in order.")] = None,
    fmt: Annotated[
        Optional[str], typer.Option("--format", help="Corpus format (default: from name).")
    ] = None,
    label_map: Annotated[
        Optional[list[str]], typer.Option("--map", help="Rename an entity label: OLD=NEW.")
    ] = None,
    pair: Annotated[
        Optional[list[str]],
        typer.Option(help="Relation pair type HEAD:TAIL:LABEL (default DRUG:ADE:Adverse-Effect)."),
    ] = None,
    target: Annotated[
        Optional[list[str]], typer.Option(help="Assertion: entity label to classify (default ADE, DISEASE).")
    ] = None,
    epochs: int = 4,
    max_steps: Optional[int] = None,
    batch_size: int = 16,
    learning_rate: float = 5e-5,
    patience: int = 2,
    max_tokens: int = 128,
    context_chars: int = 400,
    max_distance: Annotated[
        int, typer.Option(help="Relation: pair mentions in different sentences this close.")
    ] = 0,
    seed: int = 13,
    threads: Optional[int] = None,
    name: str = "synthner",
    version: str = "0.1.0",
) -> None:
    """Fine-tune a sequence classifier from a LOCAL encoder; saves the best checkpoint, config and metrics."""
    from synthner.trainer.classify.config import ClassifierConfig, ClassifierSource
    from synthner.trainer.classify.trainer import ClassifierTrainer

    ratios = ratio or [1.0] * len(train)
    if len(ratios) != len(train):
        raise typer.BadParameter(f"{len(ratios)} ratios for {len(train)} files", param_hint="--ratio")
    settings: dict = {}
    if pair:
        settings["pairs"] = [_pair(text) for text in pair]
    if target:
        settings["targets"] = target
    try:
        config = ClassifierConfig(
            task=task,
            train=[ClassifierSource(path=p, format=fmt, ratio=r) for p, r in zip(train, ratios, strict=True)],
            dev=ClassifierSource(path=dev, format=fmt) if dev else None,
            base=base,
            output=output,
            label_map=parse_label_map(label_map),
            epochs=epochs,
            max_steps=max_steps,
            batch_size=batch_size,
            learning_rate=learning_rate,
            patience=patience,
            max_tokens=max_tokens,
            context_chars=context_chars,
            max_distance=max_distance,
            seed=seed,
            threads=threads,
            name=name,
            version=version,
            **settings,
        )
    except ValidationError as error:
        raise typer.BadParameter(str(error)) from error
    result = ClassifierTrainer(config).train()
    summary = f"best epoch {result.best_epoch} of {len(result.history)}, {result.seconds} s"
    if result.best_dev:
        summary += f", dev {'F1' if task == 'relation' else 'macro F1'} {result.best_dev['main']:.4f}"
    typer.echo(f"saved {output} ({summary})")


@app.command("export")
def export(
    model: Annotated[Path, typer.Argument(help="Trained classifier folder.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the ONNX model.")],
    texts: Annotated[Optional[Path], typer.Option(help="Parity inputs (masked), one per line.")] = None,
    threshold: Annotated[float, typer.Option(help="Minimum label agreement (0-1).")] = 0.99,
) -> None:
    """Export MODEL to ONNX int8; fails when predicted labels agree with PyTorch below THRESHOLD."""
    from synthner.trainer.classify.export import export_classifier
    from synthner.trainer.export import ParityError

    lines = None
    if texts is not None:
        lines = [line for line in texts.read_text(encoding="utf-8").splitlines() if line.strip()]
    try:
        report = export_classifier(model, output, lines, threshold)
    except (ParityError, FileNotFoundError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(
        f"exported {output}: int8 predicts PyTorch's label on {report.agreement:.2%} of {report.texts} "
        f"inputs (threshold {threshold:.0%})"
    )


def _pair(text: str) -> dict:
    head, tail, label = (text.split(":", 2) + ["", ""])[:3]
    if not head or not tail or not label:
        raise typer.BadParameter(f"{text!r} is not HEAD:TAIL:LABEL", param_hint="--pair")
    return {"head": head, "tail": tail, "label": label}
