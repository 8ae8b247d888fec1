"""A GGUF file run in-process by llama-cpp-python (the optional `llamacpp` extra).

Quantised weights stay quantised (unlike the transformers backend), which is the fastest way
to run a larger generator on CPU. Requests run one after another.
"""

import importlib
from pathlib import Path

from synthner.trainer.generate.backend import BackendError, ChatRequest, Completion, OnCompletion
from synthner.trainer.generate.backends.config import LlamaCppConfig


def _import_llama_cpp():
    try:
        return importlib.import_module("llama_cpp")
    except ImportError as error:
        raise BackendError(
            "the llamacpp backend needs llama-cpp-python: pip install 'synthner[llamacpp]' "
            "(it compiles llama.cpp, which takes several minutes), or use the transformers "
            "backend with the same GGUF file"
        ) from error


class LlamaCppBackend:
    """Chat completions from `Llama.create_chat_completion`, seeded per request."""

    name = "llamacpp"

    def __init__(self, config: LlamaCppConfig) -> None:
        path = Path(config.path)
        if not path.is_file():
            raise BackendError(f"GGUF model {path} does not exist")
        llama_cpp = _import_llama_cpp()
        self.config = config
        self.model = path.name
        self._llama = llama_cpp.Llama(
            model_path=str(path), n_ctx=config.n_ctx, n_threads=config.n_threads, verbose=False
        )

    def complete(
        self, requests: list[ChatRequest], on_completion: OnCompletion | None = None
    ) -> list[Completion]:
        """One request at a time, in order."""
        completions = []
        for request in requests:
            response = self._llama.create_chat_completion(
                messages=[{"role": role, "content": text} for role, text in request.messages],
                max_tokens=request.max_tokens,
                temperature=request.temperature,
                seed=request.seed,
                top_p=self.config.top_p,
                top_k=0,  # llama.cpp defaults to top-k 40 and min-p 0.05: sample like the others
                min_p=0.0,
            )
            text = response["choices"][0]["message"]["content"] or ""
            tokens = int((response.get("usage") or {}).get("completion_tokens") or 0)
            completions.append(Completion(request.prompt_id, text, tokens))
            if on_completion is not None:
                on_completion(completions[-1])
        return completions
