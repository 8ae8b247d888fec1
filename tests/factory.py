"""Tiny annotated corpora the tests write themselves (invented sentences, no shared data)."""

import random
from pathlib import Path

from synthner.trainer.corpus import Example, Span
from synthner.trainer.corpus.jsonl import write_jsonl

DRUGS = [
    "metformin", "lisinopril", "warfarin", "ibuprofen", "amoxicillin", "simvastatin",
    "cisplatin", "lithium", "sertraline", "prednisone", "clozapine", "haloperidol",
]
ADES = [
    "nausea", "rash", "bleeding", "heartburn", "myalgia", "hearing loss",
    "tremor", "dizziness", "insomnia", "hyperglycaemia", "agranulocytosis", "dystonia",
]
POSITIVE = [
    "Patient on {drug} developed {ade}.",
    "{ade} was reported two days after {drug} was started.",
    "After taking {drug} she had {ade} for a week.",
    "Severe {ade} attributed to {drug}; the drug was stopped.",
    "We describe a case of {drug}-induced {ade} in an elderly man.",
]
NEGATIVE = [
    "She denies {ade} since starting {drug}.",
    "Continue {drug}; no {ade} reported at follow-up.",
    "Started {drug} for blood pressure control.",
]


def ade_examples(n: int, seed: int) -> list[Example]:
    """`n` sentences with DRUG and ADE spans; a third are negatives where only the drug is tagged."""
    rng = random.Random(seed)
    examples = []
    for index in range(n):
        drug, ade = rng.choice(DRUGS), rng.choice(ADES)
        positive = index % 3 != 0
        template = rng.choice(POSITIVE if positive else NEGATIVE)
        text = template.format(drug=drug, ade=ade)
        if text[0].islower():
            text = text[0].upper() + text[1:]
        spans = [_find(text, drug, "DRUG")]
        if positive:
            spans.append(_find(text, ade, "ADE"))
        examples.append(Example(f"ade-{seed}-{index}", text, sorted(spans), meta={"source": "tests"}))
    return examples


def _find(text: str, mention: str, label: str) -> Span:
    start = text.lower().index(mention.lower())
    return Span(start, start + len(mention), label)


def write_ade_corpus(path: Path, n: int, seed: int) -> Path:
    """Write `ade_examples(n, seed)` as JSONL and return the path."""
    write_jsonl(ade_examples(n, seed), path)
    return path
