"""The classifier training loop: seeded, early stopping on dev F1, best checkpoint kept with
its config and runtime metadata (the NER loop in `training/trainer.py`, for whole sequences)."""

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

from synthner.spacy_component.classifier_files import write_classifier_meta
from synthner.spacy_component.model_files import TOKENIZER_FILE
from synthner.spacy_component.sequence_classifier import classifier_tokenizer, encode_inputs
from synthner.spacy_component.windows import pad_token_id
from synthner.trainer.classify.config import ClassifierConfig
from synthner.trainer.classify.data import Item, load_items
from synthner.trainer.classify.metrics import task_scores
from synthner.trainer.classify.torch_model import TorchClassifier, load_sequence_classifier, pad
from synthner.trainer.training.data import default_base_path, mix

METRICS_FILE = "metrics.json"


@dataclass
class ClassifierResult:
    """What a run produced: per-epoch history and the best dev scores."""

    output: Path
    history: list[dict] = field(default_factory=list)
    best_epoch: int = 0
    best_dev: dict | None = None
    seconds: float = 0.0


class ClassifierTrainer:
    """Fine-tunes a sequence-classification encoder; `train()` lists the phases in order."""

    def __init__(self, config: ClassifierConfig, show_progress: bool = True) -> None:
        self.config = config
        self.show_progress = show_progress
        self.rng = random.Random(config.seed)

    def train(self) -> ClassifierResult:
        started = time.perf_counter()
        threads = torch.get_num_threads()
        try:
            self._seed()
            train_sets, dev = self._load_data()
            self._setup_model()
            result = self._fit(train_sets, dev)
        finally:
            torch.set_num_threads(threads)  # `threads` is this run's setting, not the process's
        result.seconds = round(time.perf_counter() - started, 1)
        self._save_metrics(result)
        return result

    def _seed(self) -> None:
        random.seed(self.config.seed)
        np.random.seed(self.config.seed)
        torch.manual_seed(self.config.seed)
        if self.config.threads:
            torch.set_num_threads(self.config.threads)

    def _load_data(self) -> tuple[list[list[Item]], list[Item]]:
        train_sets = [load_items(source, self.config) for source in self.config.train]
        dev = load_items(self.config.dev, self.config) if self.config.dev is not None else []
        return train_sets, dev

    def _setup_model(self) -> None:
        source = Path(self.config.base or default_base_path())
        self.tokenizer_path = source / TOKENIZER_FILE
        if not self.tokenizer_path.is_file():
            raise FileNotFoundError(f"{source} has no {TOKENIZER_FILE}: a fast tokenizer is required")
        self.tokenizer = classifier_tokenizer(self.tokenizer_path, self.config.max_tokens)
        classes = self.config.classes
        self.model = load_sequence_classifier(
            source,
            num_labels=len(classes),
            id2label=dict(enumerate(classes)),
            label2id={name: index for index, name in enumerate(classes)},
        )

    def _fit(self, train_sets: list[list[Item]], dev: list[Item]) -> ClassifierResult:
        config = self.config
        epochs = [mix(train_sets, config.train, self.rng) for _ in range(config.epochs)]
        total = sum(math.ceil(len(items) / config.batch_size) for items in epochs)
        total = min(config.max_steps or total, total)
        optimizer = torch.optim.AdamW(
            self.model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay
        )
        schedule = get_linear_schedule_with_warmup(optimizer, int(config.warmup_ratio * total), total)
        result = ClassifierResult(config.output)
        best, stale, step = -1.0, 0, 0
        with self._progress(total) as advance:
            for epoch, items in enumerate(epochs, start=1):
                losses, step = self._train_epoch(items, optimizer, schedule, step, total, advance)
                dev_scores = self.evaluate(dev) if dev else None
                result.history.append(
                    {
                        "epoch": epoch,
                        "steps": step,
                        "train_loss": round(float(np.mean(losses)), 5),
                        "dev": dev_scores,
                    }
                )
                score = dev_scores["main"] if dev_scores else epoch
                if score > best:
                    best, stale = score, 0
                    result.best_epoch, result.best_dev = epoch, dev_scores
                    self._save_checkpoint()
                else:
                    stale += 1
                if stale >= config.patience or step >= total:
                    break
        return result

    def _train_epoch(self, items, optimizer, schedule, step, total, advance) -> tuple[list[float], int]:
        """One pass over an epoch's items (already shuffled); returns the losses and the step."""
        self.model.train()
        losses: list[float] = []
        pad_id = pad_token_id(self.tokenizer)
        for first in range(0, len(items), self.config.batch_size):
            if step >= total:
                break
            batch = items[first : first + self.config.batch_size]
            input_ids, attention_mask = pad(encode_inputs(self.tokenizer, [i.text for i in batch]), pad_id)
            output = self.model(
                input_ids=torch.from_numpy(input_ids),
                attention_mask=torch.from_numpy(attention_mask),
                labels=torch.tensor([i.label for i in batch], dtype=torch.long),
            )
            output.loss.backward()
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            losses.append(output.loss.item())
            step += 1
            advance(losses[-1])
        return losses, step

    def evaluate(self, items: list[Item]) -> dict:
        """Scores of the current model on `items`."""
        probs = TorchClassifier(self.model, self.tokenizer, batch_size=64).probabilities(
            [i.text for i in items]
        )
        predicted = [int(p) for p in probs.argmax(axis=1)]
        return task_scores(self.config.task, [i.label for i in items], predicted, self.config.classes)

    def _save_checkpoint(self) -> None:
        output = self.config.output
        output.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(output, safe_serialization=True)
        if self.tokenizer_path.resolve() != (output / TOKENIZER_FILE).resolve():
            shutil.copyfile(self.tokenizer_path, output / TOKENIZER_FILE)
        write_classifier_meta(output, self.config.meta())
        self.config.save(output)

    def _save_metrics(self, result: ClassifierResult) -> None:
        payload = {
            "best_epoch": result.best_epoch,
            "best_dev": result.best_dev,
            "history": result.history,
            "seconds": result.seconds,
        }
        (result.output / METRICS_FILE).write_text(json.dumps(payload, indent=2), encoding="utf-8")

    @contextmanager
    def _progress(self, total: int):
        columns = (
            TextColumn(f"training {self.config.task}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} steps"),
            TextColumn("loss {task.fields[loss]:.4f}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, disable=not self.show_progress) as progress:
            task = progress.add_task("train", total=total, loss=float("nan"))
            yield lambda loss: progress.update(task, advance=1, loss=loss)
