"""LLM backends behind the `ChatBackend` Protocol, chosen by name with `make_backend`.

Backend modules import their heavy dependencies (torch, httpx, llama_cpp) only when chosen.
"""

from synthner.trainer.generate.backend import ChatBackend
from synthner.trainer.generate.backends.config import (
    BackendConfig,
    LlamaCppConfig,
    OpenAIConfig,
    ReplayConfig,
    TransformersConfig,
)


def make_backend(config: BackendConfig) -> ChatBackend:
    """The backend `config.kind` names, built from its settings (loads a local model now)."""
    if isinstance(config, OpenAIConfig):
        from synthner.trainer.generate.backends.openai_compat import OpenAIBackend

        return OpenAIBackend(config)
    if isinstance(config, TransformersConfig):
        from synthner.trainer.generate.backends.transformers_local import TransformersBackend

        return TransformersBackend.load(config)
    if isinstance(config, LlamaCppConfig):
        from synthner.trainer.generate.backends.llamacpp_local import LlamaCppBackend

        return LlamaCppBackend(config)
    if isinstance(config, ReplayConfig):
        from synthner.trainer.generate.backends.replay import ReplayBackend

        return ReplayBackend(config.path, config.model)
    raise TypeError(f"no backend for settings of type {type(config).__name__}")


__all__ = [
    "BackendConfig",
    "LlamaCppConfig",
    "OpenAIConfig",
    "ReplayConfig",
    "TransformersConfig",
    "make_backend",
]
