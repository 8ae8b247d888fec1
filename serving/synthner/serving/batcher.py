"""Micro-batching over a bounded inference pool.

Each document of a request waits in one queue. A collector takes the first waiting document,
gathers more for `wait_s` (up to `batch_docs`) and hands the batch to a free thread of the
pool, which runs one `nlp.pipe`; it only starts a batch once a thread is free, so while all
threads are busy the queue grows and the next batches are larger. Documents queued or running
are capped at `max_pending`: beyond that `submit` raises `Overloaded` at once (the route
answers 503) instead of queueing without bound.
"""

import asyncio
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from synthner.serving.metrics import Metrics


@dataclass(frozen=True, slots=True)
class Tagged:
    """One document's result: entity records (see `spans.doc_entities`), its token count, and
    how many predictions matched no token range (`spans.unaligned_count`)."""

    entities: list[dict]
    tokens: int
    unaligned: int
    relations: list[dict] | None = None  # see `links.doc_relations`; None without synthner_relations


TagFunction = Callable[[list[str]], list[Tagged]]
_Item = tuple[str, asyncio.Future]


class Overloaded(RuntimeError):
    """More documents are waiting than the service admits."""


class MicroBatcher:
    """Collects documents from concurrent requests into batches run by `workers` threads."""

    def __init__(
        self,
        tag: TagFunction,
        metrics: Metrics,
        *,
        workers: int,
        batch_docs: int,
        wait_s: float,
        max_pending: int,
    ) -> None:
        self._tag = tag
        self._metrics = metrics
        self._workers = workers
        self._batch_docs = batch_docs
        self._wait_s = wait_s
        self._max_pending = max_pending
        self._pending = 0
        self._queue: asyncio.Queue[_Item] = asyncio.Queue()
        self._slots = asyncio.Semaphore(workers)
        self._pool: ThreadPoolExecutor | None = None
        self._collector: asyncio.Task | None = None

    @property
    def running(self) -> bool:
        """Whether the pool and the collector are up."""
        return self._collector is not None and not self._collector.done()

    @property
    def pending(self) -> int:
        """Documents queued or being tagged."""
        return self._pending

    def start(self) -> None:
        """Start the pool and the collector (call inside the event loop)."""
        self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="synthner-inference")
        self._collector = asyncio.get_running_loop().create_task(self._collect(), name="synthner-batcher")

    async def stop(self) -> None:
        """Stop collecting, fail what is still queued, and wait for running batches to finish."""
        if self._collector is not None:
            self._collector.cancel()
            await asyncio.gather(self._collector, return_exceptions=True)
        while not self._queue.empty():
            _, waiter = self._queue.get_nowait()
            if not waiter.done():
                waiter.set_exception(Overloaded("the service is shutting down"))
        if self._pool is not None:
            await asyncio.to_thread(self._pool.shutdown, wait=True)

    async def submit(self, texts: Sequence[str]) -> list[Tagged]:
        """Tag `texts` (in order) as part of whichever batches they land in."""
        if self._pending + len(texts) > self._max_pending:
            raise Overloaded(f"{self._pending} documents are waiting; the limit is {self._max_pending}")
        loop = asyncio.get_running_loop()
        waiters = [loop.create_future() for _ in texts]
        for text, waiter in zip(texts, waiters, strict=True):
            self._queue.put_nowait((text, waiter))
        self._add_pending(len(texts))
        return list(await asyncio.gather(*waiters))

    async def _collect(self) -> None:
        while True:
            await self._slots.acquire()
            try:
                batch = await self._next_batch()
            except BaseException:
                self._slots.release()
                raise
            self._dispatch(batch)

    async def _next_batch(self) -> list[_Item]:
        batch = [await self._next_live(None)]
        deadline = asyncio.get_running_loop().time() + self._wait_s
        while len(batch) < self._batch_docs:
            item = await self._next_live(deadline)
            if item is None:
                break
            batch.append(item)
        return batch

    async def _next_live(self, deadline: float | None) -> _Item | None:
        """The next document whose request still waits; None once `deadline` passes."""
        loop = asyncio.get_running_loop()
        while True:
            if self._queue.empty() and deadline is not None:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return None
                try:
                    item = await asyncio.wait_for(self._queue.get(), remaining)
                except TimeoutError:
                    return None
            else:
                item = await self._queue.get()
            if not item[1].done():  # a request that went away (client gone) is skipped
                return item
            self._add_pending(-1)

    def _dispatch(self, batch: list[_Item]) -> None:
        assert self._pool is not None
        texts = [text for text, _ in batch]
        started = time.perf_counter()
        future = asyncio.get_running_loop().run_in_executor(self._pool, self._tag, texts)
        future.add_done_callback(partial(self._finish, batch, started))

    def _finish(self, batch: list[_Item], started: float, future: asyncio.Future) -> None:
        self._slots.release()
        self._add_pending(-len(batch))
        error = future.exception() if not future.cancelled() else Overloaded("the batch was cancelled")
        if error is None:
            self._record(future.result(), time.perf_counter() - started)
        for index, (_, waiter) in enumerate(batch):
            if waiter.done():
                continue
            if error is not None:
                waiter.set_exception(error)
            else:
                waiter.set_result(future.result()[index])

    def _record(self, results: list[Tagged], seconds: float) -> None:
        metrics = self._metrics
        metrics.batch_docs.observe(len(results))
        metrics.inference.observe(seconds)
        metrics.documents.inc(len(results))
        for result in results:
            metrics.tokens.inc(result.tokens)
            metrics.unaligned.inc(result.unaligned)
            for entity in result.entities:
                metrics.entities.labels(label=entity["label"]).inc()

    def _add_pending(self, count: int) -> None:
        self._pending += count
        self._metrics.pending.set(self._pending)
