"""`synthner serve`: the HTTP extraction service (needs the `serve` extra, not torch)."""

from typing import Annotated, Optional

import typer


def serve(
    model: Annotated[
        Optional[str],
        typer.Option(help="ade, bio, a pipeline folder or installed package, or an exported model folder."),
    ] = None,
    host: Annotated[Optional[str], typer.Option(help="Address to listen on (default 127.0.0.1).")] = None,
    port: Annotated[Optional[int], typer.Option(help="Port (default 8080).")] = None,
    workers: Annotated[Optional[int], typer.Option(help="Inference threads (default 2).")] = None,
) -> None:
    """Serve POST /v1/extract, a web page at /, API docs at /docs, probes and /metrics.

    Every setting also reads SYNTHNER_<NAME> from the environment (flags win):
    SYNTHNER_API_TOKEN turns on bearer-token auth; SYNTHNER_MAX_TEXT_CHARS,
    SYNTHNER_MAX_BATCH_DOCS, SYNTHNER_MAX_BODY_BYTES and SYNTHNER_MAX_PENDING_DOCS set
    the limits. See deploy/README.md.
    """
    try:
        from pydantic import ValidationError
        from synthner.serving.server import serve as run_server
        from synthner.serving.settings import ServeSettings
    except ImportError as error:
        typer.echo(f"error: {error.name} is missing; install synthner[serve]", err=True)
        raise typer.Exit(1) from None
    flags = {"model": model, "host": host, "port": port, "workers": workers}
    try:
        settings = ServeSettings(**{name: value for name, value in flags.items() if value is not None})
    except ValidationError as error:
        typer.echo(f"error: invalid settings:\n{error}", err=True)
        raise typer.Exit(2) from None
    run_server(settings)
