"""The pipelines shipped inside the package (en_synthner_ade, en_synthner_bio): loaded by short
name, they find the obvious entities in notes written here and leave negated effects untagged."""

import subprocess
import sys

import pytest
from spacy.language import Language

from synthner.spacy_component.classifier_files import ASSERTION_LABELS
from synthner.spacy_component.loading import load_pipeline

ASSERTION_CLASSES = set(ASSERTION_LABELS)


@pytest.fixture(scope="module")
def ade() -> Language:
    return load_pipeline("ade", threads=1)


@pytest.fixture(scope="module")
def bio() -> Language:
    return load_pipeline("bio", threads=1)


def texts(doc, label: str) -> set[str]:
    return {e.text.lower() for e in doc.ents if e.label_ == label}


@pytest.mark.parametrize(
    ("note", "drug", "effect"),
    [
        ("Two days after starting amoxicillin she developed a widespread itchy rash.", "amoxicillin", "rash"),
        ("Pt c/o severe nausea since metformin was increased to 1000 mg bid.", "metformin", "nausea"),
        ("He was admitted with hyperkalemia, attributed to spironolactone.", "spironolactone", "hyperkalemia"),
    ],
)
def test_ade_finds_the_drug_its_adverse_effect_and_the_link(ade: Language, note, drug, effect) -> None:
    doc = ade(note)
    assert drug in texts(doc, "DRUG")
    assert any(effect in t for t in texts(doc, "ADE"))
    links = {(r.head.text.lower(), r.tail.text.lower()) for r in doc._.relations}
    assert any(head == drug and effect in tail for head, tail in links)
    assert all(e._.assertion in ASSERTION_CLASSES for e in doc.ents if e.label_ == "ADE")


@pytest.mark.parametrize(
    ("note", "status"),
    [
        ("If she develops a rash on lamotrigine, stop it.", "hypothetical"),
        ("In 2015 she had angioedema on lisinopril.", "historical"),
    ],
)
def test_ade_gives_each_adverse_effect_its_assertion(ade: Language, note, status) -> None:
    assert [e._.assertion for e in ade(note).ents if e.label_ == "ADE"] == [status]


@pytest.mark.parametrize(
    ("note", "drug"),
    [
        ("She denies nausea or vomiting on metformin.", "metformin"),
        ("No rash or itching since amoxicillin was started three days ago.", "amoxicillin"),
        ("Lisinopril 10 mg daily for hypertension; tolerating it well, no cough.", "lisinopril"),
    ],
)
def test_ade_leaves_negated_effects_and_indications_untagged(ade: Language, note, drug) -> None:
    doc = ade(note)
    assert drug in texts(doc, "DRUG")
    assert texts(doc, "ADE") == set()


@pytest.mark.parametrize(
    ("note", "chemical", "disease"),
    [
        ("Patients with cystic fibrosis received inhaled tobramycin twice daily.", "tobramycin", "cystic fibrosis"),
        ("Cisplatin-induced nephrotoxicity was seen in 12 of 40 patients.", "cisplatin", "nephrotoxicity"),
        ("Breast cancer patients were randomised to tamoxifen or placebo.", "tamoxifen", "breast cancer"),
    ],
)
def test_bio_finds_chemicals_and_diseases(bio: Language, note, chemical, disease) -> None:
    doc = bio(note)
    assert any(chemical in t for t in texts(doc, "CHEMICAL"))
    assert any(disease in t for t in texts(doc, "DISEASE"))


def test_synthner_tag_without_a_model_uses_the_shipped_ade_pipeline() -> None:
    """The README's main job, in a fresh process."""
    note = "Two days after starting amoxicillin she developed a widespread itchy rash."
    result = subprocess.run(
        [sys.executable, "-m", "synthner.trainer.cli", "tag", note, "--threads", "1", "--no-progress"],
        capture_output=True, text=True, timeout=120, check=True,
    )
    assert '"label": "DRUG"' in result.stdout and "amoxicillin" in result.stdout
    assert '"label": "ADE"' in result.stdout
