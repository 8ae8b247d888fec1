"""An append-only output file that a killed run can resume without duplicating or losing records.

Each record is appended to OUTPUT, then its id and OUTPUT's size after it are appended to
OUTPUT.done as one JSON line `[size, id]`. On reopening, OUTPUT is cut back to the size in
the last complete line of OUTPUT.done: a record that was written but not yet listed (the
run died in between) is removed and tagged again, and a torn last line of either file is
dropped. So the listed ids are exactly the records in OUTPUT, each once.
"""

import json
from pathlib import Path
from typing import BinaryIO


class ResumeError(RuntimeError):
    """An existing output cannot be resumed safely."""


class CheckpointedFile:
    """OUTPUT plus its OUTPUT.done list, opened for appending after cutting back whatever the
    last run left unfinished; `done` holds the ids already written. `header` starts a new file."""

    def __init__(self, path: Path, header: bytes = b"") -> None:
        self.path = Path(path)
        self.done_path = self.path.with_name(self.path.name + ".done")
        self.done: set[str] = set()
        if self.path.exists() and not self.done_path.exists():
            raise ResumeError(
                f"{self.path} exists but {self.done_path.name} does not, so it was not written by "
                "synthner tag; remove it or choose another output"
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        size = self.path.stat().st_size if self.path.exists() else 0
        keep_log, keep_out = self._read_log(size)
        self._out = _open_cut(self.path, keep_out)
        self._log = _open_cut(self.done_path, keep_log)
        if keep_out == 0 and header:
            self._append(header, None)

    def _read_log(self, size: int) -> tuple[int, int]:
        """(bytes of OUTPUT.done to keep, bytes of OUTPUT to keep), filling `done`."""
        keep_log = keep_out = 0
        if not self.done_path.exists():
            return keep_log, keep_out
        with open(self.done_path, "rb") as log:
            for line in log:
                try:
                    offset, record_id = json.loads(line)
                except (ValueError, TypeError):
                    break  # a torn last line: the run died while listing this record
                if not line.endswith(b"\n") or offset > size:
                    break
                keep_log += len(line)
                keep_out = offset
                if record_id is not None:
                    self.done.add(record_id)
        return keep_log, keep_out

    def write(self, record_id: str, data: bytes) -> None:
        """Append one record and list its id."""
        self._append(data, record_id)
        self.done.add(record_id)

    def _append(self, data: bytes, record_id: str | None) -> None:
        self._out.write(data)
        self._out.flush()
        entry = json.dumps([self._out.tell(), record_id], ensure_ascii=False) + "\n"
        self._log.write(entry.encode("utf-8"))
        self._log.flush()

    def close(self) -> None:
        self._out.close()
        self._log.close()


def _open_cut(path: Path, size: int) -> BinaryIO:
    """`path` opened for appending after its first `size` bytes (created when missing)."""
    handle = open(path, "r+b" if path.exists() else "w+b")
    handle.truncate(size)
    handle.seek(size)
    return handle
