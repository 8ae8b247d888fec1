"""`synthner export`: int8 ONNX with a parity check against the PyTorch model."""

from pathlib import Path
from typing import Annotated, Optional

import typer


def export(
    model: Annotated[Path, typer.Argument(help="Trained model folder.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the ONNX model.")],
    texts: Annotated[Optional[Path], typer.Option(help="Parity texts, one per line.")] = None,
    threshold: Annotated[float, typer.Option(help="Minimum entity agreement (0-1).")] = 0.99,
) -> None:
    """Export MODEL to ONNX int8; fails when entities agree with PyTorch below THRESHOLD."""
    from synthner.trainer.export import ParityError, export_model

    lines = None
    if texts is not None:
        lines = [line for line in texts.read_text(encoding="utf-8").splitlines() if line.strip()]
    try:
        report = export_model(model, output, lines, threshold)
    except ParityError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(
        f"exported {output}: int8 agrees with PyTorch on {report.agreement:.2%} of entities "
        f"({report.entities_torch} entities in {report.texts} texts; threshold {threshold:.0%})"
    )
