"""What every recipe shares: the outcome of parsing one completion, the Recipe protocol, requests."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field
from synthner.trainer.corpus.example import Example
from synthner.trainer.generate.backend import ChatRequest, Completion
from synthner.trainer.generate.recipes.parsing import ends_cleanly
from synthner.trainer.generate.templates import PromptTemplate

# Register descriptions the prompts use; the keys are what configs name.
STYLES: dict[str, str] = {
    "pubmed_abstract": "a PubMed abstract (formal, scientific)",
    "case_report": "a published case report (formal, past tense, one patient)",
    "discharge_summary": "a hospital discharge summary (clinical, terse)",
    "clinic_note": "an outpatient clinic note (terse, with abbreviations such as pt, c/o, hx, w/, d/c, PRN)",
    "nursing_note": "a nursing note (abbreviated shift observations)",
    "forum_post": "a patient's post on a health forum (informal, first person, the odd misspelling)",
    "tweet": "a tweet by a patient (short, informal, abbreviations and misspellings as real tweets have)",
}
Style = Literal[
    "pubmed_abstract",
    "case_report",
    "discharge_summary",
    "clinic_note",
    "nursing_note",
    "forum_post",
    "tweet",
]


class Sampling(BaseModel):
    """Sampling parameters sent with every request of a recipe."""

    model_config = ConfigDict(extra="forbid")

    temperature: float = Field(0.8, ge=0.0, le=2.0)
    max_tokens: int = Field(256, ge=1)
    seed: int = 13


@dataclass(frozen=True, slots=True)
class Rejection:
    """A candidate that did not make it into the corpus: which one, at which stage, and why.
    Never holds text, so rejection files and logs carry no generated (or seed) content."""

    id: str
    stage: str
    reason: str


@dataclass(slots=True)
class Outcome:
    """What parsing one completion produced: examples, rejections, and requests to make next
    (a verification, an annotation pass, a regeneration)."""

    accepted: list[Example] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    follow_ups: list[ChatRequest] = field(default_factory=list)


class Recipe(Protocol):
    """One way of turning seeds into examples; the runner, cache, replay and card treat all alike."""

    name: str
    output_format: Literal["ner", "relation"]

    def templates(self) -> list[PromptTemplate]:
        """Every template this recipe may render (for the data card)."""
        ...

    def requests(self) -> Iterator[ChatRequest]:
        """The first-stage requests; follow-ups come from `parse`."""
        ...

    def parse(self, request: ChatRequest, completion: Completion) -> Outcome:
        """Turn one completion of one of this recipe's requests into an outcome."""
        ...

    def seed_summary(self) -> dict:
        """Seed source and counts, for the data card."""
        ...


def make_request(
    template: PromptTemplate, sampling: Sampling, seed_offset: int, meta: dict, **variables: object
) -> ChatRequest:
    """A one-message chat request from a template; `meta` travels with it (never hashed)."""
    return ChatRequest(
        messages=(("user", template.render(**variables)),),
        max_tokens=sampling.max_tokens,
        temperature=sampling.temperature,
        seed=sampling.seed + seed_offset,
        meta={**meta, "template": template.key},
    )


def truncated(request: ChatRequest, completion: Completion) -> bool:
    """Whether the backend stopped because it hit `max_tokens` (the last item may be cut off)."""
    return completion.completion_tokens >= request.max_tokens


def sentence_outcome(
    request: ChatRequest,
    completion: Completion,
    sentences: list[str],
    make: Callable[[str, str], Example | Rejection],
) -> Outcome:
    """`make(example_id, sentence)` for each listed sentence, except a last one cut off at
    `max_tokens`; no sentences at all is one rejection of the whole item."""
    item = request.meta["item"]
    if not sentences:
        return Outcome(rejected=[Rejection(item, "parse", "no_sentences")])
    outcome = Outcome()
    cut = truncated(request, completion) and not ends_cleanly(sentences[-1])
    for number, sentence in enumerate(sentences):
        example_id = f"{item}-{number:02d}"
        if cut and number == len(sentences) - 1:
            outcome.rejected.append(Rejection(example_id, "parse", "truncated"))
            continue
        result = make(example_id, sentence)
        if isinstance(result, Rejection):
            outcome.rejected.append(result)
        else:
            outcome.accepted.append(result)
    return outcome
