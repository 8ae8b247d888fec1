"""Request and response bodies, one schema per purpose."""

from typing import Annotated, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator


def _encodable(text: str) -> str:
    # JSON can carry lone surrogates ("\ud800"); the tokenizer cannot, and one such note
    # would fail every request that shares its micro-batch.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"the text holds a lone surrogate at character {error.start}") from None
    return text


NoteText = Annotated[str, AfterValidator(_encodable)]


class Document(BaseModel):
    """One note of a batch."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=256, description="Your id for the note, echoed back.")
    text: NoteText


class ExtractRequest(BaseModel):
    """Either one `text`, or `documents`: a batch of `{id, text}`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": "Started lisinopril; developed a dry cough."}]},
    )

    text: Optional[NoteText] = None
    documents: Optional[list[Document]] = None

    @model_validator(mode="after")
    def _text_or_documents(self) -> "ExtractRequest":
        if (self.text is None) == (self.documents is None):
            raise ValueError("give either 'text' or 'documents', not both and not neither")
        if self.documents is not None:
            seen: set[str] = set()
            for document in self.documents:
                if document.id in seen:
                    raise ValueError(f"document id {document.id!r} appears more than once")
                seen.add(document.id)
        return self

    def items(self) -> list[tuple[Optional[str], str]]:
        """(id, text) per document; a lone `text` has no id."""
        if self.documents is None:
            return [(None, self.text or "")]
        return [(document.id, document.text) for document in self.documents]


class EntityOut(BaseModel):
    """An entity: `text[start:end]`, character offsets into the document's text."""

    start: int
    end: int
    label: str
    text: str
    score: float
    assertion: Optional[str] = Field(
        None,
        description="present, negated, hypothetical, historical or family, for the entity types the "
        "pipeline's assertion model covers (ADE, DISEASE); null otherwise.",
    )
    assertion_score: Optional[float] = Field(None, description="Probability of `assertion`.")


class RelationOut(BaseModel):
    """A link between two entities of the document, e.g. DRUG -> ADE `Adverse-Effect`."""

    head: int = Field(description="Index into `entities` of the head (the drug).")
    tail: int = Field(description="Index into `entities` of the tail (the adverse effect).")
    label: str
    score: float = Field(description="Probability that the two are linked.")


class DocumentOut(BaseModel):
    """One document's entities and the relations between them (`id` is null for a lone `text`)."""

    id: Optional[str]
    entities: list[EntityOut]
    relations: Optional[list[RelationOut]] = Field(
        None, description="Drug -> effect links; null when the served pipeline has no relation model."
    )


class ModelRef(BaseModel):
    """Which model answered."""

    name: str
    version: str


class ExtractResponse(BaseModel):
    """Entities per document, in request order."""

    model: ModelRef
    documents: list[DocumentOut]


class ModelInfo(BaseModel):
    """What the served model predicts and where it came from."""

    name: str
    version: str
    labels: list[str]
    description: str
    model_card: dict


class Health(BaseModel):
    """Liveness or readiness."""

    status: str
    pending_documents: Optional[int] = None
