"""The service's settings: one class, read from flags or `SYNTHNER_*` environment variables."""

from pathlib import Path
from typing import Optional

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServeSettings(BaseSettings):
    """Everything `synthner serve` can be told; each field `foo` is also `SYNTHNER_FOO`."""

    model_config = SettingsConfigDict(env_prefix="SYNTHNER_", extra="forbid")

    model: Optional[str | Path] = Field(
        None, description="Shipped pipeline name, pipeline folder, exported model folder or package."
    )
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    workers: int = Field(2, ge=1, description="Inference threads; each runs one nlp.pipe at a time.")
    threads: Optional[int] = Field(
        None, ge=1, description="onnxruntime threads per inference (default: cores / workers)."
    )
    api_token: Optional[SecretStr] = Field(
        None, description="If set, /v1/* and /metrics need it as a bearer token."
    )
    max_text_chars: int = Field(100_000, ge=1, description="Longest text one document may have.")
    max_batch_docs: int = Field(64, ge=1, description="Most documents in one request.")
    max_body_bytes: int = Field(2_000_000, ge=1, description="Largest request body.")
    max_pending_docs: int = Field(256, ge=1, description="Documents queued or running before 503.")
    batch_docs: int = Field(16, ge=1, description="Most documents in one micro-batch (one nlp.pipe).")
    batch_wait_ms: float = Field(5.0, ge=0, description="How long a micro-batch waits for more documents.")
    retry_after_s: int = Field(1, ge=1, description="Retry-After sent with a 503 under overload.")
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS (none: CORS off)."
    )

    @model_validator(mode="after")
    def _one_request_fits_the_queue(self) -> "ServeSettings":
        # Otherwise a request within the batch limit could never be admitted.
        if self.max_pending_docs < self.max_batch_docs:
            raise ValueError(
                f"max_pending_docs ({self.max_pending_docs}) must be at least "
                f"max_batch_docs ({self.max_batch_docs})"
            )
        return self

    def limit_name(self, field: str) -> str:
        """How an operator sets `field`, for error messages: `max_text_chars (SYNTHNER_MAX_TEXT_CHARS)`."""
        return f"{field} (SYNTHNER_{field.upper()})"
