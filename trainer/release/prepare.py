"""Step 1 of building the shipped models: derive seed files and dev splits from ../shared/data.

    python trainer/release/prepare.py [--data ../shared/data] [--out trainer/release/build]

Writes (not committed; everything is re-derived from the public corpora):
- ade/train.jsonl, ade/dev.jsonl: ade_train.json split by sentence index (every 5th -> dev),
  before anything is trained, so the dev part never seeds generation nor trains a model;
- ade/pairs.tsv: (drug, effect) names from the train part's relations + ade_pairs_extra.tsv;
- bio/seeds.tsv: chemical and disease names from the NCBI-disease and BC5CDR training splits;
- bio/reference_dev.jsonl: NCBI-disease devel + BC5CDR devel, the leakage reference;
- assertion/seeds.tsv: a sample of those effect and disease names for assertion prompts.
"""

import argparse
import random
import re
from pathlib import Path

from synthner.trainer.corpus.formats import read_corpus, write_corpus
from synthner.trainer.generate.recipes.sources import CorpusPairs, PairFile, load_pairs

HERE = Path(__file__).resolve().parent
ADE_LABELS = {"Adverse-Effect": "ADE", "Drug": "DRUG"}
BIO_LABELS = {"Chemical": "CHEMICAL", "Disease": "DISEASE"}
DEV_EVERY = 5


def split_ade(data: Path, out: Path) -> None:
    examples = list(read_corpus(data / "ade-corpus-v2" / "ade_train.json", "ade", label_map=ADE_LABELS))
    dev = [e for i, e in enumerate(examples) if i % DEV_EVERY == 0]
    train = [e for i, e in enumerate(examples) if i % DEV_EVERY != 0]
    write_corpus(train, out / "train.jsonl", "jsonl")
    write_corpus(dev, out / "dev.jsonl", "jsonl")
    pairs = load_pairs(CorpusPairs(path=out / "train.jsonl", format="jsonl", drug_side="tail"))
    pairs += load_pairs(PairFile(path=HERE / "ade_pairs_extra.tsv"))
    seen: set[tuple[str, str]] = set()
    with open(out / "pairs.tsv", "w", encoding="utf-8") as handle:
        for drug, effect in pairs:
            drug, effect = detokenise(drug), detokenise(effect)
            key = (drug.lower(), effect.lower())
            if key not in seen and "\t" not in drug + effect:
                seen.add(key)
                handle.write(f"{drug}\t{effect}\n")
    print(f"ade: {len(train)} train, {len(dev)} dev sentences, {len(seen)} pairs")


def detokenise(name: str) -> str:
    """Undo CoNLL token spacing in a mention: `coli ( APC ) tumour` -> `coli (APC) tumour`."""
    name = re.sub(r"\s+([)\],.;:%'])", r"\1", " ".join(name.split()))
    name = re.sub(r"([(\[])\s+", r"\1", name)
    return re.sub(r"\s*([-/])\s*", r"\1", name)


def bio_seeds(data: Path, out: Path) -> None:
    sources = [
        (data / "ncbi-disease" / "train.tsv", {"Disease": "DISEASE"}),
        (data / "bc5cdr" / "train.tsv", BIO_LABELS),
    ]
    seen: dict[tuple[str, str], str] = {}
    for path, labels in sources:
        for example in read_corpus(path, "conll", label_map=labels):
            for span in example.entities:
                name = detokenise(example.span_text(span))
                seen.setdefault((name.lower(), span.label), name)
    with open(out / "seeds.tsv", "w", encoding="utf-8") as handle:
        for (_, label), name in seen.items():
            handle.write(f"{name}\t{label}\n")
    reference = [
        *read_corpus(data / "ncbi-disease" / "devel.tsv", "conll", label_map={"Disease": "DISEASE"}),
        *read_corpus(data / "bc5cdr" / "devel.tsv", "conll", label_map=BIO_LABELS),
    ]
    write_corpus(reference, out / "reference_dev.jsonl", "jsonl")
    print(f"bio: {len(seen)} seeds, {len(reference)} reference dev sentences")


def assertion_seeds(out: Path, n_each: int = 110, seed: int = 5) -> None:
    """Effect names for assertion prompts: ADE-corpus effects (train part) and disease seeds."""
    rng = random.Random(seed)
    effects = sorted({line.split("\t")[1] for line in (out.parent / "ade" / "pairs.tsv").read_text().splitlines()})
    diseases = sorted({line.split("\t")[0] for line in (out.parent / "bio" / "seeds.tsv").read_text().splitlines()
                       if line.endswith("\tDISEASE")})
    chosen = [(name, "ADE") for name in rng.sample(effects, n_each)]
    chosen += [(name, "DISEASE") for name in rng.sample(diseases, n_each)]
    (out / "seeds.tsv").write_text("".join(f"{name}\t{label}\n" for name, label in chosen), encoding="utf-8")
    print(f"assertion: {len(chosen)} effect seeds")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parents[2] / "shared" / "data")
    parser.add_argument("--out", type=Path, default=HERE / "build")
    args = parser.parse_args()
    for name in ("ade", "bio", "assertion"):
        (args.out / name).mkdir(parents=True, exist_ok=True)
    split_ade(args.data, args.out / "ade")
    bio_seeds(args.data, args.out / "bio")
    assertion_seeds(args.out / "assertion")


if __name__ == "__main__":
    main()
