"""Where seeds come from: a plain list file, a pair list, or an annotated corpus."""

import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Tag
from synthner.trainer.corpus.example import CorpusError, Example
from synthner.trainer.corpus.formats import read_corpus
from synthner.trainer.generate.recipes.matching import Seed


class SeedFile(BaseModel):
    """One entity name per line, or `name<TAB>label`; `label` is for lines without one."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["file"] = "file"
    path: Path
    label: str = "ENTITY"


class CorpusSource(BaseModel):
    """An annotated corpus in any format `synthner.trainer.corpus` reads (its training split)."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["corpus"] = "corpus"
    path: Path
    format: str | None = None  # None: detected from the file name
    labels: list[str] | None = None  # keep only entities with these labels
    label_map: dict[str, str] = {}  # corpus label -> seed label


class PairFile(BaseModel):
    """One `drug<TAB>effect` pair per line."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["file"] = "file"
    path: Path


class CorpusPairs(BaseModel):
    """Drug-effect pairs from a corpus's relations (ADE corpus: head = effect, tail = drug)."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["corpus"] = "corpus"
    path: Path
    format: str | None = None
    relation: str | None = None  # keep only relations with this label
    drug_side: Literal["head", "tail"] = "tail"


def _kind(value: object) -> str | None:
    """The source kind; a mapping without `kind` is a plain file."""
    return value.get("kind", "file") if isinstance(value, dict) else getattr(value, "kind", None)


SeedSource = Annotated[
    Annotated[SeedFile, Tag("file")] | Annotated[CorpusSource, Tag("corpus")], Discriminator(_kind)
]
PairSource = Annotated[
    Annotated[PairFile, Tag("file")] | Annotated[CorpusPairs, Tag("corpus")], Discriminator(_kind)
]


def read_examples(path: Path, fmt: str | None) -> Iterator[Example]:
    """Examples from any corpus format `synthner.trainer.corpus` reads (None: from the name)."""
    if not Path(path).exists():
        raise FileNotFoundError(f"corpus {path} does not exist")
    return read_corpus(Path(path), fmt)


def _table(path: Path, columns: int) -> Iterator[tuple[int, list[str]]]:
    """Non-empty, non-comment lines split on tabs, with 1-based line numbers."""
    if not path.is_file():
        raise FileNotFoundError(f"seed file {path} does not exist")
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = [field.strip() for field in line.rstrip("\n").split("\t")]
            if len(fields) > columns or not all(fields):
                problem = f"expected at most {columns} non-empty tab-separated fields"
                raise CorpusError(problem, str(path), number)
            yield number, fields


def _unique(seeds: Iterator[Seed]) -> list[Seed]:
    """Seeds in first-seen order, without case-insensitive duplicates of the same label."""
    seen: dict[tuple[str, str], Seed] = {}
    for seed in seeds:
        seen.setdefault((seed.name.lower(), seed.label), seed)
    return list(seen.values())


def _mention(example: Example, index: int) -> str:
    """The text of entity `index`, whitespace normalised."""
    return " ".join(example.span_text(example.entities[index]).split())


def load_seeds(source: SeedFile | CorpusSource) -> list[Seed]:
    """The distinct seeds of a source, in file order."""
    if isinstance(source, SeedFile):
        return _unique(
            Seed(fields[0], fields[1] if len(fields) > 1 else source.label)
            for _, fields in _table(source.path, 2)
        )
    return _unique(
        Seed(_mention(example, index), source.label_map.get(span.label, span.label))
        for example in read_examples(source.path, source.format)
        for index, span in enumerate(example.entities)
        if source.labels is None or span.label in source.labels
    )


def require_seeds(source: SeedFile | CorpusSource) -> list[Seed]:
    """The distinct seeds of a source; ValueError when it has none."""
    seeds = load_seeds(source)
    if not seeds:
        raise ValueError(f"{source.path}: no seeds found")
    return seeds


def sample_seeds(source: SeedFile | CorpusSource, max_seeds: int | None, seed: int) -> list[Seed]:
    """A source's seeds, or a random sample of `max_seeds` of them drawn with `seed`."""
    seeds = require_seeds(source)
    if max_seeds is not None and max_seeds < len(seeds):
        return random.Random(seed).sample(seeds, max_seeds)
    return seeds


def load_pairs(source: PairFile | CorpusPairs) -> list[tuple[str, str]]:
    """Distinct (drug, effect) pairs, in file order."""
    pairs: dict[tuple[str, str], tuple[str, str]] = {}
    if isinstance(source, PairFile):
        for number, fields in _table(source.path, 2):
            if len(fields) != 2:
                raise CorpusError("expected drug<TAB>effect", str(source.path), number)
            pairs.setdefault((fields[0].lower(), fields[1].lower()), (fields[0], fields[1]))
        return list(pairs.values())
    for example in read_examples(source.path, source.format):
        for relation in example.relations:
            if source.relation is not None and relation.label != source.relation:
                continue
            head, tail = (_mention(example, index) for index in (relation.head, relation.tail))
            drug, effect = (head, tail) if source.drug_side == "head" else (tail, head)
            pairs.setdefault((drug.lower(), effect.lower()), (drug, effect))
    return list(pairs.values())


def source_card(source: BaseModel, count: int, by_label: dict[str, int] | None = None) -> dict:
    """The data card's view of a seed source: where from and how many."""
    card = {"source": source.model_dump(mode="json"), "count": count}
    if by_label is not None:
        card["by_label"] = by_label
    return card


def seeds_card(source: BaseModel, seeds: list[Seed]) -> dict:
    """`source_card` with the seeds counted by label."""
    return source_card(source, len(seeds), dict(Counter(seed.label for seed in seeds)))
