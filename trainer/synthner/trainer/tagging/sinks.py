"""Where tagged notes go: JSONL or CSV (checkpointed files), BRAT or DocBin folders, or stdout.

Every sink knows which ids it already holds (`done`), so a rerun skips them: JSONL and CSV
through OUTPUT.done (see checkpoint.py), BRAT through the `.ann` files present (each written
under a temporary name, then renamed), DocBin through the ids inside its shard files (one
`.spacy` shard per batch, renamed into place when complete; spaCy's corpus reader takes the
folder as a whole).
"""

import csv
import io
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from spacy.tokens import Doc

from synthner.spacy_component.links import doc_relations
from synthner.spacy_component.spans import doc_entities
from synthner.trainer.tagging.checkpoint import CheckpointedFile
from synthner.trainer.tagging.notes import Note

OUTPUT_FORMATS = ("jsonl", "csv", "brat", "docbin", "ade-report")
CSV_FIELDS = ["id", "start", "end", "label", "text", "score"]
Tagged = tuple[Note, Doc]


class Sink(Protocol):
    done: set[str]

    def write(self, batch: Sequence[Tagged]) -> None:
        """Store a batch of tagged notes, in order."""
        ...

    def close(self) -> None: ...


def output_format(output: Path | None, fmt: str | None) -> str:
    """`fmt`, or the format OUTPUT's suffix names (.jsonl, .csv, .spacy); JSONL on stdout."""
    if fmt is not None:
        if fmt not in OUTPUT_FORMATS:
            raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(OUTPUT_FORMATS)}")
        return fmt
    if output is None:
        return "jsonl"
    by_suffix = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".spacy": "docbin"}
    if output.suffix.lower() not in by_suffix:
        raise ValueError(f"cannot tell the output format of {output}; pass --format")
    return by_suffix[output.suffix.lower()]


def open_sink(output: Path | None, fmt: str, spans_key: str) -> Sink:
    """The sink for `fmt` at `output` (stdout when None, JSONL only), resuming what is there."""
    if output is None:
        if fmt != "jsonl":
            raise ValueError(f"{fmt} output needs --output")
        return StdoutSink(spans_key)
    from synthner.trainer.tagging.ade_report import AdeReportSink

    sinks = {
        "jsonl": JsonlSink, "csv": CsvSink, "brat": BratSink, "docbin": DocBinSink, "ade-report": AdeReportSink
    }
    return sinks[fmt](Path(output), spans_key)


def id_problem(fmt: str, note_id: str) -> str | None:
    """Why `note_id` cannot be stored in `fmt` (BRAT names files after ids), or None."""
    from synthner.trainer.corpus.brat import SAFE_ID

    if fmt == "brat" and not SAFE_ID.fullmatch(note_id):
        return f"id {note_id!r} is not a safe BRAT file name (letters, digits, . _ -)"
    return None


def jsonl_record(note: Note, doc: Doc, spans_key: str) -> str:
    """`{"id", ...passed-through fields, "entities": [...]}` as one JSON line, plus
    `"relations": [{"head", "tail", "label", "score"}]` (indices into entities) when the
    pipeline has a synthner_relations component."""
    record = {"id": note.id, **note.extra, "entities": doc_entities(doc, spans_key)}
    relations = doc_relations(doc, record["entities"])
    if relations is not None:
        record["relations"] = relations
    return json.dumps(record, ensure_ascii=False) + "\n"


class StdoutSink:
    def __init__(self, spans_key: str) -> None:
        self.spans_key = spans_key
        self.done: set[str] = set()

    def write(self, batch: Sequence[Tagged]) -> None:
        for note, doc in batch:
            sys.stdout.write(jsonl_record(note, doc, self.spans_key))
        sys.stdout.flush()

    def close(self) -> None:
        sys.stdout.flush()


class JsonlSink:
    def __init__(self, path: Path, spans_key: str) -> None:
        self.spans_key = spans_key
        self.file = CheckpointedFile(path)
        self.done = self.file.done

    def write(self, batch: Sequence[Tagged]) -> None:
        for note, doc in batch:
            self.file.write(note.id, jsonl_record(note, doc, self.spans_key).encode("utf-8"))

    def close(self) -> None:
        self.file.close()


class CsvSink:
    """One row per entity: id, start, end, label, text, score."""

    def __init__(self, path: Path, spans_key: str) -> None:
        self.spans_key = spans_key
        self.file = CheckpointedFile(path, header=_csv_rows([CSV_FIELDS]))
        self.done = self.file.done

    def write(self, batch: Sequence[Tagged]) -> None:
        for note, doc in batch:
            rows = [[note.id, *(e[field] for field in CSV_FIELDS[1:])] for e in doc_entities(doc, self.spans_key)]
            self.file.write(note.id, _csv_rows(rows))

    def close(self) -> None:
        self.file.close()


def _csv_rows(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


class BratSink:
    """`ID.txt` and `ID.ann` per note; scores as AnnotatorNotes (`#`) lines."""

    def __init__(self, path: Path, spans_key: str) -> None:
        self.folder = Path(path)
        self.spans_key = spans_key
        self.folder.mkdir(parents=True, exist_ok=True)
        self.done = {p.stem for p in self.folder.glob("*.ann")}

    def write(self, batch: Sequence[Tagged]) -> None:
        from synthner.trainer.corpus.brat import check_brat, to_ann
        from synthner.trainer.corpus.example import Example, Span

        for note, doc in batch:
            entities = doc_entities(doc, self.spans_key)
            spans = [Span(e["start"], e["end"], e["label"]) for e in entities]
            example = Example(note.id, doc.text, spans)
            check_brat(example)  # ids were checked up front (id_problem); this guards labels
            notes = "".join(f"#{i}\tAnnotatorNotes T{i}\tscore={e['score']:.4f}\n" for i, e in enumerate(entities, 1))
            _replace(self.folder / f"{note.id}.txt", doc.text)
            _replace(self.folder / f"{note.id}.ann", to_ann(example) + notes)
            self.done.add(note.id)

    def close(self) -> None:
        pass


class DocBinSink:
    """Docs with their `doc.spans` scores; id and passed-through fields in `doc.user_data`."""

    def __init__(self, path: Path, spans_key: str) -> None:
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab

        self.folder = Path(path)
        self.folder.mkdir(parents=True, exist_ok=True)
        for partial in self.folder.glob("*.tmp"):
            partial.unlink()  # a shard the last run did not finish; its notes are tagged again
        self.shards = sorted(self.folder.glob("*.spacy"))
        vocab = Vocab()
        self.done = {
            _docbin_id(doc) for shard in self.shards for doc in DocBin().from_disk(shard).get_docs(vocab)
        }

    def write(self, batch: Sequence[Tagged]) -> None:
        from spacy.tokens import DocBin

        from synthner.trainer.corpus.docbin import USER_DATA_KEY

        shard = DocBin(store_user_data=True)
        for note, doc in batch:
            doc.user_data[USER_DATA_KEY] = json.dumps({"id": note.id, "relations": [], "meta": note.extra})
            shard.add(doc)
        path = self.folder / f"part-{len(self.shards) + 1:06d}.spacy"
        temporary = path.with_suffix(".tmp")
        shard.to_disk(temporary)
        os.replace(temporary, path)
        self.shards.append(path)
        self.done.update(note.id for note, _ in batch)

    def close(self) -> None:
        pass


def _docbin_id(doc: Doc) -> str:
    from synthner.trainer.corpus.docbin import USER_DATA_KEY

    return json.loads(doc.user_data[USER_DATA_KEY])["id"]


def _replace(path: Path, text: str) -> None:
    """Write `text` under a temporary name, then rename, so `path` is whole or absent."""
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(temporary, path)
