"""Backend settings: one pydantic model per backend, chosen by `kind` (a discriminated union)."""

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OpenAIConfig(_Strict):
    """Any OpenAI-compatible `/chat/completions` endpoint (vLLM, Ollama, llama.cpp server, TGI,
    hosted APIs). The API key is read from the environment variable `api_key_env` at start-up;
    when that variable is unset no Authorization header is sent (typical for a local server)."""

    kind: Literal["openai"] = "openai"
    base_url: str = Field(description="endpoint root including /v1, e.g. http://localhost:8000/v1")
    model: str
    api_key_env: str = "OPENAI_API_KEY"
    concurrency: int = Field(4, ge=1, le=256)
    timeout_s: float = Field(120.0, gt=0)
    max_retries: int = Field(5, ge=0)
    backoff_s: float = Field(1.0, ge=0, description="first retry delay; doubles each retry")
    max_backoff_s: float = Field(60.0, ge=0)
    extra_body: dict[str, Any] = Field(
        default_factory=dict, description="extra JSON fields sent with every request (e.g. top_p)"
    )


class TransformersConfig(_Strict):
    """A local causal LM: a model folder, or a GGUF file (dequantised to float32 on load)."""

    kind: Literal["transformers"] = "transformers"
    path: Path
    batch_size: int = Field(8, ge=1)
    use_chat_template: bool | None = Field(
        None, description="None: use the tokenizer's chat template when it has one"
    )
    top_p: float = Field(1.0, gt=0, le=1)
    soft_prompt: Path | None = Field(None, description="folder written by `train-prompt`")
    threads: int | None = Field(
        None, ge=1, description="torch CPU threads for this process (None: torch's default)"
    )


class LlamaCppConfig(_Strict):
    """A GGUF file run by llama-cpp-python (the `llamacpp` extra)."""

    kind: Literal["llamacpp"] = "llamacpp"
    path: Path
    n_ctx: int = Field(4096, ge=64)
    n_threads: int | None = Field(None, ge=1)
    top_p: float = Field(1.0, gt=0, le=1)


class ReplayConfig(_Strict):
    """Completions made elsewhere: JSONL lines of `{prompt_id, prompt, completion}`."""

    kind: Literal["replay"] = "replay"
    path: Path
    model: str | None = Field(None, description="who wrote the completions, for the data card (default: the file name)")


BackendConfig = Annotated[
    OpenAIConfig | TransformersConfig | LlamaCppConfig | ReplayConfig, Field(discriminator="kind")
]
