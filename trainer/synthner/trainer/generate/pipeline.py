"""One generation run end to end: recipe -> backends (cached) -> post-processing -> leakage
audit -> `train.jsonl`, `rejected.jsonl`, `datacard.json`, `DATACARD.md`."""

import json
import time
from collections.abc import Iterable
from pathlib import Path

from synthner.trainer.corpus.example import Example
from synthner.trainer.corpus.jsonl import write_jsonl
from synthner.trainer.generate.backend import ChatBackend, ChatRequest
from synthner.trainer.generate.backends.config import BackendConfig, ReplayConfig
from synthner.trainer.generate.config import GenerateConfig
from synthner.trainer.generate.datacard import build_card, write_card
from synthner.trainer.generate.leakage import audit, load_encoder
from synthner.trainer.generate.postprocess import postprocess
from synthner.trainer.generate.recipes import Rejection, make_recipe
from synthner.trainer.generate.recipes.relation import relation_record
from synthner.trainer.generate.runner import DEFAULT_BACKEND, Progress, Runner

CACHE_FOLDER = "cache"


def backend_configs(config: GenerateConfig) -> dict[str, BackendConfig]:
    """Backend configs by the name requests use: "default", plus "label" when configured."""
    configs: dict[str, BackendConfig] = {DEFAULT_BACKEND: config.backend}
    label_backend = getattr(config.recipe, "label_backend", None)
    if label_backend is not None:
        configs["label"] = label_backend
    return configs


def open_backends(config: GenerateConfig, cache: Path | None) -> dict[str, ChatBackend]:
    """Every backend the run needs, each behind a completion cache in `cache` (if given)."""
    from synthner.trainer.generate.backends import make_backend
    from synthner.trainer.generate.cache import CachedBackend

    backends: dict[str, ChatBackend] = {}
    for name, backend_config in backend_configs(config).items():
        backend = make_backend(backend_config)
        backends[name] = CachedBackend(backend, cache / f"{name}.sqlite") if cache else backend
    return backends


def prepare_output(folder: Path, resume: bool) -> None:
    """Create the output folder; refuse to overwrite an earlier run unless resuming it."""
    if folder.is_dir() and any(folder.iterdir()) and not resume:
        raise FileExistsError(
            f"{folder} is not empty; pass --resume to continue the run whose cache it holds, "
            "or choose an empty folder"
        )
    folder.mkdir(parents=True, exist_ok=True)


def write_examples(examples: Iterable[Example], path: Path, output_format: str) -> int:
    """NER examples as corpus JSONL; relation examples as `{"id","text","label","meta"}` lines."""
    if output_format == "ner":
        return write_jsonl(examples, path)
    with open(path, "w", encoding="utf-8") as handle:
        count = 0
        for example in examples:
            handle.write(json.dumps(relation_record(example), ensure_ascii=False) + "\n")
            count += 1
    return count


def write_rejections(rejections: list[Rejection], path: Path) -> None:
    """One `{"id","stage","reason"}` line per rejection; no text, by design."""
    with open(path, "w", encoding="utf-8") as handle:
        for r in rejections:
            handle.write(json.dumps({"id": r.id, "stage": r.stage, "reason": r.reason}) + "\n")


def generate_corpus(
    config: GenerateConfig,
    folder: Path,
    *,
    resume: bool = False,
    progress: Progress | None = None,
    backends: dict[str, ChatBackend] | None = None,
) -> dict:
    """Run the whole pipeline into `folder`; returns the data card. `backends` (already
    opened, by name) replaces those the config names, e.g. to share a loaded model."""
    prepare_output(folder, resume)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    recipe = make_recipe(config.recipe)
    backends = backends or open_backends(config, folder / CACHE_FOLDER)
    try:
        generated = Runner(recipe, backends, config.requests_per_call, progress).run()
    finally:
        for backend in backends.values():
            getattr(backend, "close", lambda: None)()
    timings["generation"] = time.perf_counter() - started
    examples, rejected = postprocess(generated.examples, config.postprocess)
    timings["postprocess"] = time.perf_counter() - started - timings["generation"]
    figures = None
    if config.leakage is not None:
        mark = time.perf_counter()
        encoder = load_encoder(config.leakage.encoder, config.leakage.batch_size)
        examples, dropped, figures = audit(examples, config.leakage, encoder)
        rejected += dropped
        timings["leakage"] = time.perf_counter() - mark
    rejections = generated.rejections + rejected
    write_examples(examples, folder / "train.jsonl", recipe.output_format)
    write_rejections(rejections, folder / "rejected.jsonl")
    timings["total"] = time.perf_counter() - started
    card = build_card(
        config=config.model_dump(mode="json"),
        recipe=recipe,
        stats=generated.stats,
        backends={
            name: {"kind": backend_config.kind, "model": backends[name].model}
            for name, backend_config in backend_configs(config).items()
        },
        recipe_accepted=len(generated.examples),
        examples=examples,
        rejections=rejections,
        leakage=figures,
        timings=timings,
    )
    write_card(card, folder)
    return card


def dump_prompts(config: GenerateConfig, path: Path) -> int:
    """Write the requests still to be answered, calling no LLM: the first-stage requests, or,
    when a backend is a `replay` file, the follow-ups its answers lead to that it lacks
    (dump, answer, add to the replay file, repeat until nothing is left; a replay file that
    does not exist yet answers nothing). Returns the count."""
    from synthner.trainer.generate.backends.replay import ReplayBackend, dump_requests, load_replay

    recipe = make_recipe(config.recipe)
    replayed = {
        name: backend_config.path
        for name, backend_config in backend_configs(config).items()
        if isinstance(backend_config, ReplayConfig) and backend_config.path.is_file()
    }
    replays = {name: ReplayBackend(path) for name, path in replayed.items()}
    answered = {name: set(load_replay(path)) for name, path in replayed.items()}

    def answerable(request: ChatRequest) -> bool:
        return request.prompt_id in answered.get(request.meta.get("backend", DEFAULT_BACKEND), set())

    generated = Runner(recipe, dict(replays), config.requests_per_call, answerable=answerable).run()
    return dump_requests(generated.unanswered, path)
