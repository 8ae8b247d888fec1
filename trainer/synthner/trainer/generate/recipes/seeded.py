"""Seeded sentences (Tang et al. 2023): N sentences per seed entity in a chosen style; the
seed's occurrences become the labelled spans."""

import random
from collections import Counter
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from synthner.trainer.corpus.example import Example
from synthner.trainer.generate.backend import ChatRequest, Completion
from synthner.trainer.generate.recipes.base import (
    STYLES,
    Outcome,
    Rejection,
    Sampling,
    Style,
    make_request,
    truncated,
)
from synthner.trainer.generate.recipes.matching import Seed, match_seeds
from synthner.trainer.generate.recipes.parsing import ends_cleanly, parse_list
from synthner.trainer.generate.recipes.sources import SeedSource, load_seeds, source_card
from synthner.trainer.generate.templates import PromptTemplate, load_template


class SeededSentencesConfig(BaseModel):
    """Seeds from a list or corpus, `sentences_per_seed` sentences for each, styles in turn."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["seeded_sentences"]
    seeds: SeedSource
    max_seeds: int | None = Field(None, ge=1)  # a random sample of this many seeds
    seeds_per_prompt: int = Field(1, ge=1)
    sentences_per_seed: int = Field(5, ge=1)
    styles: list[Style] = Field(["pubmed_abstract"], min_length=1)
    label_descriptions: dict[str, str] = {}  # label -> how the prompt names it ("a drug")
    template: str = "seeded_sentences.v1"
    sampling: Sampling = Sampling()


class SeededSentences:
    """The Tang et al. recipe; a sentence that lacks all its prompt's seeds is rejected."""

    name = "seeded_sentences"
    output_format: Literal["ner"] = "ner"

    def __init__(self, config: SeededSentencesConfig) -> None:
        self.config = config
        self.template: PromptTemplate = load_template(config.template)
        seeds = load_seeds(config.seeds)
        if not seeds:
            raise ValueError(f"{config.seeds.path}: no seeds found")
        if config.max_seeds is not None and config.max_seeds < len(seeds):
            seeds = random.Random(config.sampling.seed).sample(seeds, config.max_seeds)
        self.seeds = seeds

    def templates(self) -> list[PromptTemplate]:
        return [self.template]

    def seed_summary(self) -> dict:
        return source_card(self.config.seeds, len(self.seeds), dict(Counter(s.label for s in self.seeds)))

    def requests(self) -> Iterator[ChatRequest]:
        size = self.config.seeds_per_prompt
        for index, start in enumerate(range(0, len(self.seeds), size)):
            group = self.seeds[start : start + size]
            style = self.config.styles[index % len(self.config.styles)]
            yield make_request(
                self.template,
                self.config.sampling,
                seed_offset=0,
                meta={
                    "recipe": self.name,
                    "item": f"seeded-{index:05d}",
                    "style": style,
                    "seeds": [[seed.name, seed.label] for seed in group],
                },
                count=self.config.sentences_per_seed * len(group),
                style=STYLES[style],
                seeds=[{"name": s.name, "label": self._describe(s.label)} for s in group],
            )

    def _describe(self, label: str) -> str:
        return self.config.label_descriptions.get(label, label.lower())

    def parse(self, request: ChatRequest, completion: Completion) -> Outcome:
        item = request.meta["item"]
        seeds = [Seed(name, label) for name, label in request.meta["seeds"]]
        sentences = parse_list(completion.text)
        if not sentences:
            return Outcome(rejected=[Rejection(item, "parse", "no_sentences")])
        outcome = Outcome()
        cut = truncated(request, completion) and not ends_cleanly(sentences[-1])
        for number, sentence in enumerate(sentences):
            example_id = f"{item}-{number:02d}"
            if cut and number == len(sentences) - 1:
                outcome.rejected.append(Rejection(example_id, "parse", "truncated"))
                continue
            spans = match_seeds(sentence, seeds)
            if not spans:
                outcome.rejected.append(Rejection(example_id, "seed_match", "seed_missing"))
                continue
            meta = {
                "recipe": self.name,
                "templates": [self.template.key],
                "style": request.meta["style"],
                "prompt_id": request.prompt_id,
                "seeds": [seed.name for seed in seeds],
            }
            outcome.accepted.append(Example(example_id, sentence, spans, [], meta))
        return outcome
