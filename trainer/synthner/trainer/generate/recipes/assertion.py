"""Assertion examples: for each seed effect and each assertion class (present, negated,
hypothetical, historical, family), sentences where the effect has that status, the mention
tagged inline (`<effect>rash</effect>`). Each becomes an example with one span (the seed's
label) and `meta["assertion"]`, the training data of `synthner classifier train assertion`."""

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from synthner.trainer.corpus.example import CorpusError, Example
from synthner.trainer.corpus.inline import parse_inline
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
from synthner.trainer.generate.recipes.matching import names_match
from synthner.trainer.generate.recipes.parsing import parse_list
from synthner.trainer.generate.recipes.sources import SeedSource, sample_seeds, seeds_card
from synthner.trainer.generate.recipes.tagged import tag_problem
from synthner.trainer.generate.templates import PromptTemplate, load_template

AssertionClass = Literal["present", "negated", "hypothetical", "historical", "family"]
# How the prompt words each class; `{effect}` is the seed.
ASSERTION_CLASSES: dict[str, str] = {
    "present": "the patient has {effect} now (it is happening or was just found)",
    "negated": "the text says plainly that the patient does not have {effect} (denies it, no sign of it)",
    "hypothetical": "{effect} has not happened: it is only a possible risk or a warning",
    "historical": "the patient had {effect} in the past and it is over",
    "family": "{effect} is in a relative of the patient (mother, father, sibling), not in the patient",
}


class AssertionConfig(BaseModel):
    """Seed effects (their labels become the span labels), the classes to write, sentences per prompt."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["assertion"]
    seeds: SeedSource
    max_seeds: int | None = Field(None, ge=1)  # a random sample of this many seeds
    classes: list[AssertionClass] = Field(list(ASSERTION_CLASSES), min_length=1)
    per_prompt: int = Field(3, ge=1)
    tag: str = "effect"
    styles: list[Style] = Field(["discharge_summary", "clinic_note"], min_length=1)
    template: str = "assertion.v1"
    sampling: Sampling = Sampling()


class AssertionExamples:
    """One prompt per (seed, class); a sentence must tag the seed exactly once."""

    name = "assertion"
    output_format: Literal["ner"] = "ner"

    def __init__(self, config: AssertionConfig) -> None:
        self.config = config
        self.template = load_template(config.template)
        self.seeds = sample_seeds(config.seeds, config.max_seeds, config.sampling.seed)

    def templates(self) -> list[PromptTemplate]:
        return [self.template]

    def seed_summary(self) -> dict:
        return {**seeds_card(self.config.seeds, self.seeds), "classes": list(self.config.classes)}

    def requests(self) -> Iterator[ChatRequest]:
        index = 0
        for number, seed in enumerate(self.seeds):
            for status in self.config.classes:
                style = self.config.styles[index % len(self.config.styles)]
                index += 1
                yield make_request(
                    self.template,
                    self.config.sampling,
                    seed_offset=0,
                    meta={
                        "recipe": self.name,
                        "item": f"assertion-{number:05d}-{status}",
                        "style": style,
                        "seed": [seed.name, seed.label],
                        "assertion": status,
                    },
                    count=self.config.per_prompt,
                    style=STYLES[style],
                    effect=seed.name,
                    tag=self.config.tag,
                    status=ASSERTION_CLASSES[status].format(effect=seed.name),
                )

    def parse(self, request: ChatRequest, completion: Completion) -> Outcome:
        return sentence_outcome(
            request,
            completion,
            parse_list(completion.text),
            lambda example_id, sentence: self._example(example_id, sentence, request),
        )

    def _example(self, example_id: str, sentence: str, request: ChatRequest) -> Example | Rejection:
        name, label = request.meta["seed"]
        try:
            example = parse_inline(sentence, {self.config.tag: label}, example_id)
        except CorpusError as error:
            return Rejection(example_id, "tags", tag_problem(error))
        if len(example.entities) != 1:
            return Rejection(example_id, "tags", "mention_count")
        if not names_match(name, example.span_text(example.entities[0])):
            return Rejection(example_id, "tags", "wrong_mention")
        example.meta = {
            "recipe": self.name,
            "templates": [self.template.key],
            "style": request.meta["style"],
            "prompt_id": request.prompt_id,
            "seeds": [name],
            "assertion": request.meta["assertion"],
        }
        return example
