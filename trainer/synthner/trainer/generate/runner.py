"""Drives a recipe: sends its requests to the backends in chunks, parses the completions, and
queues the follow-up requests (verifications, annotations, regenerations) they produce."""

import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from synthner.trainer.corpus.example import Example
from synthner.trainer.generate.backend import BackendError, ChatBackend, ChatRequest, Completion
from synthner.trainer.generate.recipes.base import Recipe, Rejection

DEFAULT_BACKEND = "default"


@dataclass
class RunStats:
    """What generation cost: calls per stage, cache hits, tokens and time in backends."""

    planned: int = 0  # first-stage requests
    calls: Counter = field(default_factory=Counter)  # by request stage
    cached: int = 0
    completion_tokens: int = 0
    fresh_tokens: int = 0  # tokens generated in this run (not from the cache)
    backend_seconds: float = 0.0
    answered: int = 0
    accepted: int = 0
    rejected: int = 0

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    @property
    def tokens_per_second(self) -> float | None:
        """Generation speed over uncached completions; None when everything came from a cache."""
        if not self.fresh_tokens or self.backend_seconds <= 0:
            return None
        return self.fresh_tokens / self.backend_seconds


@dataclass
class Generated:
    """The recipe's examples and rejections, the run's costs, and requests nobody answered
    (only in a dry run for `--dump-prompts`)."""

    examples: list[Example]
    rejections: list[Rejection]
    stats: RunStats
    unanswered: list[ChatRequest]


Progress = Callable[[RunStats, int], None]  # (stats so far, requests known so far)


class Runner:
    """Runs one recipe against named backends (a request's `meta["backend"]`, else "default").
    `answerable`, when given, holds back the requests it rejects instead of sending them."""

    def __init__(
        self,
        recipe: Recipe,
        backends: dict[str, ChatBackend],
        chunk: int = 16,
        progress: Progress | None = None,
        answerable: Callable[[ChatRequest], bool] | None = None,
    ) -> None:
        self.recipe, self.backends, self.chunk = recipe, backends, chunk
        self.progress, self.answerable = progress, answerable
        self.known = 0  # requests known so far: first-stage plus follow-ups queued

    def run(self) -> Generated:
        """Everything the recipe yields, first-stage requests before follow-ups of later chunks."""
        queue: deque[ChatRequest] = deque(self.recipe.requests())
        stats = RunStats(planned=len(queue))
        result = Generated([], [], stats, [])
        self.known = len(queue)
        while queue:
            chunk = [queue.popleft() for _ in range(min(self.chunk, len(queue)))]
            if self.answerable is not None:
                result.unanswered += [r for r in chunk if not self.answerable(r)]
                chunk = [r for r in chunk if self.answerable(r)]
            for request, completion in self._complete(chunk, stats):
                outcome = self.recipe.parse(request, completion)
                for example in outcome.accepted:  # a recipe bug must not reach the corpus
                    example.validate()
                result.examples += outcome.accepted
                result.rejections += outcome.rejected
                queue.extend(outcome.follow_ups)
                self.known += len(outcome.follow_ups)
                stats.accepted += len(outcome.accepted)
                stats.rejected += len(outcome.rejected)
            if self.progress is not None:
                self.progress(stats, self.known)
        return result

    def _complete(
        self, chunk: list[ChatRequest], stats: RunStats
    ) -> Iterable[tuple[ChatRequest, Completion]]:
        """Each request with its completion, grouped by backend; stats and progress are updated
        as completions arrive, so the progress bar moves within a chunk."""
        groups: dict[str, list[ChatRequest]] = {}
        for request in chunk:
            groups.setdefault(request.meta.get("backend", DEFAULT_BACKEND), []).append(request)
        for name, requests in groups.items():
            if name not in self.backends:
                raise BackendError(
                    f"recipe {self.recipe.name} needs backend {name!r}, which is not configured"
                )
            counted: set[str] = set()
            started = time.perf_counter()
            completions = self.backends[name].complete(
                requests, partial(self._count, stats=stats, counted=counted)
            )
            stats.backend_seconds += time.perf_counter() - started
            for request, completion in zip(requests, completions, strict=True):
                if completion.prompt_id != request.prompt_id:
                    raise BackendError(
                        f"backend {name!r} answered {completion.prompt_id} for {request.prompt_id}"
                    )
                self._count(completion, stats, counted)
                stats.calls[request.meta.get("stage", "write")] += 1
                yield request, completion

    def _count(self, completion: Completion, stats: RunStats, counted: set[str]) -> None:
        """Add one completion's tokens to the stats (once per prompt id and chunk)."""
        if completion.prompt_id in counted:
            return
        counted.add(completion.prompt_id)
        stats.cached += completion.cached
        stats.completion_tokens += completion.completion_tokens
        stats.fresh_tokens += 0 if completion.cached else completion.completion_tokens
        stats.answered += 1
        if self.progress is not None:
            self.progress(stats, self.known)
