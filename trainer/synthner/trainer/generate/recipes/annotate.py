"""Generate, then annotate (Šuvalov et al.): one prompt writes unlabelled clinical text, a second
lists its entities, and the mentions are aligned back onto the text."""

import json
import random
import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from synthner.trainer.corpus.example import Example
from synthner.trainer.generate.backend import ChatRequest, Completion
from synthner.trainer.generate.backends.config import BackendConfig
from synthner.trainer.generate.recipes.align import align_mention
from synthner.trainer.generate.recipes.base import STYLES, Outcome, Rejection, Sampling, Style, make_request
from synthner.trainer.generate.recipes.matching import longest_first
from synthner.trainer.generate.recipes.parsing import ITEM_MARKER, clean_passage
from synthner.trainer.generate.recipes.sources import SeedSource, require_seeds, source_card
from synthner.trainer.generate.templates import PromptTemplate, load_template

LABEL_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z _-]*?)\s*:\s*(.+?)\s*$")
NOTHING = re.compile(r"^\W*(none|no entities|nothing)\W*$", re.IGNORECASE)


class AnnotateConfig(BaseModel):
    """Two prompts per item; `label_backend` (when set) answers the second one."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["annotate"]
    n_items: int = Field(ge=1)
    labels: dict[str, str] = {"DRUG": "medication or drug names", "ADE": "adverse effects caused by a drug"}
    seeds: SeedSource | None = None  # topic hints for the writing prompt (only names reach the LLM)
    seeds_per_item: int = Field(2, ge=1)
    styles: list[Style] = Field(["discharge_summary"], min_length=1)
    write_template: str = "annotate_write.v1"
    label_template: str = "annotate_label.v1"
    label_backend: BackendConfig | None = None
    fuzzy_threshold: float = Field(0.85, gt=0.0, le=1.0)
    sampling: Sampling = Sampling()
    label_sampling: Sampling = Sampling(temperature=0.0, max_tokens=256)


def _json_mentions(text: str) -> list[tuple[str, str]] | None:
    """Mentions from a JSON list of `{label, text}` objects or a `{label: [mentions]}` object."""
    for opener, closer in (("[", "]"), ("{", "}")):
        if opener not in text or closer not in text:
            continue
        try:
            loaded = json.loads(text[text.index(opener) : text.rindex(closer) + 1])
        except ValueError:
            continue
        if isinstance(loaded, dict):
            return [
                (str(label), str(value))
                for label, values in loaded.items()
                for value in (values if isinstance(values, list) else [values])
            ]
        if isinstance(loaded, list) and all(isinstance(entry, dict) for entry in loaded):
            return [
                (str(e.get("label") or e.get("type") or ""), str(e.get("text") or e.get("mention") or ""))
                for e in loaded
            ]
    return None


def parse_mentions(text: str) -> list[tuple[str, str]] | None:
    """(label, mention) pairs from `LABEL: a, b` lines or JSON; `[]` for an explicit "none";
    None when nothing in the answer can be read."""
    text = clean_passage(text)
    if NOTHING.match(text):
        return []
    pairs = _json_mentions(text)
    if pairs is None:
        pairs = []
        for line in text.splitlines():
            match = LABEL_LINE.match(ITEM_MARKER.sub("", line, count=1))
            if match:
                pairs += [(match[1], part.strip()) for part in match[2].split(",")]
    pairs = [
        (label.strip(), mention.strip()) for label, mention in pairs if label.strip() and mention.strip()
    ]
    return pairs or None


class GenerateThenAnnotate:
    """Writes a text, asks for its entities, aligns them; unaligned mentions are rejected."""

    name = "annotate"
    output_format: Literal["ner"] = "ner"

    def __init__(self, config: AnnotateConfig) -> None:
        self.config = config
        self.write_template = load_template(config.write_template)
        self.label_template = load_template(config.label_template)
        self.seeds = require_seeds(config.seeds) if config.seeds else []
        self.rng_seed = config.sampling.seed

    def templates(self) -> list[PromptTemplate]:
        return [self.write_template, self.label_template]

    def seed_summary(self) -> dict:
        if self.config.seeds is None:
            return {"source": None, "count": 0, "items": self.config.n_items}
        return {**source_card(self.config.seeds, len(self.seeds)), "items": self.config.n_items}

    def requests(self) -> Iterator[ChatRequest]:
        order = random.Random(self.rng_seed).sample(self.seeds, len(self.seeds))
        per = min(self.config.seeds_per_item, len(order))
        for index in range(self.config.n_items):
            hints = [order[(index * per + k) % len(order)].name for k in range(per)] if order else []
            style = self.config.styles[index % len(self.config.styles)]
            yield make_request(
                self.write_template,
                self.config.sampling,
                seed_offset=0,
                meta={
                    "recipe": self.name,
                    "stage": "write",
                    "item": f"annotate-{index:05d}",
                    "style": style,
                    "seeds": hints,
                },
                style=STYLES[style],
                topics=hints,
                labels=[{"name": k, "description": v} for k, v in self.config.labels.items()],
            )

    def parse(self, request: ChatRequest, completion: Completion) -> Outcome:
        if request.meta["stage"] == "write":
            text = clean_passage(completion.text)
            if not text:
                return Outcome(rejected=[Rejection(request.meta["item"], "write", "empty")])
            return Outcome(follow_ups=[self._label_request(request, text)])
        return self._align(request, completion)

    def _label_request(self, request: ChatRequest, text: str) -> ChatRequest:
        meta = {**request.meta, "stage": "label", "text": text, "write_prompt_id": request.prompt_id}
        if self.config.label_backend is not None:
            meta["backend"] = "label"
        return make_request(
            self.label_template,
            self.config.label_sampling,
            seed_offset=0,
            meta=meta,
            text=text,
            labels=[{"name": k, "description": v} for k, v in self.config.labels.items()],
        )

    def _align(self, request: ChatRequest, completion: Completion) -> Outcome:
        item, text = request.meta["item"], request.meta["text"]
        mentions = parse_mentions(completion.text)
        if mentions is None:
            return Outcome(rejected=[Rejection(item, "annotate", "unparseable")])
        known = {label.lower(): label for label in self.config.labels}
        outcome, spans, methods = Outcome(), [], []
        for number, (label, mention) in enumerate(mentions):
            mention_id = f"{item}-m{number:02d}"
            if label.strip().lower() not in known:
                outcome.rejected.append(Rejection(mention_id, "annotate", "unknown_label"))
                continue
            aligned = align_mention(mention, known[label.strip().lower()], text, self.config.fuzzy_threshold)
            if not aligned.spans:
                outcome.rejected.append(Rejection(mention_id, "align", "unaligned"))
                continue
            spans += aligned.spans
            methods.append(aligned.method)
        kept = longest_first(spans)
        meta = {
            "recipe": self.name,
            "templates": [self.write_template.key, self.label_template.key],
            "style": request.meta["style"],
            "prompt_id": request.meta["write_prompt_id"],
            "label_prompt_id": request.prompt_id,
            "seeds": request.meta["seeds"],
            "alignment": {m: methods.count(m) for m in sorted(set(methods))},
            "overlaps_dropped": len(set(spans)) - len(kept),
        }
        outcome.accepted.append(Example(item, text, kept, [], meta))
        return outcome
