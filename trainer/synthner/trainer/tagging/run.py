"""The loop behind `synthner tag`: skip finished ids, tag the rest in batches, write, count.

Nothing here prints or logs note text: progress and summary show counts, ids and timings.
"""

import html
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from synthner.spacy_component.loading import synthner_component
from synthner.spacy_component.spans import unaligned_count
from synthner.trainer.tagging.notes import BadRecord, Note
from synthner.trainer.tagging.sinks import Sink, id_problem


@dataclass
class Summary:
    """What a run did; `skipped` notes were already in the output from an earlier run."""

    tagged: int = 0
    skipped: int = 0
    errors: int = 0
    unaligned: int = 0
    characters: int = 0
    labels: Counter = field(default_factory=Counter)
    seconds: float = 0.0


class ErrorLog:
    """Bad records as JSON lines `{"source", "line", "id", "problem"}` (stderr when no path).
    Each run re-reads its whole input and rewrites the file, so it lists each bad record once."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.count = 0
        self._handle = open(path, "w", encoding="utf-8") if path is not None else None

    def report(self, bad: BadRecord) -> None:
        self.count += 1
        if self._handle is None:
            print(f"error: {bad.source}:{bad.line or '-'}: {bad.problem}", file=sys.stderr)
            return
        record = {"source": bad.source, "line": bad.line, "id": bad.id, "problem": bad.problem}
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._handle.flush()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


class TagRun:
    """Tags notes read from `source` with `nlp` into `sink` (format `fmt`); with `collect_html`,
    `html` gathers displaCy's input for each note tagged."""

    def __init__(
        self, nlp: Language, sink: Sink, errors: ErrorLog, source: str, fmt: str, batch_size: int,
        collect_html: bool = False,
    ) -> None:
        self.nlp = nlp
        self.source = source
        self.spans_key = synthner_component(nlp)[1].spans_key
        self.sink = sink
        self.errors = errors
        self.fmt = fmt
        self.batch_size = batch_size
        self.html: list[dict] | None = [] if collect_html else None
        self.summary = Summary()

    def run(self, records: Iterable[Note | BadRecord], advance: Callable[[int], None]) -> Summary:
        """Tag every pending note of `records`; `advance(n)` is told of each record handled."""
        started = time.perf_counter()
        for batch in minibatch(self._pending(records, advance), self.batch_size):
            docs = self.nlp.pipe([note.text for note in batch], batch_size=self.batch_size)
            tagged = list(zip(batch, docs, strict=True))
            self.sink.write(tagged)
            for note, doc in tagged:
                self._count(note, doc)
            advance(len(batch))
        self.summary.errors = self.errors.count
        self.summary.seconds = time.perf_counter() - started
        return self.summary

    def _pending(self, records: Iterable[Note | BadRecord], advance: Callable[[int], None]) -> Iterator[Note]:
        first_line: dict[str, int | None] = {}
        for record in records:
            if isinstance(record, Note):
                record = self._check(record, first_line)
            if isinstance(record, BadRecord):
                self.errors.report(record)
                advance(1)
            elif record.id in self.sink.done:
                self.summary.skipped += 1
                advance(1)
            else:
                yield record

    def _check(self, note: Note, first_line: dict[str, int | None]) -> Note | BadRecord:
        if note.id in first_line:
            first = first_line[note.id]
            return BadRecord(self.source, note.line, f"duplicate id (first used on line {first})", note.id)
        first_line[note.id] = note.line
        problem = id_problem(self.fmt, note.id)
        if problem is None and len(note.text) > self.nlp.max_length:
            problem = f"text has {len(note.text)} characters, over the pipeline's max_length {self.nlp.max_length}"
        return note if problem is None else BadRecord(self.source, note.line, problem, note.id)

    def _count(self, note: Note, doc: Doc) -> None:
        summary = self.summary
        summary.tagged += 1
        summary.characters += len(note.text)
        summary.unaligned += unaligned_count(doc, self.spans_key)
        summary.labels.update(span.label_ for span in doc.spans[self.spans_key])
        if self.html is not None:
            ents = [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents]
            # displaCy puts titles into the page unescaped.
            self.html.append({"text": doc.text, "ents": ents, "title": html.escape(note.id)})
