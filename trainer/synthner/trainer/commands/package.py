"""`synthner package`: a spaCy pipeline folder (and optionally a wheel) from an exported model."""

from pathlib import Path
from typing import Annotated, Optional

import typer


def package(
    model: Annotated[Path, typer.Argument(help="Exported model folder (model.onnx, synthner.json).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="New pipeline folder.")],
    name: Annotated[str, typer.Option(help="Package name, LANG_NAME.")] = "en_synthner_ade",
    version: Annotated[Optional[str], typer.Option(help="Package version (default: the model's).")] = None,
    relations: Annotated[
        Optional[Path], typer.Option(help="Exported relation classifier folder: adds synthner_relations.")
    ] = None,
    assertion: Annotated[
        Optional[Path], typer.Option(help="Exported assertion classifier folder: adds synthner_assertion.")
    ] = None,
    wheel: Annotated[bool, typer.Option("--wheel", help="Also build an installable wheel.")] = False,
    wheel_dir: Annotated[
        Optional[Path], typer.Option(help="Where the wheel goes (default: beside the pipeline).")
    ] = None,
) -> None:
    """Build a pipeline loadable with spacy.load(OUTPUT); with --wheel, spacy.load(NAME) after pip install."""
    from synthner.trainer.packaging import PackagingError, build_wheel, package_pipeline

    try:
        package_pipeline(model, output, name, version, relations=relations, assertion=assertion)
        typer.echo(f"pipeline written to {output}", err=True)
        if wheel:
            built = build_wheel(output, wheel_dir or output.resolve().parent)
            typer.echo(f"wheel written to {built}", err=True)
    except (PackagingError, FileNotFoundError, ValueError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
