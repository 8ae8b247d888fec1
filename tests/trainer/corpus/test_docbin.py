"""spaCy DocBin reading and writing, including files written by spaCy alone."""

import json
from pathlib import Path

import pytest
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from synthner.trainer.corpus.docbin import USER_DATA_KEY, read_docbin, to_doc, write_docbin
from synthner.trainer.corpus.errors import InvalidRecords
from synthner.trainer.corpus.example import CorpusError, Example, Relation, Span


def test_reads_plain_spacy_docs_with_fallback_ids(tmp_path: Path) -> None:
    vocab = Vocab()
    doc = Doc(vocab, words=["Rash", "after", "amoxicillin", "."], spaces=[True, True, False, False])
    doc.ents = [doc.char_span(0, 4, "ADE"), doc.char_span(11, 22, "DRUG")]
    DocBin(docs=[doc, Doc(vocab, words=["None"], spaces=[False])]).to_disk(tmp_path / "plain.spacy")
    first, second = read_docbin(tmp_path / "plain.spacy")
    assert (first.id, first.text, first.entities) == ("plain-1", "Rash after amoxicillin.", [
        Span(0, 4, "ADE"), Span(11, 22, "DRUG")
    ])
    assert (first.relations, first.meta, second.id, second.text) == ([], {}, "plain-2", "None")


def test_words_follow_entity_edges_and_keep_odd_whitespace() -> None:
    example = Example("x", "on  warfarin\t bleeding ", [Span(4, 8, "DRUG"), Span(11, 22, "ADE")])
    doc = to_doc(example, Vocab())
    assert doc.text == example.text
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [(4, 8, "DRUG"), (11, 22, "ADE")]
    assert json.loads(doc.user_data[USER_DATA_KEY]) == {"id": "x", "relations": [], "meta": {}}
    # A lone space is a word's trailing space unless an entity starts on it or ends after it.
    lone = Example("y", "took a b c d", [Span(4, 7, "A"), Span(8, 10, "B")])
    doc = to_doc(lone, Vocab())
    assert [t.text_with_ws for t in doc] == ["took", " ", "a", " ", "b", " ", "c ", "d"]
    assert [(e.start_char, e.end_char) for e in doc.ents] == [(4, 7), (8, 10)]


def test_writer_refuses_overlaps_and_reader_reports_bad_user_data(tmp_path: Path) -> None:
    overlapping = Example("o", "low dose", [Span(0, 8, "DRUG"), Span(4, 8, "DOSE")])
    good = Example("g", "on lithium", [Span(3, 10, "DRUG")], [Relation(0, 0, "SELF")], {"source": "test"})
    with pytest.raises(CorpusError, match=r"overlaps .* \(doc.ents cannot overlap\)"):
        write_docbin([overlapping], tmp_path / "o.spacy")
    invalid = InvalidRecords(skip_invalid=True)
    assert write_docbin([overlapping, good], tmp_path / "c.spacy", invalid) == 1
    assert len(invalid.errors) == 1
    assert list(read_docbin(tmp_path / "c.spacy")) == [good]

    doc = Doc(Vocab(), words=["x"])
    doc.user_data[USER_DATA_KEY] = json.dumps({"relations": [[0, 3, "R"]]})
    DocBin(docs=[doc], store_user_data=True).to_disk(tmp_path / "bad.spacy")
    with pytest.raises(CorpusError, match=r"bad.spacy: doc 1: example 'bad-1': relation R points to entity 0"):
        list(read_docbin(tmp_path / "bad.spacy"))
