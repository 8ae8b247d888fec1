"""What `synthner tag` shows on stderr (a progress bar, a summary) and its displaCy HTML.

Counts, rates and times only: no note text reaches the terminal.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from synthner.trainer.tagging.run import Summary

COLORS = {"DRUG": "#7aecec", "ADE": "#ff9561", "DISEASE": "#feca74", "CHEMICAL": "#bfeeb7"}


class RateColumn(ProgressColumn):
    """Documents per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} docs/s" if speed else "- docs/s", style="progress.data.speed")


@contextmanager
def progress_bar(console: Console, total: int | None, enabled: bool = True) -> Iterator[Callable[[int], None]]:
    """A bar with docs/s and ETA; yields `advance(n)`."""
    columns = [
        TextColumn("tagging"), BarColumn(), MofNCompleteColumn(), RateColumn(),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
    ]
    with Progress(*columns, console=console, disable=not enabled) as progress:
        task = progress.add_task("tagging", total=total)
        yield lambda n: progress.advance(task, n)


def print_summary(console: Console, summary: Summary, errors_path: Path | None) -> None:
    """Documents, entities per label, errors and throughput, as a table."""
    table = Table(title="synthner tag", show_header=False)
    seconds = max(summary.seconds, 1e-9)
    rows = [
        ("documents tagged", f"{summary.tagged:,}"),
        ("already done (skipped)", f"{summary.skipped:,}"),
        ("errors", f"{summary.errors:,}" + (f" (see {errors_path})" if summary.errors and errors_path else "")),
        ("entities", f"{sum(summary.labels.values()):,}"),
        *((f"  {label}", f"{count:,}") for label, count in sorted(summary.labels.items())),
        ("unaligned predictions", f"{summary.unaligned:,}"),
        ("time", f"{summary.seconds:.1f} s"),
        ("throughput", f"{summary.tagged / seconds:.1f} docs/s, {summary.characters / seconds:,.0f} chars/s"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)


def write_html(records: list[dict], path: Path) -> None:
    """displaCy's entity view of the tagged notes as one self-contained page (no external assets)."""
    from spacy import displacy

    html = displacy.render(
        records, style="ent", manual=True, page=True, jupyter=False, options={"colors": COLORS}
    )
    Path(path).write_text(html, encoding="utf-8")
