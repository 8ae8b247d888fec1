"""Soft prompts: learned virtual tokens (PEFT prompt tuning) that steer a local generator
towards the style of an annotated corpus, written with inline tags.

Training runs on this machine only; the soft prompt is derived from the corpus, so keep it
where the corpus may live. Only the transformers backend can use it.
"""

import hashlib
import json
import logging
import random
from dataclasses import dataclass
from pathlib import Path

import torch
from peft import PeftModel, PromptTuningConfig, PromptTuningInit, TaskType, get_peft_model
from pydantic import BaseModel, ConfigDict, Field
from transformers import PreTrainedModel, PreTrainedTokenizerBase

from synthner.trainer.corpus.example import Example
from synthner.trainer.corpus.inline import render_inline
from synthner.trainer.generate.backend import BackendError
from synthner.trainer.generate.backends.transformers_local import encode_prompt

log = logging.getLogger(__name__)

SETTINGS_FILE = "synthner_soft_prompt.json"
WEIGHTS_FILE = "adapter_model.safetensors"


class SoftPromptSettings(BaseModel):
    """How a soft prompt is trained; saved next to it with the losses it reached."""

    model_config = ConfigDict(extra="forbid")

    num_virtual_tokens: int = Field(16, ge=1, le=512)
    steps: int = Field(200, ge=1)
    batch_size: int = Field(4, ge=1)
    learning_rate: float = Field(0.03, gt=0)
    max_tokens: int = Field(256, ge=8, description="longest target text in tokens (cut beyond)")
    instruction: str = (
        "Write a short clinical text. Wrap each drug, disease and adverse drug event "
        "in inline tags such as <drug>...</drug>."
    )
    init_text: str = "clinical text with tagged drugs, diseases and adverse drug events"
    tag_names: dict[str, str] = Field(default_factory=dict, description="label -> tag name")
    use_chat_template: bool | None = None
    seed: int = 0


@dataclass(frozen=True, slots=True)
class TrainingPair:
    """Token ids of prompt + target, and labels (-100 on the prompt, where no loss is taken)."""

    input_ids: list[int]
    labels: list[int]


def build_pairs(
    examples: list[Example],
    tokenizer: PreTrainedTokenizerBase,
    end_id: int,
    chat: bool,
    settings: SoftPromptSettings,
) -> list[TrainingPair]:
    """Prompt exactly as the transformers backend sends it, then the tagged text and the
    end-of-turn token as the target."""
    prompt = encode_prompt(tokenizer, (("user", settings.instruction),), chat)
    pairs = []
    for example in examples:
        text = render_inline(example, settings.tag_names or None)
        target = tokenizer(text if chat else "\n" + text, add_special_tokens=False).input_ids
        target = target[: settings.max_tokens] + [end_id]
        pairs.append(TrainingPair(prompt + target, [-100] * len(prompt) + target))
    return pairs


def _collate(pairs: list[TrainingPair], pad_id: int) -> dict[str, torch.Tensor]:
    width = max(len(p.input_ids) for p in pairs)
    fill = [width - len(p.input_ids) for p in pairs]
    return {
        "input_ids": torch.tensor([p.input_ids + [pad_id] * n for p, n in zip(pairs, fill)]),
        "attention_mask": torch.tensor([[1] * len(p.input_ids) + [0] * n for p, n in zip(pairs, fill)]),
        "labels": torch.tensor([p.labels + [-100] * n for p, n in zip(pairs, fill)]),
    }


def _init_from_text(peft_model: PeftModel, tokenizer: PreTrainedTokenizerBase, text: str) -> None:
    """Start the virtual tokens at the embeddings of a describing text (repeated to length):
    converges faster than random vectors. Done here because PEFT's own text init reloads the
    tokenizer by name, which a GGUF model cannot."""
    ids = tokenizer(text, add_special_tokens=False).input_ids
    count = peft_model.peft_config["default"].num_virtual_tokens
    ids = (ids * (count // max(len(ids), 1) + 1))[:count]
    embeddings = peft_model.get_input_embeddings().weight
    with torch.no_grad():
        peft_model.prompt_encoder["default"].embedding.weight.copy_(embeddings[torch.tensor(ids)])


def train_soft_prompt(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    examples: list[Example],
    settings: SoftPromptSettings,
) -> tuple[PeftModel, list[float]]:
    """Learn the virtual tokens with the base model frozen; returns the wrapped model (in eval
    mode) and the loss of every step."""
    if not examples:
        raise ValueError("soft prompt training needs at least one example")
    chat = getattr(tokenizer, "chat_template", None) is not None
    chat = chat if settings.use_chat_template is None else settings.use_chat_template
    end_id = _end_token_id(model, tokenizer)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else end_id
    pairs = build_pairs(examples, tokenizer, end_id, chat, settings)
    config = PromptTuningConfig(
        task_type=TaskType.CAUSAL_LM,
        num_virtual_tokens=settings.num_virtual_tokens,
        prompt_tuning_init=PromptTuningInit.RANDOM,
    )
    peft_model = get_peft_model(model, config)
    _init_from_text(peft_model, tokenizer, settings.init_text)
    trainable = [p for p in peft_model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=settings.learning_rate, weight_decay=0.0)
    order = random.Random(settings.seed)
    queue: list[int] = []
    losses = []
    peft_model.train()
    try:
        for step in range(settings.steps):
            if len(queue) < settings.batch_size:
                queue += order.sample(range(len(pairs)), len(pairs))
            batch, queue = queue[: settings.batch_size], queue[settings.batch_size :]
            loss = peft_model(**_collate([pairs[i] for i in batch], pad_id)).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            losses.append(float(loss.detach()))
            log.info("soft prompt step %d/%d: loss %.4f", step + 1, settings.steps, losses[-1])
    finally:
        peft_model.eval()
    return peft_model, losses


def _end_token_id(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase) -> int:
    configured = model.generation_config.eos_token_id
    configured = configured[0] if isinstance(configured, list) else configured
    end_id = configured if configured is not None else tokenizer.eos_token_id
    if end_id is None:
        raise BackendError("the model names no end-of-sequence token to end its targets with")
    return end_id


def save_soft_prompt(
    peft_model: PeftModel,
    folder: Path,
    settings: SoftPromptSettings,
    base_model: str,
    losses: list[float],
    examples: int,
) -> None:
    """PEFT's `save_pretrained` (safetensors) plus the settings and losses as JSON."""
    folder = Path(folder)
    peft_model.save_pretrained(folder, save_embedding_layers=False)  # embeddings are never trained
    record = {
        "base_model": base_model,
        "settings": settings.model_dump(),
        "examples": examples,
        "losses": losses,
    }
    (folder / SETTINGS_FILE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def soft_prompt_id(folder: Path) -> str:
    """A short content hash of the weights: part of the cache key, so retraining a soft
    prompt in the same folder never serves completions made with the old one."""
    weights = Path(folder) / WEIGHTS_FILE
    if not weights.is_file():
        raise BackendError(f"soft prompt folder {folder} has no {WEIGHTS_FILE}")
    return "softprompt-" + hashlib.sha256(weights.read_bytes()).hexdigest()[:12]


def load_soft_prompt(model: PreTrainedModel, folder: Path, base_model: str | None = None) -> PeftModel:
    """Wrap `model` with the soft prompt saved in `folder`; when `base_model` is given it must
    match the model the prompt was trained on."""
    folder = Path(folder)
    settings = folder / SETTINGS_FILE
    if not settings.is_file():
        raise BackendError(f"{folder} is not a soft prompt folder (no {SETTINGS_FILE})")
    trained_on = json.loads(settings.read_text(encoding="utf-8")).get("base_model")
    if base_model is not None and trained_on != base_model:
        raise BackendError(f"{folder}: soft prompt was trained on {trained_on!r}, not on {base_model!r}")
    return PeftModel.from_pretrained(model, folder, is_trainable=False).eval()
