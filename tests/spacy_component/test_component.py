"""The synthner_ner component: saved and loaded through spacy.load, results on the Doc, long notes."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import DocBin
from spacy.training import Example

from synthner.spacy_component.entities import Entity
from synthner.spacy_component.spans import SCORES, UNALIGNED, annotate, doc_entities
from synthner.trainer.packaging import package_pipeline

KEY = "synthner"

FRESH_PROCESS = """
import importlib.abc, json, sys
attempts = []
class BlockTorch(importlib.abc.MetaPathFinder):
    # Stands in for the base install, where torch is absent (thinc probes for it).
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("torch", "transformers"):
            attempts.append(name)
            raise ImportError(f"{name} is blocked")
        return None
sys.meta_path.insert(0, BlockTorch())
import spacy
assert "synthner" not in sys.modules, "importing spacy imported synthner"
nlp = spacy.load(sys.argv[1])
docs = list(nlp.pipe(["Patient on warfarin developed bleeding.", "Started lisinopril."]))
print(json.dumps({
    "ents": [[(e.text, e.label_) for e in doc.ents] for doc in docs],
    "torch_loaded": "torch" in sys.modules,
    "synthner_modules": sorted(m for m in sys.modules if m.startswith("synthner")),
}))
"""


def test_saved_pipeline_loads_in_a_fresh_process_without_synthner_import_or_torch(pipeline_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS, str(pipeline_dir)], capture_output=True, text=True, check=True
    )
    report = json.loads(result.stdout)
    assert ["warfarin", "DRUG"] in report["ents"][0]
    assert ["lisinopril", "DRUG"] in report["ents"][1]
    assert report["torch_loaded"] is False
    assert "synthner.spacy_component.component" in report["synthner_modules"]  # via the entry point
    assert not any(m.startswith("synthner.trainer") for m in report["synthner_modules"])


def test_results_go_to_ents_and_a_scored_span_group(nlp: Language) -> None:
    doc = nlp("Patient on metformin developed nausea.")
    group = doc.spans[KEY]
    assert ("metformin", "DRUG") in [(s.text, s.label_) for s in group]
    assert len(group.attrs[SCORES]) == len(group) and all(0 < s <= 1 for s in group.attrs[SCORES])
    assert group.attrs[UNALIGNED] == []
    assert [(e.start, e.end, e.label_) for e in doc.ents] == [(s.start, s.end, s.label_) for s in group]
    assert doc_entities(doc, KEY)[0] == {
        "start": 11, "end": 20, "label": "DRUG", "text": "metformin", "score": group.attrs[SCORES][0]
    }


def test_prediction_with_no_matching_tokens_is_counted_not_dropped() -> None:
    doc = spacy.blank("en")("took metformin_xr daily")
    assert "metformin_xr" in [t.text for t in doc]
    annotate(doc, [Entity(5, 14, "DRUG", 0.9)], KEY, "strict")
    assert len(doc.spans[KEY]) == 0 and doc.spans[KEY].attrs[UNALIGNED] == [[5, 14, "DRUG", 0.9]]
    annotate(doc, [Entity(5, 14, "DRUG", 0.9)], KEY, "expand")
    assert [s.text for s in doc.spans[KEY]] == ["metformin_xr"] and doc.spans[KEY].attrs[UNALIGNED] == []


def test_overlapping_predictions_stay_in_the_span_group_and_ents_keep_the_longest() -> None:
    doc = spacy.blank("en")("on metformin_xr daily")
    annotate(doc, [Entity(3, 12, "DRUG", 0.9), Entity(3, 21, "DRUG", 0.6)], KEY, "expand")
    assert [s.text for s in doc.spans[KEY]] == ["metformin_xr", "metformin_xr daily"]
    assert [e.text for e in doc.ents] == ["metformin_xr daily"]


def test_pipe_in_batches_gives_the_same_entities_as_single_calls(nlp: Language) -> None:
    texts = ["Started lisinopril.", "", "Severe rash attributed to cisplatin; the drug was stopped. " * 30,
             "After taking ibuprofen she had heartburn for a week.", "   \n\t"]
    batched = [doc_entities(doc, KEY) for doc in nlp.pipe(texts, batch_size=2)]
    single = [doc_entities(nlp(text), KEY) for text in texts]
    assert [[(e["start"], e["end"], e["label"]) for e in doc] for doc in batched] == [
        [(e["start"], e["end"], e["label"]) for e in doc] for doc in single
    ]
    assert batched[1] == [] and batched[4] == [] and len(batched[2]) >= 30


def test_a_100k_character_note_is_tagged_to_its_end(nlp: Language) -> None:
    filler = "Vital signs stable overnight, plan unchanged.\n"
    ending = "Day 20: patient on warfarin developed bleeding."
    text = filler * ((100_000 - len(ending)) // len(filler) + 1) + ending
    assert len(text) > 100_000
    entities = doc_entities(nlp(text), KEY)
    last = [(e["text"], e["label"]) for e in entities if e["start"] > len(text) - len(ending)]
    assert ("warfarin", "DRUG") in last
    assert all(text[e["start"] : e["end"]] == e["text"] for e in entities)


def test_docbin_round_trip_keeps_spans_and_scores(nlp: Language) -> None:
    doc = nlp("After taking warfarin she had bleeding.")
    data = DocBin(store_user_data=True, docs=[doc]).to_bytes()
    restored = next(DocBin().from_bytes(data).get_docs(nlp.vocab))
    assert doc_entities(restored, KEY) == doc_entities(doc, KEY)


def test_pipeline_reads_its_model_only_from_its_own_folder(exported_model: Path, tmp_path: Path) -> None:
    model_copy = tmp_path / "model"
    shutil.copytree(exported_model, model_copy)
    saved = package_pipeline(model_copy, tmp_path / "pipeline", "en_synthner_copy")
    shutil.rmtree(model_copy)
    nlp = spacy.load(saved)
    assert nlp.get_pipe("synthner_ner").model_dir == saved / "synthner_ner"
    assert [e.label_ for e in nlp("Started lisinopril.").ents] == ["DRUG"]


def test_saving_over_the_folder_it_was_loaded_from_keeps_the_model(pipeline_dir: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(pipeline_dir, tmp_path / "pipeline")
    size = (folder / "synthner_ner" / "model.onnx").stat().st_size
    spacy.load(folder).to_disk(folder)
    assert (folder / "synthner_ner" / "model.onnx").stat().st_size == size
    assert [e.label_ for e in spacy.load(folder)("Started lisinopril.").ents] == ["DRUG"]


def test_a_pipeline_missing_its_model_file_fails_naming_it(pipeline_dir: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(pipeline_dir, tmp_path / "pipeline")
    (folder / "synthner_ner" / "model.onnx").unlink()
    with pytest.raises(FileNotFoundError, match="model.onnx is missing"):
        spacy.load(folder)


def test_component_without_a_model_says_how_to_give_it_one() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("synthner_ner")
    with pytest.raises(ValueError, match="initialize"):
        nlp("text")


def test_invalid_alignment_mode_is_rejected_by_the_config() -> None:
    with pytest.raises(ValueError, match="alignment_mode"):
        spacy.blank("en").add_pipe("synthner_ner", config={"alignment_mode": "loose"})


def test_nlp_evaluate_scores_entities(nlp: Language) -> None:
    reference = spacy.blank("en")("Patient on metformin developed nausea.")
    reference.ents = [reference.char_span(11, 20, "DRUG"), reference.char_span(31, 37, "ADE")]
    scores = nlp.evaluate([Example(nlp.make_doc(reference.text), reference)])
    assert "ents_f" in scores and scores["ents_per_type"]["DRUG"]["f"] == 1.0
