"""Seeded sentences (Tang et al. 2023): N sentences per seed entity in a chosen style; the
seed's occurrences become the labelled spans."""

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
    sentence_outcome,
)
from synthner.trainer.generate.recipes.matching import Seed, match_seeds
from synthner.trainer.generate.recipes.parsing import parse_list
from synthner.trainer.generate.recipes.sources import SeedSource, sample_seeds, seeds_card
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
        self.seeds = sample_seeds(config.seeds, config.max_seeds, config.sampling.seed)

    def templates(self) -> list[PromptTemplate]:
        return [self.template]

    def seed_summary(self) -> dict:
        return seeds_card(self.config.seeds, self.seeds)

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
        seeds = [Seed(name, label) for name, label in request.meta["seeds"]]
        meta = {
            "recipe": self.name,
            "templates": [self.template.key],
            "style": request.meta["style"],
            "prompt_id": request.prompt_id,
            "seeds": [seed.name for seed in seeds],
        }

        def example(example_id: str, sentence: str) -> Example | Rejection:
            spans = match_seeds(sentence, seeds)
            if not spans:
                return Rejection(example_id, "seed_match", "seed_missing")
            return Example(example_id, sentence, spans, [], dict(meta))

        return sentence_outcome(request, completion, parse_list(completion.text), example)
