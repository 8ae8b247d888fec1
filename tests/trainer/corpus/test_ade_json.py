"""Token-offset JSON (the ADE corpus layout) on a small file the test writes."""

import json
from pathlib import Path

import pytest

from synthner.trainer.corpus.ade_json import read_ade_json
from synthner.trainer.corpus.errors import InvalidRecords
from synthner.trainer.corpus.example import CorpusError, Relation, Span

RECORDS = [
    {
        "tokens": ["Acute", "dystonia", "after", "haloperidol", "."],
        "entities": [{"type": "Drug", "start": 3, "end": 4}, {"type": "Adverse-Effect", "start": 0, "end": 2}],
        "relations": [{"type": "Adverse-Effect", "head": 1, "tail": 0}],
        "orig_id": 17,
    },
    {
        "tokens": ["Cisplatin", "ototoxicity", "."],
        "entities": [{"type": "Adverse-Effect", "start": 0, "end": 2}, {"type": "Drug", "start": 0, "end": 1}],
        "relations": [],
    },
]
SHARED_ADE = Path(__file__).parents[3].parent / "shared/data/ade-corpus-v2/ade_train.json"


def write(path: Path, records: list) -> Path:
    path.write_text(json.dumps(records, indent=1), encoding="utf-8")  # one field per line
    return path


def test_reads_tokens_as_single_spaced_text_with_sorted_entities(tmp_path: Path) -> None:
    first, second = read_ade_json(write(tmp_path / "ade.json", RECORDS))
    assert (first.id, first.text, first.meta) == ("ade-1", "Acute dystonia after haloperidol .", {"orig_id": 17})
    assert first.entities == [Span(0, 14, "Adverse-Effect"), Span(21, 32, "Drug")]
    assert first.relations == [Relation(0, 1, "Adverse-Effect")]  # re-indexed after sorting
    # Overlapping entities are kept: the format allows them.
    assert second.entities == [Span(0, 9, "Drug"), Span(0, 21, "Adverse-Effect")]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"entities": [{"type": "Drug", "start": 3, "end": 9}]}, "record 2: entity 0: tokens 3-9 are outside the 5 tokens"),
        ({"relations": [{"type": "R", "head": 0, "tail": 4}]}, "record 2: example 'ade-2': relation R points to entity 4"),
        ({"entities": [{"type": "Drug", "start": 3}]}, "record 2: an entity or relation lacks the field 'end'"),
        ({"tokens": "Acute dystonia"}, "record 2: expected an object with a 'tokens' list"),
    ],
)
def test_bad_records_name_file_record_and_line(tmp_path: Path, change: dict, problem: str) -> None:
    path = write(tmp_path / "ade.json", [RECORDS[1], {**RECORDS[0], **change}])
    with pytest.raises(CorpusError) as caught:
        list(read_ade_json(path))
    second_record_line = path.read_text().splitlines().index(" {", 2) + 1
    assert (caught.value.source, caught.value.line) == (str(path), second_record_line)
    assert caught.value.problem.startswith(problem)


def test_skip_invalid_goes_on_after_a_bad_record_but_not_after_broken_json(tmp_path: Path) -> None:
    bad = {**RECORDS[0], "entities": [{"type": "Drug", "start": 4, "end": 2}]}
    invalid = InvalidRecords(skip_invalid=True)
    assert len(list(read_ade_json(write(tmp_path / "a.json", [bad, RECORDS[1], bad]), invalid))) == 1
    assert [e.problem[:9] for e in invalid.errors] == ["record 1:", "record 3:"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(RECORDS)[:-30], encoding="utf-8")
    with pytest.raises(CorpusError, match="broken.json:1: invalid JSON"):
        list(read_ade_json(broken))
    (tmp_path / "obj.json").write_text("{}", encoding="utf-8")
    with pytest.raises(CorpusError, match="obj.json:1: expected a JSON list of records"):
        list(read_ade_json(tmp_path / "obj.json"))


@pytest.mark.skipif(not SHARED_ADE.is_file(), reason="the shared ADE corpus is not present")
def test_the_shared_ade_corpus_parses_completely() -> None:
    examples = list(read_ade_json(SHARED_ADE))  # raises on the first bad record
    assert len(examples) == len(json.loads(SHARED_ADE.read_text(encoding="utf-8")))
    assert {s.label for e in examples for s in e.entities} == {"Adverse-Effect", "Drug"}
