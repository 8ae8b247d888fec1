"""Steps 4-6 of building the shipped models: corpora from the replayed completions, training of
the synthetic-only, real-only and synthetic->real variants, int8 export, and the pipelines.

    python trainer/release/build_models.py ade|bio [--stage corpus|train|classifiers|package]
        [--variant synthetic|real|synthetic_real ...] [--epochs N] [--threads N]

The `classifiers` stage (ADE only) trains the relation classifier on the synthetic ADE corpus's
drug->effect links and the assertion classifier on the synthetic assertion corpus, both exported
to int8; `package` ships them in en_synthner_ade beside the NER model.

Run from the repository root after prepare.py and join_answers.py. Models go to
trainer/release/build/<corpus>/models/ (not committed); the synthetic-only model is packaged
into the synthner package as en_synthner_<corpus>. Figures come from report.py.
"""

import argparse
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

from synthner.trainer.corpus.formats import read_corpus, write_corpus

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PIPELINES = REPO / "spacy_component" / "synthner" / "spacy_component" / "pipelines"
DATA = REPO.parent / "shared" / "data"
DEV_SHARE = 0.1  # held out of each training corpus for early stopping; never the eval splits
# Int8/PyTorch agreement a release export needs. Dynamic int8 flips a few low-confidence
# entities and boundaries of these converged models (bio: 93.7% entity agreement; fp32 ONNX
# agrees 100%), so the release gates lower than the CLI's 99% default and report.py prints the
# int8 and PyTorch dev scores side by side: that difference is what a user gets.
PARITY_THRESHOLD = 0.9

VARIANTS = {  # name -> (training corpus, init variant)
    "synthetic": ("synthetic", None),
    "real": ("real", None),
    "synthetic_real": ("real", "synthetic"),
}


def build_dir(corpus: str) -> Path:
    return HERE / "build" / corpus


def corpus_dir(corpus: str) -> Path:
    return HERE / "corpora" / corpus


def make_corpus(corpus: str) -> None:
    """Run the generation engine over the replayed completions (parser, filters, leakage, card)."""
    out = corpus_dir(corpus)
    if out.exists():
        shutil.rmtree(out)
    command = [sys.executable, "-m", "synthner.trainer.cli", "generate", str(HERE / f"{corpus}.yaml"),
               "-o", str(out), "--quiet"]
    subprocess.run(command, check=True, cwd=REPO)
    shutil.rmtree(out / "cache", ignore_errors=True)  # replay answers already live in completions/


def split(examples: list, path_train: Path, path_dev: Path, seed: int = 7) -> None:
    """A seeded DEV_SHARE hold-out for early stopping."""
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    n_dev = round(DEV_SHARE * len(examples))
    dev = {i for i in order[:n_dev]}
    write_corpus([e for i, e in enumerate(examples) if i not in dev], path_train, "jsonl")
    write_corpus([e for i, e in enumerate(examples) if i in dev], path_dev, "jsonl")


def real_examples(corpus: str) -> list:
    if corpus == "ade":
        return list(read_corpus(build_dir("ade") / "train.jsonl", "jsonl"))
    labels = {"Chemical": "CHEMICAL", "Disease": "DISEASE"}
    return [
        *read_corpus(DATA / "ncbi-disease" / "train.tsv", "conll", label_map={"Disease": "DISEASE"}),
        *read_corpus(DATA / "bc5cdr" / "train.tsv", "conll", label_map=labels),
    ]


def prepare_training_sets(corpus: str) -> None:
    folder = build_dir(corpus) / "sets"
    folder.mkdir(parents=True, exist_ok=True)
    synthetic = list(read_corpus(corpus_dir(corpus) / "train.jsonl", "jsonl"))
    split(synthetic, folder / "synthetic_train.jsonl", folder / "synthetic_dev.jsonl")
    split(real_examples(corpus), folder / "real_train.jsonl", folder / "real_dev.jsonl")


def train_variants(corpus: str, variants: list[str], epochs: int, threads: int | None) -> None:
    from synthner.trainer.export import export_model

    models = build_dir(corpus) / "models"
    for variant in variants:
        data, init = VARIANTS[variant]
        output = models / variant
        if not (output / "metrics.json").exists():
            train_ner(corpus, variant, data, init, epochs, threads)
        if not (models / f"{variant}_int8").exists():
            export_model(output, models / f"{variant}_int8", threshold=PARITY_THRESHOLD)


def train_ner(corpus: str, variant: str, data: str, init: str | None, epochs: int, threads: int | None) -> None:
    from synthner.trainer.training.config import TrainConfig, TrainSource
    from synthner.trainer.training.trainer import Trainer

    sets, models = build_dir(corpus) / "sets", build_dir(corpus) / "models"
    output = models / variant
    config = TrainConfig(
        train=[TrainSource(path=sets / f"{data}_train.jsonl")], dev=sets / f"{data}_dev.jsonl",
        init=models / init if init else None, output=output, epochs=epochs, patience=2,
        batch_size=16, learning_rate=5e-5 if init is None else 3e-5, threads=threads,
        name=f"synthner_{corpus}", version="0.1.0",
    )
    Trainer(config).train()


def train_classifiers(threads: int | None) -> None:
    """Relation and assertion classifiers for the ADE pipeline, each on a synthetic corpus only."""
    from synthner.trainer.classify.config import ClassifierConfig, ClassifierSource
    from synthner.trainer.classify.export import export_classifier
    from synthner.trainer.classify.trainer import ClassifierTrainer

    sets, models = build_dir("ade") / "sets", build_dir("ade") / "models"
    assertion_sets = build_dir("assertion") / "sets"
    assertion_sets.mkdir(parents=True, exist_ok=True)
    assertion = list(read_corpus(corpus_dir("assertion") / "train.jsonl", "jsonl"))
    split(assertion, assertion_sets / "train.jsonl", assertion_sets / "dev.jsonl")
    runs = {
        "relation": (sets / "synthetic_train.jsonl", sets / "synthetic_dev.jsonl", 3),
        "assertion": (assertion_sets / "train.jsonl", assertion_sets / "dev.jsonl", 4),
    }
    for task, (train, dev, epochs) in runs.items():
        output = models / task
        if not (output / "metrics.json").exists():
            config = ClassifierConfig(
                task=task, train=[ClassifierSource(path=train)], dev=ClassifierSource(path=dev),
                output=output, epochs=epochs, threads=threads, name=f"synthner_ade_{task}", version="0.1.0",
            )
            ClassifierTrainer(config).train()
        if not (models / f"{task}_int8").exists():
            export_classifier(output, models / f"{task}_int8", threshold=PARITY_THRESHOLD)


def package(corpus: str) -> None:
    from synthner.trainer.packaging import package_pipeline

    name = f"en_synthner_{corpus}"
    target = PIPELINES / name
    if target.exists():
        shutil.rmtree(target)
    card = json.loads((HERE / "reports" / f"{corpus}.json").read_text(encoding="utf-8"))
    models = build_dir(corpus) / "models"
    classifiers = {"relations": models / "relation_int8", "assertion": models / "assertion_int8"}
    classifiers = classifiers if corpus == "ade" else {}
    package_pipeline(models / "synthetic_int8", target, name, "0.1.0", **classifiers)
    meta_path = target / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["description"] = card["model_card"]["summary"]
    meta["performance"] = card["model_card"]["dev_scores"]
    meta_path.write_text(json.dumps(meta, indent=2), encoding="utf-8")
    shutil.copyfile(HERE / "reports" / f"{corpus}_MODEL_CARD.md", target / "MODEL_CARD.md")
    print(f"packaged {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", choices=["ade", "bio"])
    parser.add_argument("--stage", choices=["corpus", "train", "classifiers", "package"], action="append")
    parser.add_argument("--variant", choices=list(VARIANTS), action="append", help="default: all three")
    parser.add_argument("--epochs", type=int, default=6)
    # On a shared CPU, torch threads spinning against other processes slow training many times over.
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    args = parser.parse_args()
    stages = args.stage or ["corpus", "train"]
    if "corpus" in stages:
        make_corpus(args.corpus)
        prepare_training_sets(args.corpus)
    if "train" in stages:
        train_variants(args.corpus, args.variant or list(VARIANTS), args.epochs, args.threads)
    if "classifiers" in stages:
        if args.corpus != "ade":
            parser.error("the classifiers stage builds the ADE pipeline's relation and assertion models")
        train_classifiers(args.threads)
    if "package" in stages:
        package(args.corpus)


if __name__ == "__main__":
    main()
