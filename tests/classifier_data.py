"""Tiny relation and assertion data the tests write (invented sentences, no shared data).

The models read masked inputs (`@DRUG$`, `@ADE$`, `@PROBLEM$`), so any drug or effect name
in a test sentence reads to them like the ones here."""

import random
from pathlib import Path

from synthner.trainer.corpus import Example, Relation, Span
from synthner.trainer.corpus.jsonl import write_jsonl
from tests.factory import ADES, DRUGS

LINKED = [
    "Patient on {drug} developed {ade}.",
    "{ade} was attributed to {drug}.",
    "She had {ade} after taking {drug}.",
]
# The first drug is continued and unrelated; the effect follows the second.
TWO_DRUGS = "{other} was continued; patient on {drug} developed {ade}."
UNLINKED = [
    "{ade} is caused by the infection, not by {drug}.",
    "{ade} was present for years before {drug} was started.",
]
ASSERTION_TEMPLATES = {
    "present": ["Patient on {drug} developed {ade}.", "Examination today shows {ade}."],
    "negated": ["Patient denies {ade}.", "There is no {ade} on examination."],
    "hypothetical": ["Watch for {ade} while on treatment.", "The risk of {ade} was discussed."],
    "historical": ["History of {ade} in 2010, resolved.", "She had {ade} many years ago."],
    "family": ["Her mother had {ade}.", "Family history of {ade} in his father."],
}


def relation_examples(n: int, seed: int) -> list[Example]:
    """`n` sentences with DRUG and ADE spans; effect -> drug relations as the ADE corpus has them."""
    rng = random.Random(seed)
    examples = []
    for index in range(n):
        drug, other = rng.sample(DRUGS, 2)
        ade = rng.choice(ADES)
        kind = index % 3
        template = rng.choice(LINKED) if kind == 0 else TWO_DRUGS if kind == 1 else rng.choice(UNLINKED)
        text = template.format(drug=drug, other=other, ade=ade)
        text = text[0].upper() + text[1:]
        spans = [_find(text, drug, "DRUG"), _find(text, ade, "ADE")]
        if kind == 1:
            spans.append(_find(text, other, "DRUG"))
        relations = [Relation(1, 0, "Adverse-Effect")] if kind < 2 else []
        examples.append(Example(f"rel-{seed}-{index}", text, spans, relations).sorted())
    return examples


def assertion_examples(per_class: int, seed: int) -> list[Example]:
    """`per_class` sentences per assertion class, each with one ADE span and `meta["assertion"]`."""
    rng = random.Random(seed)
    examples = []
    for status, templates in ASSERTION_TEMPLATES.items():
        for index in range(per_class):
            ade, drug = rng.choice(ADES), rng.choice(DRUGS)
            text = templates[index % len(templates)].format(ade=ade, drug=drug)
            meta = {"assertion": status}
            examples.append(Example(f"as-{status}-{index}", text, [_find(text, ade, "ADE")], [], meta))
    return examples


def write_examples(examples: list[Example], path: Path) -> Path:
    """Write examples as corpus JSONL and return the path."""
    write_jsonl(examples, path)
    return path


def _find(text: str, mention: str, label: str) -> Span:
    start = text.lower().index(mention.lower())
    return Span(start, start + len(mention), label)
