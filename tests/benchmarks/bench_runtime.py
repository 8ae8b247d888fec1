"""Runtime benchmark: tokens/s and peak memory of `nlp.pipe` with the int8 ONNX pipeline against
the Hugging Face PyTorch `pipeline("token-classification")` on the same model and texts.

Each side runs in its own subprocess (peak RSS is that process's VmHWM). Both see the same
windows: the PyTorch pipeline gets max length = the model's window and stride = its overlap, so
neither truncates. The ONNX side blocks `import torch`, as on the base install (otherwise thinc,
imported by spaCy, loads torch whenever it is installed). Tokens are the model's wordpieces.

    python tests/benchmarks/bench_runtime.py                      # trains a tiny model first
    python tests/benchmarks/bench_runtime.py --model ONNX_DIR --torch-model TORCH_DIR --join 10

Texts: title + abstract of BioCreative CDR development documents from ../shared/data when
present (read at run time, never copied), else sentences from tests/factory.py.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CDR = ROOT.parent / "shared" / "data" / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="exported model folder or spaCy pipeline folder")
    parser.add_argument("--torch-model", type=Path, help="the trained PyTorch folder it was exported from")
    parser.add_argument("--docs", type=int, default=200, help="documents to tag")
    parser.add_argument("--join", type=int, default=1, help="source texts joined into one document")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--worker", choices=["onnx", "torch"], help=argparse.SUPPRESS)
    parser.add_argument("--texts-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        texts = json.loads(args.texts_file.read_text(encoding="utf-8"))
        result = run_onnx(args, texts) if args.worker == "onnx" else run_torch(args, texts)
        result["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        if args.model is None or args.torch_model is None:
            args.torch_model, args.model = train_tiny_model(Path(tmp))
        texts = load_texts(args.docs, args.join)
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        results = [run_worker(side, args, texts_file) for side in ("onnx", "torch")]
    report(args, texts, results)


def load_texts(n_docs: int, join: int) -> list[str]:
    """`n_docs` documents, each `join` source texts separated by a blank line."""
    if CDR.is_file():
        sources, title = [], ""
        for line in CDR.read_text(encoding="utf-8").splitlines():
            parts = line.split("|", 2)
            if len(parts) == 3 and parts[1] == "t":
                title = parts[2]
            elif len(parts) == 3 and parts[1] == "a":
                sources.append(f"{title} {parts[2]}")
    else:
        sys.path.insert(0, str(ROOT))
        from tests.factory import ade_examples

        sentences = [e.text for e in ade_examples(n_docs * join * 8, seed=3)]
        sources = [" ".join(sentences[i : i + 8]) for i in range(0, len(sentences), 8)]
    needed = n_docs * join
    sources = (sources * (needed // len(sources) + 1))[:needed]
    return ["\n\n".join(sources[i : i + join]) for i in range(0, needed, join)]


def train_tiny_model(folder: Path) -> tuple[Path, Path]:
    """Train and export the test suite's tiny DRUG/ADE model (speed only: parity not enforced)."""
    sys.path.insert(0, str(ROOT))
    from synthner.trainer.export import export_model
    from synthner.trainer.training.config import TrainConfig, TrainSource
    from synthner.trainer.training.trainer import Trainer
    from tests.factory import write_ade_corpus

    train = write_ade_corpus(folder / "train.jsonl", n=240, seed=1)
    config = TrainConfig(train=[TrainSource(path=train)], output=folder / "torch", epochs=1, batch_size=16)
    Trainer(config, show_progress=False).train()
    export_model(folder / "torch", folder / "onnx", threshold=0.0)
    return folder / "torch", folder / "onnx"


def run_worker(side: str, args: argparse.Namespace, texts_file: Path) -> dict:
    command = [
        sys.executable, __file__, "--worker", side, "--texts-file", str(texts_file), "--model", str(args.model),
        "--torch-model", str(args.torch_model), "--threads", str(args.threads), "--batch-size", str(args.batch_size),
    ]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    completed = subprocess.run(command, capture_output=True, text=True, env=env)
    if completed.returncode != 0:
        raise RuntimeError(f"{side} worker failed:\n{completed.stderr[-3000:]}")
    return {"side": side, **json.loads(completed.stdout.strip().splitlines()[-1])}


def run_onnx(args: argparse.Namespace, texts: list[str]) -> dict:
    sys.modules["torch"] = None  # type: ignore[assignment]  # as on the base install
    from synthner.spacy_component.loading import load_pipeline, synthner_component

    nlp = load_pipeline(args.model, threads=args.threads)
    component = synthner_component(nlp)[1]
    list(nlp.pipe(texts[:4]))  # warm-up: session creation, first allocations
    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=args.batch_size))
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "tokens": count_tokens(args.model, texts),
        "entities": sum(len(doc.spans[component.spans_key]) for doc in docs),
    }


def run_torch(args: argparse.Namespace, texts: list[str]) -> dict:
    import torch
    from transformers import AutoModelForTokenClassification, PreTrainedTokenizerFast, pipeline

    from synthner.spacy_component.model_files import read_meta

    torch.set_num_threads(args.threads)
    meta = read_meta(args.torch_model)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_file=str(args.torch_model / "tokenizer.json"), model_max_length=meta.window_tokens,
        unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]", cls_token="[CLS]", mask_token="[MASK]",
    )
    model = AutoModelForTokenClassification.from_pretrained(args.torch_model, local_files_only=True)
    tagger = pipeline(
        "token-classification", model=model, tokenizer=tokenizer, device=-1,
        aggregation_strategy="simple", stride=meta.window_overlap,
    )
    tagger(texts[:4])
    started = time.perf_counter()
    outputs = tagger(texts, batch_size=args.batch_size)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "tokens": count_tokens(args.torch_model, texts),
        "entities": sum(len(found) for found in outputs),
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, because Linux carries ru_maxrss across exec:
    a worker started by a parent that trained a model would report the parent's peak."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def count_tokens(model: Path, texts: list[str]) -> int:
    from tokenizers import Tokenizer

    folder = model / "synthner_ner" if (model / "synthner_ner").is_dir() else model
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_truncation()
    return sum(len(e.ids) for e in tokenizer.encode_batch(texts, add_special_tokens=False))


def report(args: argparse.Namespace, texts: list[str], results: list[dict]) -> None:
    chars = sum(len(t) for t in texts)
    print(f"{len(texts)} documents, {chars:,} characters, {results[0]['tokens']:,} wordpieces; "
          f"threads={args.threads}, batch size={args.batch_size}, CPUs={os.cpu_count()}")
    print(f"{'side':<32}{'tokens/s':>10}{'docs/s':>9}{'seconds':>9}{'peak RSS MB':>13}{'entities':>10}")
    names = {"onnx": "synthner int8 ONNX (nlp.pipe)", "torch": "HF PyTorch fp32 pipeline"}
    for r in results:
        print(f"{names[r['side']]:<32}{r['tokens'] / r['seconds']:>10,.0f}{len(texts) / r['seconds']:>9.1f}"
              f"{r['seconds']:>9.1f}{r['peak_rss_mb']:>13,.0f}{r['entities']:>10,}")
    onnx, torch_ = results
    print(f"speed-up {torch_['seconds'] / onnx['seconds']:.2f}x, "
          f"peak memory {onnx['peak_rss_mb'] / torch_['peak_rss_mb']:.0%} of PyTorch's")


if __name__ == "__main__":
    main()
