"""synthner_relations and synthner_assertion through spacy.load: relations and assertion on
the Doc, a fresh process without torch, DocBin, batching, thread settings and bad folders."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import DocBin

from synthner.spacy_component.links import SpanRelation, doc_relations
from synthner.spacy_component.loading import classifier_components, load_pipeline
from synthner.spacy_component.spans import doc_entities

FRESH_PROCESS = """
import importlib.abc, json, sys
class BlockTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("torch", "transformers"):
            raise ImportError(f"{name} is blocked")
        return None
sys.meta_path.insert(0, BlockTorch())
import spacy
nlp = spacy.load(sys.argv[1])
doc = nlp("Patient on warfarin developed bleeding.")
print(json.dumps({
    "pipe_names": nlp.pipe_names,
    "relations": [(r.head.text, r.tail.text, r.label) for r in doc._.relations],
    "assertion": [(e.text, e._.assertion) for e in doc.ents],
    "torch_loaded": "torch" in sys.modules,
}))
"""


@pytest.fixture(scope="module")
def ade_nlp(ade_pipeline_dir: Path) -> Language:
    return spacy.load(ade_pipeline_dir)


def test_spacy_load_gives_entities_assertion_and_drug_links_without_torch(ade_pipeline_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS, str(ade_pipeline_dir)],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)
    assert report["pipe_names"] == ["synthner_ner", "synthner_assertion", "synthner_relations"]
    assert report["relations"] == [["warfarin", "bleeding", "Adverse-Effect"]]
    assert ["bleeding", "present"] in report["assertion"] and ["warfarin", None] in report["assertion"]
    assert report["torch_loaded"] is False


def test_relations_are_span_pairs_with_scores_and_only_the_linked_drug(ade_nlp: Language) -> None:
    doc = ade_nlp("Lisinopril was continued; patient on cisplatin developed hearing loss. Started metformin.")
    assert {(e.text, e.label_) for e in doc.ents} >= {
        ("Lisinopril", "DRUG"),
        ("cisplatin", "DRUG"),
        ("hearing loss", "ADE"),
    }
    [relation] = doc._.relations
    assert isinstance(relation, SpanRelation) and 0.5 <= relation.score <= 1
    assert (relation.head.text, relation.head.label_, relation.tail.text, relation.label) == (
        "cisplatin",
        "DRUG",
        "hearing loss",
        "Adverse-Effect",
    )
    entities = doc_entities(doc, "synthner")
    [record] = doc_relations(doc, entities)
    assert (
        entities[record["head"]]["text"] == "cisplatin" and entities[record["tail"]]["text"] == "hearing loss"
    )
    effect = entities[record["tail"]]
    assert effect["assertion"] == "present" and 0 < effect["assertion_score"] <= 1
    assert "assertion" not in entities[record["head"]]


def test_assertion_classes_on_mentions_set_by_hand(ade_nlp: Language) -> None:
    texts = {
        "Examination today shows rash.": "present",
        "Patient denies rash.": "negated",
        "Watch for rash while on treatment.": "hypothetical",
        "History of rash in 2010, resolved.": "historical",
        "Her mother had rash.": "family",
    }
    component = ade_nlp.get_pipe("synthner_assertion")
    for text, expected in texts.items():
        doc = ade_nlp.make_doc(text)
        start = text.index("rash")
        doc.ents = [doc.char_span(start, start + 4, "ADE")]
        assert component(doc).ents[0]._.assertion == expected, text


def test_docs_without_pairs_get_an_empty_list_and_batches_match_single_calls(ade_nlp: Language) -> None:
    texts = [
        "Started lisinopril.",
        "",
        "Patient on warfarin developed bleeding. " * 20,
        "After taking ibuprofen she had heartburn.",
    ]
    batched = list(ade_nlp.pipe(texts, batch_size=3))
    single = [ade_nlp(text) for text in texts]
    assert batched[0]._.relations == [] and batched[1]._.relations == []
    assert len(batched[2]._.relations) == 20
    for one, other in zip(batched, single, strict=True):
        entities = doc_entities(one, "synthner")
        assert entities == doc_entities(other, "synthner")
        assert doc_relations(one, entities) == doc_relations(other, entities)
    assert spacy.blank("en")("no pipeline")._.relations is None


def test_docbin_round_trip_keeps_relations_and_assertion(ade_nlp: Language) -> None:
    doc = ade_nlp("Patient on warfarin developed bleeding.")
    data = DocBin(store_user_data=True, docs=[doc]).to_bytes()
    restored = next(DocBin().from_bytes(data).get_docs(ade_nlp.vocab))
    entities = doc_entities(restored, "synthner")
    assert entities == doc_entities(doc, "synthner")
    assert doc_relations(restored, entities) == doc_relations(doc, entities) != []


def test_threads_reach_the_classifier_sessions(ade_pipeline_dir: Path) -> None:
    nlp = load_pipeline(ade_pipeline_dir, threads=1)
    for component in classifier_components(nlp):
        assert nlp.config["components"][component.name]["threads"] == 1
        options = component.load_classifier().session.get_session_options()
        assert options.intra_op_num_threads == 1


def test_a_missing_file_or_the_wrong_kind_of_model_is_a_clear_error(
    ade_pipeline_dir: Path, tmp_path: Path
) -> None:
    folder = shutil.copytree(ade_pipeline_dir, tmp_path / "pipeline")
    (folder / "synthner_relations" / "classifier.json").unlink()
    with pytest.raises(FileNotFoundError, match="classifier.json is missing"):
        spacy.load(folder)
    nlp = spacy.blank("en")
    with pytest.raises(
        ValueError,
        match="holds a model of task 'assertion'; component 'synthner_relations' needs task 'relation'",
    ):
        nlp.add_pipe("synthner_relations").initialize(model_dir=ade_pipeline_dir / "synthner_assertion")
    with pytest.raises(ValueError, match="initialize"):
        nlp("text")
