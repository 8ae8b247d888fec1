"""Tagged generation with self-verification (SyNER, Yazdani et al. 2025): the LLM writes text
with inline tags, the tags become spans, and an optional second prompt checks the result."""

import random
import re
from collections import Counter
from collections.abc import Iterator
from typing import Literal

from synthner.trainer.corpus.example import CorpusError, Example, Relation
from synthner.trainer.corpus.inline import parse_inline
from synthner.trainer.corpus.jsonl import example_from_dict, example_to_dict
from synthner.trainer.generate.backend import ChatRequest, Completion
from synthner.trainer.generate.recipes.base import STYLES, Outcome, Rejection, Sampling, make_request
from synthner.trainer.generate.recipes.matching import names_match
from synthner.trainer.generate.recipes.parsing import clean_passage
from synthner.trainer.generate.recipes.sources import load_pairs, require_seeds, source_card
from synthner.trainer.generate.recipes.tagged_items import (
    NEGATIVE_KINDS,
    PairSampler,
    TaggedConfig,
    pair_items,
    seed_items,
)
from synthner.trainer.generate.templates import PromptTemplate, load_template

ANSWER = re.compile(r"\b(yes|no)\b", re.IGNORECASE)
# parse_inline's messages, mapped to short reason codes for the rejection file.
TAG_PROBLEMS = (("nested", "nested_tags"), ("unknown tag", "unknown_tag"), ("empty", "empty_tag"))


def tag_problem(error: CorpusError) -> str:
    """A reason code for a tag error (`unbalanced_tags` unless it is something more specific)."""
    return next((code for marker, code in TAG_PROBLEMS if marker in error.problem), "unbalanced_tags")


class TaggedGeneration:
    """Writes tagged texts for (drug, effect) pairs, drug-only negatives, or seed entities."""

    name = "tagged"
    output_format: Literal["ner"] = "ner"

    def __init__(self, config: TaggedConfig) -> None:
        self.config = config
        self.template = load_template(config.template)
        self.verify_template = load_template(config.verify.template) if config.verify else None
        self.labels = {tag: spec.label for tag, spec in config.tags.items()}
        rng = random.Random(config.sampling.seed)
        sampler = config.sampler
        if isinstance(sampler, PairSampler):
            pairs = load_pairs(sampler.source)
            if not pairs:
                raise ValueError(f"{sampler.source.path}: no (drug, effect) pairs found")
            self.seed_count: dict = {"count": len(pairs), "unit": "pairs"}
            self.items = pair_items(pairs, sampler, config.n_items, rng)
        else:
            seeds = require_seeds(sampler.source)
            by_label = dict(Counter(seed.label for seed in seeds))
            self.seed_count = {"count": len(seeds), "unit": "seeds", "by_label": by_label}
            self.items = seed_items(seeds, sampler, config.tags, config.n_items, rng)

    def templates(self) -> list[PromptTemplate]:
        return [self.template] + ([self.verify_template] if self.verify_template else [])

    def seed_summary(self) -> dict:
        card = source_card(self.config.sampler.source, self.seed_count["count"])
        negatives = Counter(item["negative"] for item in self.items if item["negative"])
        return {**card, **self.seed_count, "items": len(self.items), "negatives": dict(negatives)}

    def requests(self) -> Iterator[ChatRequest]:
        for item in self.items:
            yield self._write_request(item, attempt=0)

    def _write_request(self, item: dict, attempt: int) -> ChatRequest:
        negative = item["negative"]
        style = self.config.styles[int(item["item"].rsplit("-", 1)[1]) % len(self.config.styles)]
        return make_request(
            self.template,
            self.config.sampling,
            seed_offset=attempt,
            meta={"recipe": self.name, "stage": "write", "item": item, "attempt": attempt, "style": style},
            style=STYLES[style],
            tags=[{"name": tag, "description": spec.description} for tag, spec in self.config.tags.items()],
            entities=[{"name": name, "tag": tag} for name, tag in item["entities"]],
            negative=NEGATIVE_KINDS[negative].format(effect=item.get("distractor")) if negative else None,
            effect_tag=getattr(self.config.sampler, "effect_tag", None),
        )

    def parse(self, request: ChatRequest, completion: Completion) -> Outcome:
        if request.meta["stage"] == "verify":
            return self._parse_verdict(request, completion)
        item, attempt = request.meta["item"], request.meta["attempt"]
        example_id = f"{item['item']}-a{attempt}"
        tagged = clean_passage(completion.text)
        try:
            example = parse_inline(tagged, self.labels, example_id)
        except CorpusError as error:
            return Outcome(rejected=[Rejection(example_id, "tags", tag_problem(error))])
        problem = self._check(example, item)
        if problem:
            return Outcome(rejected=[Rejection(example_id, "tags", problem)])
        example.relations = self._relations(example, item)
        example.meta = {
            "recipe": self.name,
            "templates": [self.template.key],
            "style": request.meta["style"],
            "prompt_id": request.prompt_id,
            "attempt": attempt,
            "seeds": [name for name, _ in item["entities"]],
            "negative": item["negative"],
        }
        if self.verify_template is None:
            return Outcome(accepted=[example])
        return Outcome(follow_ups=[self._verify_request(request, tagged, example)])

    def _check(self, example: Example, item: dict) -> str | None:
        """A reason code when the tags miss a requested entity or a negative tags an effect."""
        for name, tag in item["entities"]:
            label = self.labels[tag]
            if not any(
                s.label == label and names_match(name, example.span_text(s)) for s in example.entities
            ):
                return "missing_entity"
        if item["negative"]:
            effect_label = self.labels[self.config.sampler.effect_tag]
            if any(span.label == effect_label for span in example.entities):
                return "negative_has_effect"
        return None

    def _relations(self, example: Example, item: dict) -> list[Relation]:
        """Each effect span linked (head) to the nearest drug span (tail), as in the ADE corpus."""
        sampler = self.config.sampler
        if not isinstance(sampler, PairSampler) or sampler.relation_label is None or item["negative"]:
            return []
        drug, effect = self.labels[sampler.drug_tag], self.labels[sampler.effect_tag]
        drugs = [i for i, span in enumerate(example.entities) if span.label == drug]
        relations = []
        for index, span in enumerate(example.entities):
            if span.label == effect:
                nearest = min(drugs, key=lambda d: abs(example.entities[d].start - span.start))
                relations.append(Relation(index, nearest, sampler.relation_label))
        return relations

    def _verify_request(self, request: ChatRequest, tagged: str, example: Example) -> ChatRequest:
        item = request.meta["item"]
        entities = {tag: name for name, tag in item["entities"]}
        sampling = Sampling(
            temperature=0.0, max_tokens=self.config.verify.max_tokens, seed=self.config.sampling.seed
        )
        return make_request(
            self.verify_template,
            sampling,
            seed_offset=request.meta["attempt"],
            meta={**request.meta, "stage": "verify", "candidate": example_to_dict(example)},
            text=tagged,
            tags=[{"name": tag, "description": spec.description} for tag, spec in self.config.tags.items()],
            drug=entities.get(getattr(self.config.sampler, "drug_tag", "")),
            effect=entities.get(getattr(self.config.sampler, "effect_tag", "")),
            negative=NEGATIVE_KINDS[item["negative"]].format(effect=item.get("distractor"))
            if item["negative"]
            else None,
        )

    def _parse_verdict(self, request: ChatRequest, completion: Completion) -> Outcome:
        """Accept on "Yes"; on "No" (or no answer) regenerate while attempts remain."""
        item, attempt = request.meta["item"], request.meta["attempt"]
        example_id = f"{item['item']}-a{attempt}"
        answer = ANSWER.search(completion.text)
        if answer and answer.group(1).lower() == "yes":
            example = example_from_dict(request.meta["candidate"], example_id)
            example.meta["templates"].append(self.verify_template.key)
            return Outcome(accepted=[example])
        reason = "verify_no" if answer else "verify_unclear"
        if attempt < self.config.verify.max_regenerations:
            regenerate = self._write_request(item, attempt + 1)
            return Outcome(
                rejected=[Rejection(example_id, "verify", f"{reason}_regenerated")], follow_ups=[regenerate]
            )
        return Outcome(rejected=[Rejection(example_id, "verify", reason)])
