"""`synthner generate train-prompt`: learn a soft prompt for a local generator from a corpus."""

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console


def train_prompt(
    corpus: Annotated[
        Path, typer.Argument(help="Annotated corpus (JSONL of examples).", exists=True, dir_okay=False)
    ],
    model: Annotated[
        Path, typer.Option("--model", "-m", help="Generator: a GGUF file or model folder.", exists=True)
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write the soft prompt to.")],
    steps: Annotated[int, typer.Option(min=1, help="Optimiser steps.")] = 200,
    virtual_tokens: Annotated[int, typer.Option(min=1, help="Number of soft prompt tokens.")] = 16,
    batch_size: Annotated[int, typer.Option(min=1)] = 4,
    learning_rate: Annotated[float, typer.Option(min=0.0)] = 0.03,
    instruction: Annotated[str | None, typer.Option(help="User message the targets answer.")] = None,
    seed: Annotated[int, typer.Option()] = 0,
) -> None:
    """Learn soft prompt tokens so a local MODEL writes text like CORPUS, with inline tags.

    PEFT prompt tuning with the model frozen; runs on CPU. Use the result with
    `soft_prompt: OUTPUT` in a transformers backend config."""
    from synthner.trainer.corpus.example import CorpusError
    from synthner.trainer.corpus.jsonl import read_jsonl
    from synthner.trainer.generate.backend import BackendError
    from synthner.trainer.generate.backends.transformers_local import load_causal_lm, model_name
    from synthner.trainer.generate.soft_prompt import SoftPromptSettings, save_soft_prompt, train_soft_prompt

    console = Console(stderr=True)
    settings = SoftPromptSettings(
        num_virtual_tokens=virtual_tokens,
        steps=steps,
        batch_size=batch_size,
        learning_rate=learning_rate,
        seed=seed,
        **({"instruction": instruction} if instruction is not None else {}),
    )
    try:
        examples = list(read_jsonl(corpus))
        if not examples:
            raise CorpusError("no examples", str(corpus))
        started = time.perf_counter()
        lm, tokenizer = load_causal_lm(model)
        peft_model, losses = train_soft_prompt(lm, tokenizer, examples, settings)
        save_soft_prompt(peft_model, output, settings, model_name(model), losses, len(examples))
    except (CorpusError, BackendError) as error:
        console.print(f"[red]error:[/red] {error}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    console.print(
        f"soft prompt of {virtual_tokens} tokens trained on {len(examples)} examples in "
        f"{time.perf_counter() - started:.0f} s: loss {losses[0]:.3f} -> {losses[-1]:.3f} -> {output}"
    )
