"""Classifier training items (model input, class index) from the files `ClassifierSource` allows.

Every input is built by `synthner.spacy_component.classifier_inputs`, the code the spaCy
components run, so training, evaluation and production see one form.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from synthner.spacy_component.classifier_files import PairType
from synthner.spacy_component.classifier_inputs import (
    Mention,
    Sentences,
    assertion_input,
    candidate_pairs,
    mask,
    relation_input,
)
from synthner.trainer.classify.config import ClassifierConfig, ClassifierSource
from synthner.trainer.corpus import CorpusError, Example
from synthner.trainer.training.data import load_examples


@dataclass(frozen=True, slots=True)
class Item:
    """One model input and its class index."""

    text: str
    label: int


@dataclass
class PairSet:
    """Candidate pairs of a corpus as items, and its gold links that are no candidate
    (overlapping mentions, or too far apart): an evaluation counts those as missed."""

    items: list[Item] = field(default_factory=list)
    uncovered: int = 0


def load_items(source: ClassifierSource, config: ClassifierConfig) -> list[Item]:
    """All items of one training or dev file; a bad record raises CorpusError naming it."""
    path = Path(source.path)
    if not path.is_file():
        raise FileNotFoundError(f"classifier data {path} does not exist")
    if config.task == "assertion":
        return assertion_items(load_examples(path, source.format, config.label_map), config, path)
    if path.suffix.lower() == ".tsv":
        return masked_items(_tsv_rows(path), config.pairs, path)
    if path.suffix.lower() == ".jsonl" and _is_masked_jsonl(path):
        return masked_items(_jsonl_rows(path), config.pairs, path)
    pairs = relation_pairs(load_examples(path, source.format, config.label_map), config)
    if not any(item.label for item in pairs.items):
        types = ", ".join(f"{p.head}-{p.tail}" for p in config.pairs)
        raise CorpusError(
            f"no candidate {types} pair is linked by a relation; check pairs and --map", str(path)
        )
    return pairs.items


def masked_items(rows: list[tuple[int, str, str]], pairs: list[PairType], path: Path) -> list[Item]:
    """Items from (line, masked sentence, 0/1) rows; each sentence holds one pair type's masks once."""
    items = []
    for line, text, label in rows:
        if label not in ("0", "1"):
            raise CorpusError(f"label {label!r} is not 0 or 1", str(path), line)
        if not any(text.count(mask(p.head)) == 1 and text.count(mask(p.tail)) == 1 for p in pairs):
            wanted = " or ".join(f"{mask(p.head)} and {mask(p.tail)}" for p in pairs)
            raise CorpusError(f"the sentence must hold {wanted} once each", str(path), line)
        items.append(Item(text.strip(), int(label)))
    if not items:
        raise CorpusError("the file holds no examples", str(path))
    return items


def relation_pairs(examples: list[Example], config: ClassifierConfig) -> PairSet:
    """Every candidate pair of every example, labelled 1 when a relation links the two entities
    (in either direction: the ADE corpus points effect -> drug; the pair type's entity labels
    say what the link is, whatever the corpus calls it)."""
    result = PairSet()
    for example in examples:
        mentions = [Mention(s.start, s.end, s.label) for s in example.entities]
        sentences = Sentences(example.text)
        links = {frozenset((r.head, r.tail)) for r in example.relations}
        covered = set()
        for candidate in candidate_pairs(mentions, config.pairs, sentences, config.max_distance):
            pair = frozenset((candidate.head, candidate.tail))
            covered.add(pair)
            text = relation_input(
                example.text,
                mentions[candidate.head],
                mentions[candidate.tail],
                config.context_chars,
                sentences,
            )
            result.items.append(Item(text, int(pair in links)))
        result.uncovered += sum(
            1 for link in links - covered if _typed(*(mentions[i] for i in sorted(link)), config)
        )
    return result


def assertion_items(examples: list[Example], config: ClassifierConfig, path: Path) -> list[Item]:
    """One item per target mention; the example's `meta["assertion"]` is the class of all of them."""
    classes = config.classes
    items = []
    for example in examples:
        status = example.meta.get("assertion")
        if status not in classes:
            raise CorpusError(
                f"example {example.id!r}: meta.assertion is {status!r}, not one of {classes}", str(path)
            )
        targets = [s for s in example.entities if s.label in config.targets]
        if not targets:
            raise CorpusError(
                f"example {example.id!r} has no mention labelled one of {config.targets}", str(path)
            )
        sentences = Sentences(example.text)
        for span in targets:
            mention = Mention(span.start, span.end, span.label)
            items.append(
                Item(
                    assertion_input(example.text, mention, config.context_chars, sentences),
                    classes.index(status),
                )
            )
    return items


def _typed(a: Mention, b: Mention, config: ClassifierConfig) -> bool:
    """Whether a gold link joins the entity labels of a configured pair type."""
    ends = {(a.label, b.label), (b.label, a.label)}
    return any((p.head, p.tail) in ends for p in config.pairs)


def _tsv_rows(path: Path) -> list[tuple[int, str, str]]:
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.rstrip("\n").split("\t")
            if not line.strip() or (number == 1 and fields[-1].strip().lower() == "label"):
                continue
            if len(fields) < 2:
                raise CorpusError("expected sentence<TAB>label", str(path), number)
            rows.append((number, fields[-2], fields[-1].strip()))
    return rows


def _jsonl_rows(path: Path) -> list[tuple[int, str, str]]:
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                rows.append((number, str(record["text"]), str(record["label"])))
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise CorpusError(
                    f"expected a JSON object with text and label: {error!r}", str(path), number
                ) from None
    return rows


def _is_masked_jsonl(path: Path) -> bool:
    """Whether a JSONL file holds relation-recipe records (`label`, no `entities`)."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    return False  # the corpus reader names the line
                return isinstance(record, dict) and "label" in record and "entities" not in record
    return False
