"""`synthner generate CONFIG.yaml -o corpus/`: a synthetic corpus from a recipe config.

The `generate` group runs its `run` command when the first argument is not a subcommand's
name, so `synthner generate CONFIG -o DIR` and `synthner generate run CONFIG -o DIR` are the
same, and other subcommands (e.g. `train-prompt`) can sit beside it."""

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import click
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from typer.core import TyperGroup

if TYPE_CHECKING:  # the runner imports jinja2 (the train extra); the CLI must start without it
    from synthner.trainer.generate.runner import RunStats


class RunByDefault(TyperGroup):
    """A group whose unnamed invocation (`generate CONFIG ...`) goes to its `run` command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=RunByDefault,
    no_args_is_help=True,
    help="Generate a synthetic corpus: `synthner generate CONFIG.yaml -o corpus/`.",
)


def _progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} calls"),
        TextColumn("accepted {task.fields[accepted]}  rejected {task.fields[rejected]}"),
        TextColumn("{task.fields[speed]} tok/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


def _updater(bar: Progress) -> Callable[["RunStats", int], None]:
    """A runner progress callback that moves `bar` (speed over this run's wall time)."""
    task = bar.add_task("generating", total=None, accepted=0, rejected=0, speed="-")
    started = time.perf_counter()

    def update(stats: "RunStats", known: int) -> None:
        speed = stats.fresh_tokens / max(time.perf_counter() - started, 1e-9)
        bar.update(
            task,
            completed=stats.answered,
            total=known,
            accepted=stats.accepted,
            rejected=stats.rejected,
            speed=f"{speed:.1f}",
        )

    return update


@app.command("run")
def run(
    config: Annotated[Path, typer.Argument(help="generation config (YAML)", dir_okay=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="corpus folder to write")] = None,
    resume: Annotated[bool, typer.Option(help="continue a run in OUTPUT from its completion cache")] = False,
    dump_prompts: Annotated[
        Path | None, typer.Option(help="write the prompts to answer to this JSONL file; call no LLM")
    ] = None,
    quiet: Annotated[bool, typer.Option(help="no progress bar")] = False,
) -> None:
    """Generate `train.jsonl`, `rejected.jsonl`, `datacard.json` and `DATACARD.md` into OUTPUT."""
    from synthner.trainer.corpus.example import CorpusError
    from synthner.trainer.generate.backend import BackendError
    from synthner.trainer.generate.config import ConfigError, load_config
    from synthner.trainer.generate.pipeline import dump_prompts as dump
    from synthner.trainer.generate.pipeline import generate_corpus

    console = Console(stderr=True)
    try:
        settings = load_config(config)
        if dump_prompts is not None:
            count = dump(settings, dump_prompts)
            console.print(f"{count} prompts to answer written to {dump_prompts}")
            return
        if output is None:
            raise typer.BadParameter("give the corpus folder with -o/--output", param_hint="--output")
        if quiet:
            card = generate_corpus(settings, output, resume=resume)
        else:
            with _progress_bar(console) as bar:
                card = generate_corpus(settings, output, resume=resume, progress=_updater(bar))
    except (ConfigError, CorpusError, BackendError, FileExistsError, FileNotFoundError, ValueError) as error:
        console.print(f"[red]error:[/red] {error}", markup=True, highlight=False)
        raise typer.Exit(1) from None
    counts, llm = card["counts"], card["llm"]
    console.print(
        f"{counts['examples']} examples, {counts['rejected']} rejections, {llm['calls']} LLM calls "
        f"({llm['cached_calls']} cached) -> {output}"
    )
