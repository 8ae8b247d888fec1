"""The fine-tuning loop both trainers share: seeded, AdamW with linear warmup, early stopping on a
dev score, the best checkpoint kept with its tokenizer, runtime metadata and config."""

import json
import math
import random
import shutil
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np
import torch
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from torch.optim.lr_scheduler import LambdaLR
from transformers import PreTrainedModel, get_linear_schedule_with_warmup

from synthner.spacy_component.model_files import TOKENIZER_FILE
from synthner.trainer.training.config import FineTuneConfig

METRICS_FILE = "metrics.json"

Record = TypeVar("Record")  # what a corpus holds: an example, a classifier item
Unit = TypeVar("Unit")  # what a batch holds: a token window, a classifier item

Advance = Callable[[float], None]  # moves the progress bar one step, showing the loss


@dataclass
class TrainResult:
    """What a run produced: per-epoch history and the best dev scores."""

    output: Path
    history: list[dict] = field(default_factory=list)
    best_epoch: int = 0
    best_dev: dict | None = None
    seconds: float = 0.0


class FineTuner(ABC, Generic[Record, Unit]):
    """Fine-tunes a pretrained encoder; subclasses supply the data, the model and its scoring."""

    model: PreTrainedModel
    tokenizer_path: Path

    def __init__(self, config: FineTuneConfig, show_progress: bool = True) -> None:
        self.config = config
        self.show_progress = show_progress
        self.rng = random.Random(config.seed)

    def train(self) -> TrainResult:
        """Seed, load, set up the model, fit; writes the best checkpoint and metrics.json."""
        started = time.perf_counter()
        threads = torch.get_num_threads()
        try:
            self._seed()
            train_sets, dev = self._load_data()
            self._setup_model(train_sets)
            result = self._fit(train_sets, dev)
        finally:
            torch.set_num_threads(threads)  # `threads` is this run's setting, not the process's
        result.seconds = round(time.perf_counter() - started, 1)
        self._save_metrics(result)
        return result

    @abstractmethod
    def _load_data(self) -> tuple[list[list[Record]], list[Record]]:
        """The training sets (one per configured source) and the dev set (may be empty)."""

    @abstractmethod
    def _setup_model(self, train_sets: list[list[Record]]) -> None:
        """Set `model` and the tokenizer (through `_find_tokenizer`)."""

    @abstractmethod
    def _epochs(self, train_sets: list[list[Record]]) -> list[list[Unit]]:
        """Every epoch's batch units, mixed and shuffled with `self.rng`."""

    @abstractmethod
    def _batch_loss(self, batch: list[Unit]) -> torch.Tensor:
        """The model's loss on one batch."""

    @abstractmethod
    def _dev_scores(self, dev: list[Record]) -> tuple[dict, float]:
        """The current model's scores on `dev` and the one score early stopping watches."""

    @abstractmethod
    def _write_meta(self, output: Path) -> None:
        """Write the runtime metadata beside the checkpoint."""

    def _progress_label(self) -> str:
        return "training"

    def _find_tokenizer(self, source: Path) -> Path:
        """`source`'s fast tokenizer file, which every checkpoint gets a copy of."""
        self.tokenizer_path = Path(source) / TOKENIZER_FILE
        if not self.tokenizer_path.is_file():
            raise FileNotFoundError(f"{source} has no {TOKENIZER_FILE}: a fast tokenizer is required")
        return self.tokenizer_path

    def _seed(self) -> None:
        random.seed(self.config.seed)
        np.random.seed(self.config.seed)
        torch.manual_seed(self.config.seed)
        if self.config.threads:
            torch.set_num_threads(self.config.threads)

    def _fit(self, train_sets: list[list[Record]], dev: list[Record]) -> TrainResult:
        config = self.config
        epochs = self._epochs(train_sets)
        total = sum(math.ceil(len(units) / config.batch_size) for units in epochs)
        total = min(config.max_steps or total, total)
        optimizer = torch.optim.AdamW(
            self.model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay
        )
        schedule = get_linear_schedule_with_warmup(optimizer, int(config.warmup_ratio * total), total)
        result = TrainResult(config.output)
        best, stale, step = -1.0, 0, 0
        with self._progress(total) as advance:
            for epoch, units in enumerate(epochs, start=1):
                losses, step = self._train_epoch(units, optimizer, schedule, step, total, advance)
                dev_scores, score = self._dev_scores(dev) if dev else (None, float(epoch))
                loss = round(float(np.mean(losses)), 5)
                result.history.append({"epoch": epoch, "steps": step, "train_loss": loss, "dev": dev_scores})
                if score > best:
                    best, stale = score, 0
                    result.best_epoch, result.best_dev = epoch, dev_scores
                    self._save_checkpoint()
                else:
                    stale += 1
                if stale >= config.patience or step >= total:
                    break
        return result

    def _train_epoch(
        self,
        units: list[Unit],
        optimizer: torch.optim.Optimizer,
        schedule: LambdaLR,
        step: int,
        total: int,
        advance: Advance,
    ) -> tuple[list[float], int]:
        """One pass over an epoch's units (already shuffled), stopping at `total` steps;
        returns the losses and the step reached."""
        self.model.train()
        losses: list[float] = []
        for first in range(0, len(units), self.config.batch_size):
            if step >= total:
                break
            loss = self._batch_loss(units[first : first + self.config.batch_size])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            losses.append(loss.item())
            step += 1
            advance(losses[-1])
        return losses, step

    def _save_checkpoint(self) -> None:
        output = self.config.output
        output.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(output, safe_serialization=True)
        if self.tokenizer_path.resolve() != (output / TOKENIZER_FILE).resolve():
            shutil.copyfile(self.tokenizer_path, output / TOKENIZER_FILE)
        self._write_meta(output)
        self.config.save(output)

    def _save_metrics(self, result: TrainResult) -> None:
        payload = {
            "best_epoch": result.best_epoch, "best_dev": result.best_dev,
            "history": result.history, "seconds": result.seconds,
        }
        (result.output / METRICS_FILE).write_text(json.dumps(payload, indent=2), encoding="utf-8")

    @contextmanager
    def _progress(self, total: int) -> Iterator[Advance]:
        columns = (
            TextColumn(self._progress_label()), BarColumn(),
            TextColumn("{task.completed}/{task.total} steps"), TextColumn("loss {task.fields[loss]:.4f}"),
            TimeElapsedColumn(), TimeRemainingColumn(),
        )
        with Progress(*columns, disable=not self.show_progress) as progress:
            task = progress.add_task("train", total=total, loss=float("nan"))
            yield lambda loss: progress.update(task, advance=1, loss=loss)
