"""Any OpenAI-compatible `/chat/completions` endpoint, called from a bounded thread pool."""

import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

import httpx

from synthner.trainer.generate.backend import BackendError, ChatRequest, Completion, OnCompletion
from synthner.trainer.generate.backends.config import OpenAIConfig

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
ERROR_BODY_CHARS = 300


class OpenAIBackend:
    """Sends each request as one chat completion; retries 429/5xx/connection errors and
    timeouts with exponential backoff (honouring a numeric Retry-After when it is longer)."""

    name = "openai"

    def __init__(self, config: OpenAIConfig) -> None:
        self.config = config
        self.model = config.model
        self._url = config.base_url.rstrip("/") + "/chat/completions"
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(config.api_key_env)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        # The key lives only in the client's headers: never in the config, a file or a log.
        self._client = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(config.timeout_s),
            limits=httpx.Limits(max_connections=config.concurrency),
        )

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()

    def complete(
        self, requests: list[ChatRequest], on_completion: OnCompletion | None = None
    ) -> list[Completion]:
        """At most `concurrency` requests in flight. The first unrecoverable failure cancels
        the requests not yet sent, lets those in flight finish (still reported through
        `on_completion`), then is raised."""
        results: dict[int, Completion] = {}
        failure: BaseException | None = None
        with ThreadPoolExecutor(max_workers=self.config.concurrency) as pool:
            futures = {pool.submit(self._complete_one, r): i for i, r in enumerate(requests)}
            for future in as_completed(futures):
                if future.cancelled():
                    continue
                if future.exception() is not None:
                    failure = failure or future.exception()
                    for pending in futures:
                        pending.cancel()
                    continue
                results[futures[future]] = future.result()
                if on_completion is not None:
                    on_completion(results[futures[future]])
        if failure is not None:
            raise failure
        return [results[i] for i in range(len(requests))]

    def _body(self, request: ChatRequest) -> dict:
        return {
            **self.config.extra_body,
            "model": self.config.model,
            "messages": [{"role": role, "content": text} for role, text in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "seed": request.seed,
        }

    def _complete_one(self, request: ChatRequest) -> Completion:
        body = self._body(request)
        for attempt in range(self.config.max_retries + 1):
            problem, retry_after = self._attempt(request, body)
            if isinstance(problem, Completion):
                return problem
            if attempt == self.config.max_retries:
                break
            delay = min(self.config.backoff_s * 2**attempt, self.config.max_backoff_s)
            delay = max(delay, min(retry_after, self.config.max_backoff_s))
            log.warning(
                "prompt %s: %s; retry %d/%d in %.1f s",
                request.prompt_id,
                problem,
                attempt + 1,
                self.config.max_retries,
                delay,
            )
            time.sleep(delay)
        raise BackendError(
            f"{self._url}: prompt {request.prompt_id} failed after "
            f"{self.config.max_retries + 1} attempts: {problem}"
        )

    def _attempt(self, request: ChatRequest, body: dict) -> tuple[Completion | str, float]:
        """One POST: the completion, or a retryable problem and the server's Retry-After."""
        try:
            response = self._client.post(self._url, json=body)
        except httpx.TimeoutException:
            return f"timed out after {self.config.timeout_s} s", 0.0
        except httpx.TransportError as error:
            return f"connection error ({type(error).__name__})", 0.0
        if response.status_code in RETRY_STATUS:
            return f"HTTP {response.status_code}", _retry_after(response)
        if response.status_code != 200:
            raise BackendError(
                f"{self._url}: HTTP {response.status_code} for prompt {request.prompt_id}: "
                f"{response.text[:ERROR_BODY_CHARS]}"
            )
        return _parse(response, request.prompt_id, self._url), 0.0


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("retry-after", "0")))
    except ValueError:  # an HTTP date: fall back to our own backoff
        return 0.0


def _parse(response: httpx.Response, prompt_id: str, url: str) -> Completion:
    try:
        payload = response.json()
        text = payload["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise BackendError(
            f"{url}: response for prompt {prompt_id} is not a chat completion ({error!r})"
        ) from error
    if not isinstance(text, str):
        raise BackendError(f"{url}: response for prompt {prompt_id} has no message content")
    usage = payload.get("usage") or {}
    return Completion(prompt_id, text, int(usage.get("completion_tokens") or 0))
