"""What a reader does with a bad record: raise at once, or skip it and count it."""

from collections import Counter

from synthner.trainer.corpus.example import CorpusError


class InvalidRecords:
    """Collects bad records when skipping is allowed; otherwise re-raises the first one."""

    def __init__(self, skip_invalid: bool = False) -> None:
        self.skip_invalid = skip_invalid
        self.errors: list[CorpusError] = []

    def report(self, error: CorpusError) -> None:
        """Raise `error`, or record it and let the reader go on with the next record."""
        if not self.skip_invalid:
            raise error
        self.errors.append(error)

    def counts(self) -> Counter[str]:
        """Skipped records per source file."""
        return Counter(error.source or "<input>" for error in self.errors)
