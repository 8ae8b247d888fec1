"""The training loop: seeded, early stopping on dev F1, best checkpoint kept with its config."""

import json
import math
import random
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from transformers import get_linear_schedule_with_warmup

from synthner.spacy_component.model_files import TOKENIZER_FILE, ModelMeta, read_meta, write_meta
from synthner.spacy_component.tagger import Tagger
from synthner.spacy_component.windows import load_tokenizer, pad_token_id
from synthner.trainer.corpus import Example
from synthner.trainer.evaluation.metrics import MICRO
from synthner.trainer.evaluation.run import evaluate_tagger
from synthner.trainer.training.config import TrainConfig
from synthner.trainer.training.data import check_labels, default_base_path, load_examples, mix
from synthner.trainer.training.features import Feature, bio_tags, build_features, collate
from synthner.trainer.training.torch_model import TorchScorer, load_token_classifier

METRICS_FILE = "metrics.json"


@dataclass
class TrainResult:
    """What a run produced: per-epoch history and the best dev scores."""

    output: Path
    history: list[dict] = field(default_factory=list)
    best_epoch: int = 0
    best_dev: dict | None = None
    seconds: float = 0.0


class Trainer:
    """Fine-tunes a token-classification encoder; `train()` lists the phases in order."""

    def __init__(self, config: TrainConfig, show_progress: bool = True) -> None:
        self.config = config
        self.show_progress = show_progress
        self.rng = random.Random(config.seed)

    def train(self) -> TrainResult:
        started = time.perf_counter()
        self._seed()
        corpora, dev = self._load_data()
        self._setup_model(corpora)
        result = self._fit(corpora, dev)
        result.seconds = round(time.perf_counter() - started, 1)
        self._save_metrics(result)
        return result

    def _seed(self) -> None:
        random.seed(self.config.seed)
        np.random.seed(self.config.seed)
        torch.manual_seed(self.config.seed)
        if self.config.threads:
            torch.set_num_threads(self.config.threads)

    def _load_data(self) -> tuple[list[list[Example]], list[Example]]:
        corpora = [load_examples(s.path, s.format, self.config.label_map) for s in self.config.train]
        dev = []
        if self.config.dev is not None:
            dev = load_examples(self.config.dev, self.config.dev_format, self.config.label_map)
        return corpora, dev

    def _setup_model(self, corpora: list[list[Example]]) -> None:
        source = self.config.init or self.config.base or default_base_path()
        if self.config.init is not None:
            self.tags = read_meta(self.config.init).tags
            labels = [tag[2:] for tag in self.tags if tag.startswith("B-")]
        else:
            labels = self.config.labels or sorted(
                {span.label for examples in corpora for e in examples for span in e.entities}
            )
            self.tags = bio_tags(labels)
        for examples, train_source in zip(corpora, self.config.train):
            check_labels(examples, labels, train_source.path)
        self.tokenizer_path = Path(source) / TOKENIZER_FILE
        if not self.tokenizer_path.is_file():
            raise FileNotFoundError(f"{source} has no {TOKENIZER_FILE}: a fast tokenizer is required")
        self.tokenizer = load_tokenizer(str(self.tokenizer_path))
        self.model = load_token_classifier(
            source,
            num_labels=len(self.tags),
            id2label=dict(enumerate(self.tags)),
            label2id={tag: index for index, tag in enumerate(self.tags)},
        )

    def _fit(self, corpora: list[list[Example]], dev: list[Example]) -> TrainResult:
        config = self.config
        windows = [[self._features([example]) for example in examples] for examples in corpora]
        epochs = [
            [f for per_example in mix(windows, config.train, self.rng) for f in per_example]
            for _ in range(config.epochs)
        ]
        total = sum(math.ceil(len(features) / config.batch_size) for features in epochs)
        total = min(config.max_steps or total, total)
        optimizer = torch.optim.AdamW(
            self.model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay
        )
        schedule = get_linear_schedule_with_warmup(optimizer, int(config.warmup_ratio * total), total)
        result = TrainResult(config.output)
        best_f1, stale, step = -1.0, 0, 0
        with self._progress(total) as (progress, task):
            for epoch, features in enumerate(epochs, start=1):
                losses, step = self._train_epoch(features, optimizer, schedule, step, total, progress, task)
                record = {"epoch": epoch, "steps": step, "train_loss": round(float(np.mean(losses)), 5)}
                dev_scores = self._evaluate(dev) if dev else None
                record["dev"] = dev_scores
                result.history.append(record)
                dev_f1 = dev_scores["strict"][MICRO]["f1"] if dev_scores else epoch
                if dev_f1 > best_f1:
                    best_f1, stale = dev_f1, 0
                    result.best_epoch, result.best_dev = epoch, dev_scores
                    self._save_checkpoint()
                else:
                    stale += 1
                if stale >= config.patience or step >= total:
                    break
        return result

    def _train_epoch(self, features, optimizer, schedule, step, total, progress, task):
        """One pass over an epoch's windows (already shuffled by example); returns losses, step."""
        self.model.train()
        order = list(range(len(features)))
        losses: list[float] = []
        pad_id = pad_token_id(self.tokenizer)
        for first in range(0, len(order), self.config.batch_size):
            if step >= total:
                break
            batch = collate([features[i] for i in order[first : first + self.config.batch_size]], pad_id)
            output = self.model(**{key: torch.from_numpy(value) for key, value in batch.items()})
            output.loss.backward()
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            losses.append(output.loss.item())
            step += 1
            progress.update(task, advance=1, loss=losses[-1])
        return losses, step

    def _features(self, examples: list[Example]) -> list[Feature]:
        c = self.config
        return build_features(examples, self.tokenizer, self.tags, c.window_tokens, c.window_overlap)

    def _evaluate(self, dev: list[Example]) -> dict:
        tagger = Tagger(
            self.tokenizer, TorchScorer(self.model), self.tags,
            self.config.window_tokens, self.config.window_overlap, batch_size=64,
        )
        return evaluate_tagger(tagger, dev).as_dict()

    def _save_checkpoint(self) -> None:
        output = self.config.output
        output.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(output, safe_serialization=True)
        if self.tokenizer_path.resolve() != (output / TOKENIZER_FILE).resolve():
            shutil.copyfile(self.tokenizer_path, output / TOKENIZER_FILE)
        meta = ModelMeta(
            name=self.config.name, version=self.config.version, tags=self.tags,
            window_tokens=self.config.window_tokens, window_overlap=self.config.window_overlap,
        )
        write_meta(output, meta)
        self.config.save(output)

    def _save_metrics(self, result: TrainResult) -> None:
        payload = {
            "best_epoch": result.best_epoch, "best_dev": result.best_dev,
            "history": result.history, "seconds": result.seconds,
        }
        (result.output / METRICS_FILE).write_text(json.dumps(payload, indent=2), encoding="utf-8")

    @contextmanager
    def _progress(self, total: int):
        columns = (
            TextColumn("training"), BarColumn(), TextColumn("{task.completed}/{task.total} steps"),
            TextColumn("loss {task.fields[loss]:.4f}"), TimeElapsedColumn(), TimeRemainingColumn(),
        )
        with Progress(*columns, disable=not self.show_progress) as progress:
            yield progress, progress.add_task("train", total=total, loss=float("nan"))
