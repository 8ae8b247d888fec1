"""spaCy DocBin (`.spacy`): entities in `doc.ents`; id, relations and meta as JSON in
`doc.user_data["synthner"]` (JSON because msgpack would turn meta lists into tuples).

Writing builds each Doc from words cut at whitespace and at every entity edge, so any text
and any non-overlapping spans survive exactly. `doc.ents` cannot overlap, so overlapping
spans are an error when writing. Reading takes `doc.ents` only (not `doc.spans`); a Doc
without synthner user data gets the id `FILESTEM-N` and no relations.
"""

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from synthner.trainer.corpus.errors import InvalidRecords
from synthner.trainer.corpus.example import CorpusError, Example, Relation, Span

USER_DATA_KEY = "synthner"


def read_docbin(path: Path, invalid: InvalidRecords | None = None) -> Iterator[Example]:
    """Examples from a `.spacy` file; errors name the Doc by its position (there are no lines)."""
    from spacy.tokens import DocBin  # spaCy loads in about a second; only this format needs it
    from spacy.vocab import Vocab

    invalid = invalid or InvalidRecords()
    docs = DocBin().from_disk(path).get_docs(Vocab())
    for number, doc in enumerate(docs, start=1):
        try:
            yield _example(doc, f"{Path(path).stem}-{number}")
        except CorpusError as error:
            invalid.report(CorpusError(f"doc {number}: {error.problem}", str(path)))


def _example(doc, fallback_id: str) -> Example:
    spans = [Span(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
    stored = doc.user_data.get(USER_DATA_KEY)
    try:
        extra = json.loads(stored) if stored is not None else {}
        relations = [Relation(int(h), int(t), str(label)) for h, t, label in extra.get("relations", [])]
        meta = dict(extra.get("meta", {}))
        example = Example(str(extra.get("id", fallback_id)), doc.text, spans, relations, meta)
    except (json.JSONDecodeError, TypeError, ValueError, AttributeError) as error:
        raise CorpusError(f"bad {USER_DATA_KEY!r} user data: {type(error).__name__}") from None
    return example.checked(allow_overlap=False)


def to_doc(example: Example, vocab):
    """A Doc with the example's exact text and its spans as `doc.ents` (a checked example)."""
    from spacy.tokens import Doc

    text = example.text
    starts = {span.start for span in example.entities}
    ends = {span.end for span in example.entities}
    cuts = {0, len(text)} | starts | ends
    cuts |= {i for i in range(1, len(text)) if text[i].isspace() != text[i - 1].isspace()}
    bounds = sorted(cuts)
    words: list[str] = []
    spaces: list[bool] = []
    for start, end in zip(bounds, bounds[1:]):
        # A lone space after a word is that word's trailing space, as spaCy's tokenizer has
        # it, unless an entity starts on the space or ends just after it.
        if text[start:end] == " " and words and not (spaces[-1] or words[-1].isspace()) and (
            start not in starts and end not in ends
        ):
            spaces[-1] = True
        else:
            words.append(text[start:end])
            spaces.append(False)
    doc = Doc(vocab, words=words, spaces=spaces)
    doc.ents = [doc.char_span(span.start, span.end, label=span.label) for span in example.entities]
    relations = [[r.head, r.tail, r.label] for r in example.relations]
    doc.user_data[USER_DATA_KEY] = json.dumps({"id": example.id, "relations": relations, "meta": example.meta})
    return doc


def write_docbin(examples: Iterable[Example], path: Path, invalid: InvalidRecords | None = None) -> int:
    """Write all examples into one `.spacy` file; returns how many were written."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    invalid = invalid or InvalidRecords()
    vocab = Vocab()
    docs = DocBin(store_user_data=True)
    for example in examples:
        try:
            example = example.checked(allow_overlap=False)
        except CorpusError as error:
            invalid.report(CorpusError(f"{error.problem} (doc.ents cannot overlap)", str(path)))
            continue
        docs.add(to_doc(example, vocab))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    docs.to_disk(path)
    return len(docs)
