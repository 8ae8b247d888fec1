"""Output offsets index the input exactly, whatever the Unicode: emoji, CRLF, tabs, combining marks."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from synthner.spacy_component.spans import doc_entities
from tests.factory import ADES, DRUGS

KEY = "synthner"
ODD = ["\r\n", "\t", "\u0301", "e\u0301", "\u200d", "😷", "👩🏽‍⚕️", "🇫🇷", "\n\n", "\u00a0", "ﬁ", "İ", "\ufeff"]
SENTENCE = st.builds(
    "Patient on {}{} developed {}.".format, st.sampled_from(DRUGS), st.sampled_from(["", "\u0301", "😷"]),
    st.sampled_from(ADES),
)
PIECE = st.one_of(st.text(max_size=20), st.sampled_from(ODD), SENTENCE)
TEXTS = st.lists(PIECE, max_size=10).map("".join)


def assert_offsets_match(text: str, nlp: Language) -> list[dict]:
    doc = nlp(text)
    assert doc.text == text
    entities = doc_entities(doc, KEY)
    for entity in entities:
        assert 0 <= entity["start"] < entity["end"] <= len(text)
        assert text[entity["start"] : entity["end"]] == entity["text"]
    return entities


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_entity_text_is_the_input_sliced_at_its_offsets(text: str, nlp: Language) -> None:
    assert_offsets_match(text, nlp)


def test_entities_are_found_between_emoji_crlf_tabs_and_combining_marks(nlp: Language) -> None:
    text = "😷\r\n\tPatient on warfarin developed bleeding.\r\n👩🏽‍⚕️ e\u0301 After taking ibuprofen she had rash.\t🇫🇷"
    found = {(e["text"], e["label"]) for e in assert_offsets_match(text, nlp)}
    assert {("warfarin", "DRUG"), ("ibuprofen", "DRUG")} <= found
