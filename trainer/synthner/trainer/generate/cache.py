"""A persistent completion cache (SQLite) around any backend: a re-run never pays twice.

Each completion is committed the moment the backend hands it over, so a crash or Ctrl-C
loses only the requests still in flight and a resumed run asks for the rest only. Keys are
(backend name, model, prompt_id): a different model or soft prompt never hits old entries.
"""

import sqlite3
import time
from pathlib import Path

from synthner.trainer.generate.backend import ChatBackend, ChatRequest, Completion, OnCompletion

SCHEMA = """
CREATE TABLE IF NOT EXISTS completions (
    backend TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_id TEXT NOT NULL,
    text TEXT NOT NULL,
    completion_tokens INTEGER NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (backend, model, prompt_id)
)
"""


class CompletionCache:
    """The SQLite file: look-ups and writes for one (backend, model) pair."""

    def __init__(self, path: Path, backend: str, model: str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.backend, self.model = backend, model
        self._db = sqlite3.connect(self.path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(SCHEMA)
        self._db.commit()

    def get(self, prompt_ids: list[str]) -> dict[str, Completion]:
        """Stored completions among `prompt_ids`, marked `cached=True`."""
        found: dict[str, Completion] = {}
        unique = list(dict.fromkeys(prompt_ids))
        for start in range(0, len(unique), 500):  # stay under SQLite's bound-variable limit
            chunk = unique[start : start + 500]
            rows = self._db.execute(
                "SELECT prompt_id, text, completion_tokens FROM completions "
                f"WHERE backend = ? AND model = ? AND prompt_id IN ({','.join('?' * len(chunk))})",
                [self.backend, self.model, *chunk],
            )
            for prompt_id, text, tokens in rows:
                found[prompt_id] = Completion(prompt_id, text, tokens, cached=True)
        return found

    def put(self, completion: Completion) -> None:
        """Store and commit one completion at once (an existing entry is kept as it was)."""
        self._db.execute(
            "INSERT OR IGNORE INTO completions VALUES (?, ?, ?, ?, ?, ?)",
            [
                self.backend,
                self.model,
                completion.prompt_id,
                completion.text,
                completion.completion_tokens,
                time.time(),
            ],
        )
        self._db.commit()

    def __len__(self) -> int:
        query = "SELECT COUNT(*) FROM completions WHERE backend = ? AND model = ?"
        return self._db.execute(query, [self.backend, self.model]).fetchone()[0]

    def close(self) -> None:
        """Close the database file."""
        self._db.close()


class CachedBackend:
    """A ChatBackend that answers from the cache first and sends only the misses, once each."""

    def __init__(self, inner: ChatBackend, path: Path) -> None:
        self.inner = inner
        self.name, self.model = inner.name, inner.model
        self.cache = CompletionCache(path, inner.name, inner.model)

    def complete(
        self, requests: list[ChatRequest], on_completion: OnCompletion | None = None
    ) -> list[Completion]:
        """Cached completions first (`cached=True`), then the backend's for the rest."""
        found = self.cache.get([r.prompt_id for r in requests])
        if on_completion is not None:
            for completion in found.values():
                on_completion(completion)
        missing = list({r.prompt_id: r for r in requests if r.prompt_id not in found}.values())

        def store(completion: Completion) -> None:
            self.cache.put(completion)
            found[completion.prompt_id] = completion
            if on_completion is not None:
                on_completion(completion)

        if missing:
            for completion in self.inner.complete(missing, on_completion=store):
                if completion.prompt_id not in found:  # a backend that ignores on_completion
                    store(completion)
        return [found[r.prompt_id] for r in requests]

    def close(self) -> None:
        """Close the cache file and the inner backend (its connections), if it can be closed."""
        self.cache.close()
        getattr(self.inner, "close", lambda: None)()
