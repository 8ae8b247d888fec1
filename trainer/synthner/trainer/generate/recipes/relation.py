"""Relation examples (Tang et al. 2023): per round, K positive and K negative sentences with
masked entities (`@GENE$ ... @DISEASE$`), prompted with few-shot examples from a file."""

import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from synthner.trainer.corpus.example import CorpusError, Example, Relation, Span
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
from synthner.trainer.generate.recipes.parsing import parse_list
from synthner.trainer.generate.templates import PromptTemplate, load_template

# A label the LLM copied from the examples, at the end: "\t1" (a space once lists are
# parsed) after the final punctuation, " (0)", " [label: 1]", " label=0".
TRAILING_LABEL = re.compile(
    r"(?:(?<=[.!?])\s+[01]|\s*[(\[]\s*(?:label\s*[:=]?\s*)?[01]\s*[)\]]|\s+label\s*[:=]?\s*[01])\s*$", re.I
)


class RelationConfig(BaseModel):
    """Masks name the two entity types; `relation`/`negative` say what label 1 and 0 mean."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["relation"]
    few_shot: Path  # `sentence<TAB>label` lines, label 0 or 1, each sentence with both masks
    masks: tuple[str, str] = ("@GENE$", "@DISEASE$")
    relation: str = "the sentence states that the gene is associated with the disease"
    negative: str = "the sentence mentions both but states no association between them"
    relation_label: str = "ASSOCIATED"
    rounds: int = Field(ge=1)
    per_round: int = Field(5, ge=1)  # K positives and K negatives per round
    shots: int = Field(3, ge=1)  # few-shot examples shown per prompt
    style: Style = "pubmed_abstract"
    template: str = "relation.v1"
    sampling: Sampling = Sampling()


def read_few_shot(path: Path, masks: tuple[str, str]) -> dict[int, list[str]]:
    """Sentences by label (0/1); a bad line raises CorpusError naming file and line."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"few-shot file {path} does not exist")
    by_label: dict[int, list[str]] = {0: [], 1: []}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.rstrip("\n").split("\t")
            if not line.strip() or (number == 1 and fields[-1].strip().lower() == "label"):
                continue
            if len(fields) < 2 or fields[-1].strip() not in ("0", "1"):
                raise CorpusError("expected sentence<TAB>label with label 0 or 1", str(path), number)
            sentence = fields[-2].strip()
            if any(sentence.count(mask) != 1 for mask in masks):
                raise CorpusError(f"the sentence must contain each of {list(masks)} once", str(path), number)
            by_label[int(fields[-1])].append(sentence)
    if not by_label[0] or not by_label[1]:
        raise CorpusError("needs examples of both label 0 and label 1", str(path))
    return by_label


def mask_label(mask: str) -> str:
    """`@GENE$` -> `GENE`."""
    return re.sub(r"[^A-Za-z0-9_]", "", mask).upper() or mask


class RelationExamples:
    """Writes masked sentences of one polarity per prompt; each must hold each mask once."""

    name = "relation"
    output_format: Literal["relation"] = "relation"

    def __init__(self, config: RelationConfig) -> None:
        self.config = config
        self.template = load_template(config.template)
        self.shots = read_few_shot(config.few_shot, config.masks)

    def templates(self) -> list[PromptTemplate]:
        return [self.template]

    def seed_summary(self) -> dict:
        return {
            "source": {"few_shot": str(self.config.few_shot)},
            "count": sum(map(len, self.shots.values())),
            "by_label": {str(k): len(v) for k, v in self.shots.items()},
        }

    def requests(self) -> Iterator[ChatRequest]:
        rng = random.Random(self.config.sampling.seed)
        for round_ in range(self.config.rounds):
            for label in (1, 0):
                pool = self.shots[label]
                yield make_request(
                    self.template,
                    self.config.sampling,
                    seed_offset=0,
                    meta={"recipe": self.name, "item": f"relation-{round_:04d}-{label}", "label": label},
                    count=self.config.per_round,
                    style=STYLES[self.config.style],
                    masks=list(self.config.masks),
                    meaning=self.config.relation if label else self.config.negative,
                    examples=rng.sample(pool, min(self.config.shots, len(pool))),
                )

    def parse(self, request: ChatRequest, completion: Completion) -> Outcome:
        sentences = [TRAILING_LABEL.sub("", s).strip() for s in parse_list(completion.text)]
        return sentence_outcome(
            request, completion, sentences, lambda id_, text: self._example(id_, text, request)
        )

    def _example(self, example_id: str, sentence: str, request: ChatRequest) -> Example | Rejection:
        if any(sentence.count(mask) != 1 for mask in self.config.masks):
            return Rejection(example_id, "masks", "mask_count")
        label = request.meta["label"]
        spans = [
            Span(sentence.index(m), sentence.index(m) + len(m), mask_label(m)) for m in self.config.masks
        ]
        order = sorted(range(2), key=lambda i: spans[i])
        entities = [spans[i] for i in order]
        relations = [Relation(order.index(0), order.index(1), self.config.relation_label)] if label else []
        meta = {
            "recipe": self.name,
            "templates": [self.template.key],
            "prompt_id": request.prompt_id,
            "label": label,
            "style": self.config.style,
        }
        return Example(example_id, sentence, entities, relations, meta)


def relation_record(example: Example) -> dict:
    """The relation-classification JSONL form: `{"id", "text", "label", "meta"}` (label 0/1)."""
    return {"id": example.id, "text": example.text, "label": int(example.meta["label"]), "meta": example.meta}
