"""`synthner tag --ade-report`: one CSV row per (note, drug, adverse effect), what a
pharmacovigilance reviewer reads.

A row per DRUG -> ADE relation the pipeline's `synthner_relations` found, with the effect's
assertion (present, negated, hypothetical, historical, family); an ADE linked to no drug gets
one row with the drug columns empty, so no effect the NER found is left out of the report.
Checkpointed like the CSV output, so a rerun resumes.
"""

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from spacy.tokens import Doc

from synthner.spacy_component.links import doc_relations
from synthner.spacy_component.spans import doc_entities
from synthner.trainer.tagging.checkpoint import CheckpointedFile
from synthner.trainer.tagging.notes import Note

DRUG, EFFECT = "DRUG", "ADE"
FIELDS = [
    "id",
    "drug",
    "drug_start",
    "drug_end",
    "ade",
    "ade_start",
    "ade_end",
    "relation",
    "relation_score",
    "assertion",
    "assertion_score",
]


def report_rows(note_id: str, doc: Doc, spans_key: str) -> list[list]:
    """The report rows of one tagged note, in order of the effects' offsets."""
    entities = doc_entities(doc, spans_key)
    relations = doc_relations(doc, entities)
    if relations is None:
        raise ValueError("the ADE report needs a pipeline with a synthner_relations component")
    links: dict[int, list[tuple[int, dict]]] = {}
    for relation in relations:
        ends = {entities[relation[end]]["label"]: relation[end] for end in ("head", "tail")}
        if set(ends) == {DRUG, EFFECT}:  # either direction: a model may be trained EFFECT -> DRUG
            links.setdefault(ends[EFFECT], []).append((ends[DRUG], relation))
    rows = []
    for index, effect in enumerate(entities):
        if effect["label"] != EFFECT:
            continue
        status = [effect.get("assertion", ""), effect.get("assertion_score", "")]
        place = [effect["text"], effect["start"], effect["end"]]
        for drug_index, relation in sorted(links.get(index, []), key=lambda link: entities[link[0]]["start"]):
            drug = entities[drug_index]
            rows.append(
                [
                    note_id,
                    drug["text"],
                    drug["start"],
                    drug["end"],
                    *place,
                    relation["label"],
                    relation["score"],
                    *status,
                ]
            )
        if index not in links:
            rows.append([note_id, "", "", "", *place, "", "", *status])
    return rows


class AdeReportSink:
    """The report as a checkpointed CSV file (header row first)."""

    def __init__(self, path: Path, spans_key: str) -> None:
        self.spans_key = spans_key
        self.file = CheckpointedFile(path, header=_csv([FIELDS]))
        self.done = self.file.done

    def write(self, batch: Sequence[tuple[Note, Doc]]) -> None:
        for note, doc in batch:
            self.file.write(note.id, _csv(report_rows(note.id, doc, self.spans_key)))

    def close(self) -> None:
        self.file.close()


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")
