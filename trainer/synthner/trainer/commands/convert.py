"""`synthner convert`: rewrite a corpus in another format and report what went through."""

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from synthner.trainer.commands.options import parse_label_map

SHOWN_ERRORS = 3  # error messages shown per file; the count covers all of them


class Tally:
    """Counts of the examples that pass through: examples, entities and relations per label."""

    def __init__(self) -> None:
        self.examples = 0
        self.entities: Counter[str] = Counter()
        self.relations: Counter[str] = Counter()
        self.with_meta = 0

    def count(self, examples: Iterable) -> Iterator:
        for example in examples:
            self.examples += 1
            self.entities.update(span.label for span in example.entities)
            self.relations.update(relation.label for relation in example.relations)
            self.with_meta += bool(example.meta)
            yield example


def convert(
    source: Annotated[Path, typer.Argument(help="Corpus file or BRAT folder to read.", exists=True)],
    target: Annotated[Path, typer.Argument(help="File or BRAT folder to write.")],
    from_fmt: Annotated[Optional[str], typer.Option("--from", help="Input format (default: from the name).")] = None,
    to_fmt: Annotated[Optional[str], typer.Option("--to", help="Output format (default: from the name).")] = None,
    label_map: Annotated[Optional[list[str]], typer.Option("--map", help="Rename a label: OLD=NEW.")] = None,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Skip bad records and count them.")] = False,
    default_label: Annotated[
        Optional[str], typer.Option("--default-label", help="Label of untyped IOB tags (plain B/I).")
    ] = None,
) -> None:
    """Convert SOURCE to TARGET: jsonl, conll, brat, docbin, inline; also reads pubtator and ade."""
    from synthner.trainer.corpus.errors import InvalidRecords
    from synthner.trainer.corpus.example import CorpusError
    from synthner.trainer.corpus.formats import get_format, read_corpus, write_corpus

    mapping = parse_label_map(label_map)
    invalid = InvalidRecords(skip_invalid)
    tally = Tally()
    try:
        out_format = get_format(target, to_fmt, writing=True)
        examples = read_corpus(source, from_fmt, invalid=invalid, default_label=default_label, label_map=mapping)
        written = write_corpus(tally.count(examples), target, out_format.name, invalid=invalid)
    except CorpusError as error:
        Console(stderr=True).print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    console = Console(highlight=False)
    console.print(
        f"read {tally.examples} examples from {source}, wrote {written} to {target} ({out_format.name})",
        soft_wrap=True,
    )
    console.print(_label_table(tally))
    for what, count, kept in (
        ("relations", sum(tally.relations.values()), out_format.keeps_relations),
        ("example ids", tally.examples, out_format.keeps_ids),
        ("meta", tally.with_meta, out_format.keeps_meta),
    ):
        if count and not kept:
            note = f"[yellow]note:[/yellow] {out_format.name} does not store {what}: {count} not written"
            console.print(note, soft_wrap=True)
    _print_skipped(console, invalid)


def _label_table(tally: Tally) -> Table:
    table = Table("kind", "label", "count", title="Labels read")
    for kind, counts in (("entity", tally.entities), ("relation", tally.relations)):
        for label, count in sorted(counts.items()):
            table.add_row(kind, label, str(count))
    return table


def _print_skipped(console: Console, invalid) -> None:
    """Skipped records per file, with the first few messages of each (they hold no text)."""
    for source, count in sorted(invalid.counts().items()):
        console.print(f"[yellow]skipped {count} invalid records in {source}[/yellow]", soft_wrap=True)
        for error in [e for e in invalid.errors if (e.source or "<input>") == source][:SHOWN_ERRORS]:
            console.print(f"  {error}", soft_wrap=True)
