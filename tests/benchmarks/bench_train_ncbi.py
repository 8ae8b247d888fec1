"""Benchmark (not a test): train on NCBI-disease, report devel F1, time, parity and sizes.

    .venv/bin/python tests/benchmarks/bench_train_ncbi.py [--epochs 3] [--out /tmp/ncbi]

Reads ../shared/data/ncbi-disease/{train,devel}.tsv (not part of the project), trains the
MiniLM encoder, exports int8 ONNX, and evaluates both models on devel through the runtime.
"""

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ncbi-disease"


def folder_mb(folder: Path, pattern: str = "*") -> float:
    return round(sum(p.stat().st_size for p in folder.glob(pattern) if p.is_file()) / 1e6, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench-ncbi"))
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()

    from synthner.trainer.corpus.formats import read_corpus
    from synthner.trainer.evaluation.run import evaluate_tagger, load_tagger
    from synthner.trainer.export import export_model
    from synthner.trainer.training.config import TrainConfig, TrainSource
    from synthner.trainer.training.trainer import Trainer

    model_dir, onnx_dir = args.out / "model", args.out / "onnx"
    config = TrainConfig(
        train=[TrainSource(path=args.data / "train.tsv", format="conll")],
        dev=args.data / "devel.tsv", dev_format="conll", output=model_dir,
        label_map={"Disease": "DISEASE"}, epochs=args.epochs, batch_size=16, learning_rate=5e-5,
        name="ncbi_disease", version="0.1.0",
    )
    result = Trainer(config).train()
    started = time.perf_counter()
    parity = export_model(model_dir, onnx_dir)
    export_seconds = time.perf_counter() - started

    dev = list(read_corpus(args.data / "devel.tsv", "conll", label_map={"Disease": "DISEASE"}))
    scores = {}
    for name, folder in (("pytorch", model_dir), ("int8", onnx_dir)):
        tagger = load_tagger(folder)
        started = time.perf_counter()
        report = evaluate_tagger(tagger, dev).as_dict()
        scores[name] = {
            "strict_f1": report["strict"]["micro"]["f1"], "partial_f1": report["partial"]["micro"]["f1"],
            "strict": report["strict"]["micro"], "seconds": round(time.perf_counter() - started, 1),
        }
    figures = {
        "train_sentences": sum(1 for _ in read_corpus(args.data / "train.tsv", "conll")),
        "dev_sentences": len(dev),
        "epochs_run": len(result.history), "best_epoch": result.best_epoch,
        "train_seconds": result.seconds, "export_seconds": round(export_seconds, 1),
        "parity": {"agreement": parity.agreement, "texts": parity.texts, "entities": parity.entities_torch},
        "devel": scores,
        "size_mb": {"pytorch_folder": folder_mb(model_dir), "int8_onnx": folder_mb(onnx_dir, "*.onnx")},
        "threads": os.cpu_count(),
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
