"""What a tagged-generation prompt asks for: a (drug, effect) pair, a drug-only negative, or a
few seed entities; and the configuration of that recipe."""

import random
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from synthner.trainer.generate.recipes.base import Sampling, Style
from synthner.trainer.generate.recipes.matching import Seed
from synthner.trainer.generate.recipes.sources import PairSource, SeedSource

NegativeKind = Literal["indication", "negated", "hypothetical", "disease"]
# How the prompt words each kind of negative; `{effect}` is the pair's effect, named but not an ADE.
NEGATIVE_KINDS: dict[str, str] = {
    "indication": "the drug is given for the condition it treats and causes no side effect",
    "negated": "the patient takes the drug and explicitly does not have {effect} (e.g. denies {effect})",
    "hypothetical": "{effect} is only a possible risk the patient is warned about; it has not happened",
    "disease": "{effect} is caused by the patient's illness, not by the drug",
}


class TagSpec(BaseModel):
    """An inline tag: the span label it becomes and how the prompt explains it."""

    model_config = ConfigDict(extra="forbid")
    label: str
    description: str


class PairSampler(BaseModel):
    """(drug, effect) pairs as positives, plus drug-only negatives making up `negative_ratio`."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["pairs"]
    source: PairSource
    negative_ratio: float = Field(0.25, ge=0.0, le=1.0)
    negative_kinds: list[NegativeKind] = Field(list(NEGATIVE_KINDS), min_length=1)
    drug_tag: str = "drug"
    effect_tag: str = "ade"
    # Relations follow the ADE corpus: head = the effect span, tail = the drug span.
    relation_label: str | None = "Adverse-Effect"


class SeedSampler(BaseModel):
    """`per_item` seeds per prompt; a seed's label picks the tag whose label it is."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["seeds"]
    source: SeedSource
    per_item: int = Field(2, ge=1)
    # True: slots take labels in turn (per_item 2 over CHEMICAL/DISEASE gives one of each), so a
    # label with fewer seeds is not drowned out by a larger one.
    balance_labels: bool = False


class VerifyConfig(BaseModel):
    """Ask the LLM whether a tagged text is right; regenerate a "No" up to `max_regenerations`."""

    model_config = ConfigDict(extra="forbid")
    template: str = "verify.v1"
    max_regenerations: int = Field(2, ge=0)
    max_tokens: int = Field(8, ge=1)


DEFAULT_TAGS = {
    "drug": TagSpec(label="DRUG", description="a medication or drug name"),
    "ade": TagSpec(label="ADE", description="an adverse effect that the drug caused"),
}


class TaggedConfig(BaseModel):
    """SyNER-style tagged generation with optional self-verification."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["tagged"]
    sampler: Annotated[PairSampler | SeedSampler, Field(discriminator="kind")]
    n_items: int = Field(ge=1)
    tags: dict[str, TagSpec] = DEFAULT_TAGS
    styles: list[Style] = Field(["discharge_summary"], min_length=1)
    template: str = "tagged.v1"
    verify: VerifyConfig | None = VerifyConfig()
    sampling: Sampling = Sampling()

    @model_validator(mode="after")
    def _pair_tags_exist(self) -> "TaggedConfig":
        if isinstance(self.sampler, PairSampler):
            for field in ("drug_tag", "effect_tag"):
                if getattr(self.sampler, field) not in self.tags:
                    raise ValueError(f"sampler.{field} {getattr(self.sampler, field)!r} is not one of tags")
        return self


def pair_items(
    pairs: list[tuple[str, str]], sampler: PairSampler, n_items: int, rng: random.Random
) -> list[dict]:
    """`n_items` prompts: positives cycle through the shuffled pairs, negatives cycle the kinds."""
    negatives = round(n_items * sampler.negative_ratio)
    flags = [True] * negatives + [False] * (n_items - negatives)
    rng.shuffle(flags)
    order = rng.sample(pairs, len(pairs))
    items, kinds_used = [], 0
    for index, negative in enumerate(flags):
        drug, effect = order[index % len(order)]
        item = {"item": f"tagged-{index:05d}", "entities": [[drug, sampler.drug_tag]], "negative": None}
        if negative:
            kind = sampler.negative_kinds[kinds_used % len(sampler.negative_kinds)]
            kinds_used += 1
            item["negative"] = kind
            item["distractor"] = None if kind == "indication" else effect
        else:
            item["entities"].append([effect, sampler.effect_tag])
        items.append(item)
    return items


def seed_items(
    seeds: list[Seed], sampler: SeedSampler, tags: dict[str, TagSpec], n_items: int, rng: random.Random
) -> list[dict]:
    """`n_items` prompts of `per_item` seeds each, cycling through the shuffled seeds."""
    tag_of = {spec.label: tag for tag, spec in tags.items()}
    missing = sorted({seed.label for seed in seeds} - set(tag_of))
    if missing:
        raise ValueError(f"seed labels {missing} have no tag in `tags` (labels: {sorted(tag_of)})")
    order = rng.sample(seeds, len(seeds))
    per = min(sampler.per_item, len(order))
    by_label = {label: [s for s in order if s.label == label] for label in sorted({s.label for s in order})}
    labels = list(by_label)
    items = []
    for index in range(n_items):
        if sampler.balance_labels:
            slots = [labels[(index * per + k) % len(labels)] for k in range(per)]
            chosen = [by_label[label][(index * per + k) // len(labels) % len(by_label[label])]
                      for k, label in enumerate(slots)]
        else:
            chosen = [order[(index * per + k) % len(order)] for k in range(per)]
        entities = [[seed.name, tag_of[seed.label]] for seed in chosen]
        items.append({"item": f"tagged-{index:05d}", "entities": entities, "negative": None})
    return items
