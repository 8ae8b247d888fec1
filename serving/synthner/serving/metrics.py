"""Prometheus metrics in a registry of the app's own (never the process-wide default).

Counts, sizes and timings only: no label ever holds text from a request.
"""

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128)


class Metrics:
    """The service's counters and histograms."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "synthner_requests", "HTTP requests answered.", ["method", "route", "status"], registry=r
        )
        self.latency = Histogram(
            "synthner_request_duration_seconds",
            "Time to answer an HTTP request.",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.documents = Counter("synthner_documents", "Documents tagged.", registry=r)
        self.tokens = Counter("synthner_tokens", "spaCy tokens in the documents tagged.", registry=r)
        self.unaligned = Counter(
            "synthner_unaligned_predictions",
            "Predictions that matched no token range (not returned).",
            registry=r,
        )
        self.entities = Counter("synthner_entities", "Entities found, by label.", ["label"], registry=r)
        self.batch_docs = Histogram(
            "synthner_batch_documents",
            "Documents per micro-batch (one nlp.pipe).",
            buckets=BATCH_BUCKETS,
            registry=r,
        )
        self.inference = Histogram(
            "synthner_batch_duration_seconds",
            "Time of one micro-batch's nlp.pipe.",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.pending = Gauge("synthner_pending_documents", "Documents queued or being tagged.", registry=r)
        self.rejected = Counter(
            "synthner_overload_rejections", "Requests answered 503 because the queue was full.", registry=r
        )

    def exposition(self) -> bytes:
        """All metrics in the Prometheus text format."""
        return generate_latest(self.registry)
