"""NER fine-tuning: BIO tags over overlapping token windows, early stopping on dev strict micro F1."""

from pathlib import Path

import torch

from synthner.spacy_component.model_files import ModelMeta, read_meta, write_meta
from synthner.spacy_component.tagger import Tagger
from synthner.spacy_component.windows import load_tokenizer, pad_token_id
from synthner.trainer.corpus import Example
from synthner.trainer.evaluation.metrics import MICRO
from synthner.trainer.evaluation.run import evaluate_tagger
from synthner.trainer.training.config import TrainConfig
from synthner.trainer.training.data import check_labels, default_base_path, load_examples, mix
from synthner.trainer.training.features import Feature, bio_tags, build_features, collate
from synthner.trainer.training.loop import FineTuner
from synthner.trainer.training.torch_model import TorchScorer, load_token_classifier


class Trainer(FineTuner[Example, Feature]):
    """Fine-tunes a token-classification encoder on one or more corpora."""

    config: TrainConfig

    def _load_data(self) -> tuple[list[list[Example]], list[Example]]:
        corpora = [load_examples(s.path, s.format, self.config.label_map) for s in self.config.train]
        dev = []
        if self.config.dev is not None:
            dev = load_examples(self.config.dev, self.config.dev_format, self.config.label_map)
        return corpora, dev

    def _setup_model(self, train_sets: list[list[Example]]) -> None:
        source = self.config.init or self.config.base or default_base_path()
        if self.config.init is not None:
            self.tags = read_meta(self.config.init).tags
            labels = [tag[2:] for tag in self.tags if tag.startswith("B-")]
        else:
            labels = self.config.labels or sorted(
                {span.label for examples in train_sets for e in examples for span in e.entities}
            )
            self.tags = bio_tags(labels)
        for examples, train_source in zip(train_sets, self.config.train):
            check_labels(examples, labels, train_source.path)
        self.tokenizer = load_tokenizer(str(self._find_tokenizer(source)))
        self.pad_id = pad_token_id(self.tokenizer)
        self.model = load_token_classifier(
            source,
            num_labels=len(self.tags),
            id2label=dict(enumerate(self.tags)),
            label2id={tag: index for index, tag in enumerate(self.tags)},
        )

    def _epochs(self, train_sets: list[list[Example]]) -> list[list[Feature]]:
        """Mixing and shuffling go by example, so an example's windows stay together."""
        windows = [[self._windows(example) for example in examples] for examples in train_sets]
        epochs = [mix(windows, self.config.train, self.rng) for _ in range(self.config.epochs)]
        return [[f for per_example in epoch for f in per_example] for epoch in epochs]

    def _windows(self, example: Example) -> list[Feature]:
        c = self.config
        return build_features([example], self.tokenizer, self.tags, c.window_tokens, c.window_overlap)

    def _batch_loss(self, batch: list[Feature]) -> torch.Tensor:
        arrays = collate(batch, self.pad_id)
        return self.model(**{key: torch.from_numpy(value) for key, value in arrays.items()}).loss

    def _dev_scores(self, dev: list[Example]) -> tuple[dict, float]:
        tagger = Tagger(
            self.tokenizer, TorchScorer(self.model), self.tags,
            self.config.window_tokens, self.config.window_overlap, batch_size=64,
        )
        scores = evaluate_tagger(tagger, dev).as_dict()
        return scores, scores["strict"][MICRO]["f1"]

    def _write_meta(self, output: Path) -> None:
        c = self.config
        meta = ModelMeta(
            name=c.name, version=c.version, tags=self.tags,
            window_tokens=c.window_tokens, window_overlap=c.window_overlap,
        )
        write_meta(output, meta)
