"""Classifier fine-tuning (relation or assertion): one label per masked sequence, early stopping on
the task's main dev score."""

from pathlib import Path

import torch

from synthner.spacy_component.classifier_files import write_classifier_meta
from synthner.spacy_component.sequence_classifier import classifier_tokenizer, encode_inputs
from synthner.spacy_component.windows import pad_token_id
from synthner.trainer.classify.config import ClassifierConfig
from synthner.trainer.classify.data import Item, load_items
from synthner.trainer.classify.metrics import task_scores
from synthner.trainer.classify.torch_model import TorchClassifier, load_sequence_classifier, pad
from synthner.trainer.training.data import default_base_path, mix
from synthner.trainer.training.loop import FineTuner


class ClassifierTrainer(FineTuner[Item, Item]):
    """Fine-tunes a sequence-classification encoder for the config's task."""

    config: ClassifierConfig

    def evaluate(self, items: list[Item]) -> dict:
        """Scores of the current model on `items`."""
        probs = TorchClassifier(self.model, self.tokenizer, batch_size=64).probabilities(
            [i.text for i in items]
        )
        predicted = [int(p) for p in probs.argmax(axis=1)]
        return task_scores(self.config.task, [i.label for i in items], predicted, self.config.classes)

    def _progress_label(self) -> str:
        return f"training {self.config.task}"

    def _load_data(self) -> tuple[list[list[Item]], list[Item]]:
        train_sets = [load_items(source, self.config) for source in self.config.train]
        dev = load_items(self.config.dev, self.config) if self.config.dev is not None else []
        return train_sets, dev

    def _setup_model(self, train_sets: list[list[Item]]) -> None:
        source = Path(self.config.base or default_base_path())
        self.tokenizer = classifier_tokenizer(self._find_tokenizer(source), self.config.max_tokens)
        self.pad_id = pad_token_id(self.tokenizer)
        classes = self.config.classes
        self.model = load_sequence_classifier(
            source,
            num_labels=len(classes),
            id2label=dict(enumerate(classes)),
            label2id={name: index for index, name in enumerate(classes)},
        )

    def _epochs(self, train_sets: list[list[Item]]) -> list[list[Item]]:
        return [mix(train_sets, self.config.train, self.rng) for _ in range(self.config.epochs)]

    def _batch_loss(self, batch: list[Item]) -> torch.Tensor:
        input_ids, attention_mask = pad(encode_inputs(self.tokenizer, [i.text for i in batch]), self.pad_id)
        output = self.model(
            input_ids=torch.from_numpy(input_ids),
            attention_mask=torch.from_numpy(attention_mask),
            labels=torch.tensor([i.label for i in batch], dtype=torch.long),
        )
        return output.loss

    def _dev_scores(self, dev: list[Item]) -> tuple[dict, float]:
        scores = self.evaluate(dev)
        return scores, scores["main"]

    def _write_meta(self, output: Path) -> None:
        write_classifier_meta(output, self.config.meta())
