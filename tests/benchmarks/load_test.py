"""Load test of `synthner serve` on loopback, against in-process `nlp.pipe` on the same notes.

One run measures both, one after the other on the same machine:
1. in-process: a subprocess loads the pipeline (all cores for onnxruntime) and times
   `nlp.pipe` over the notes, batch by batch, for about `--baseline-seconds`;
2. HTTP: `synthner serve` starts in a subprocess; `--clients` concurrent clients (asyncio,
   one connection each) POST batches of `--docs-per-request` notes to /v1/extract for
   `--duration` seconds; the server's RSS is sampled from /proc every 0.5 s.

It prints requests/s, documents/s, p50/p95/p99 latency, errors (0 expected), the server's
peak RSS, and HTTP documents/s divided by in-process documents/s. The clients share the
machine's cores with the server, so that ratio includes their cost.

    python tests/benchmarks/load_test.py --model MODEL_DIR [--clients 8 --duration 60]

MODEL_DIR: an exported model folder (`synthner export`) or a pipeline folder (`synthner
package`). Notes: title + abstract of BioCreative CDR development documents from
../shared/data when present (read at run time, never copied), else sentences from
tests/factory.py. Every request is bounded in time and the run stops by itself.
"""

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parents[2]
CDR = ROOT.parent / "shared" / "data" / "bc5cdr" / "CDR_DevelopmentSet.PubTator.txt"
BLOCK_TORCH = "import sys; sys.modules['torch'] = None; sys.modules['transformers'] = None\n"
BASELINE = (
    BLOCK_TORCH
    + """
import json, sys, time
from synthner.spacy_component.loading import load_pipeline, synthner_component
notes, batch, seconds = json.load(open(sys.argv[1])), int(sys.argv[2]), float(sys.argv[3])
nlp = load_pipeline(sys.argv[4])
synthner_component(nlp)[1].load_tagger()
list(nlp.pipe(notes[:batch], batch_size=batch))  # warm-up
docs, first, started = 0, 0, time.perf_counter()
while time.perf_counter() - started < seconds:
    chunk = [notes[(first + i) % len(notes)] for i in range(batch)]
    docs += len(list(nlp.pipe(chunk, batch_size=batch)))
    first += batch
print(json.dumps({"docs": docs, "seconds": time.perf_counter() - started}))
"""
)
SERVE = BLOCK_TORCH + "from synthner.trainer.cli import app; app(prog_name='synthner')\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, required=True, help="exported model or pipeline folder")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--duration", type=float, default=60, help="seconds of HTTP load")
    parser.add_argument("--docs-per-request", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="the server's inference threads")
    parser.add_argument("--notes", type=int, default=200, help="distinct notes cycled through")
    parser.add_argument("--baseline-seconds", type=float, default=20)
    args = parser.parse_args()
    notes = load_notes(args.notes)
    load_before = os.getloadavg()[0]
    baseline = run_baseline(notes, args)
    port = free_port()
    # The server logs a line per request: a file, not a pipe nobody reads, takes them.
    with tempfile.TemporaryFile("w+") as log:
        server = start_server(args, port, log)
        try:
            wait_until_ready(port, server, log)
            load = asyncio.run(run_load(notes, args, port, server.pid))
        finally:
            server.terminate()
            server.wait(60)
    report(args, notes, baseline, load)
    # Other work on the machine skews every figure above: say how busy it was.
    print(f"1-minute load average: {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")


def load_notes(count: int) -> list[str]:
    """`count` notes: CDR titles + abstracts when the shared data is there, else factory sentences."""
    if CDR.is_file():
        notes, title = [], ""
        for line in CDR.read_text(encoding="utf-8").splitlines():
            parts = line.split("|", 2)
            if len(parts) == 3 and parts[1] == "t":
                title = parts[2]
            elif len(parts) == 3 and parts[1] == "a":
                notes.append(f"{title} {parts[2]}")
    else:
        sys.path.insert(0, str(ROOT))
        from tests.factory import ade_examples

        sentences = [example.text for example in ade_examples(count * 8, seed=5)]
        notes = [" ".join(sentences[i : i + 8]) for i in range(0, len(sentences), 8)]
    return (notes * (count // len(notes) + 1))[:count]


def run_baseline(notes: list[str], args: argparse.Namespace) -> dict:
    """Documents/s of in-process nlp.pipe (own process, torch blocked, default threads)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(notes, handle)
    try:
        command = [sys.executable, "-c", BASELINE, handle.name, str(args.docs_per_request),
                   str(args.baseline_seconds), str(args.model)]  # fmt: skip
        out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, timeout=900)
    finally:
        os.unlink(handle.name)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["docs_per_s"] = result["docs"] / result["seconds"]
    return result


def start_server(args: argparse.Namespace, port: int, log: IO[str]) -> subprocess.Popen:
    command = [sys.executable, "-c", SERVE, "serve", "--model", str(args.model),
               "--port", str(port), "--workers", str(args.workers)]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)


def wait_until_ready(port: int, server: subprocess.Popen, log: IO[str], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise SystemExit(f"the server exited with {server.returncode}:\n{log.read()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server was not ready within {timeout} s")


async def run_load(notes: list[str], args: argparse.Namespace, port: int, pid: int) -> dict:
    """Closed-loop clients: each sends its next batch as soon as the previous one is answered."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    rss_samples: list[float] = []
    per = args.docs_per_request
    limits = httpx.Limits(max_connections=args.clients)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30, limits=limits) as client:
        await asyncio.gather(*(client.post("/v1/extract", json=batch_body(notes, i, per)) for i in range(4)))
        deadline = time.perf_counter() + args.duration

        async def one_client(index: int) -> None:
            cursor = index * per
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    response = await client.post("/v1/extract", json=batch_body(notes, cursor, per))
                    ok = response.status_code == 200
                    key = str(response.status_code)
                except httpx.HTTPError as error:
                    ok, key = False, type(error).__name__
                if ok:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors[key] = errors.get(key, 0) + 1
                cursor += per * args.clients

        async def sample_rss() -> None:
            while time.perf_counter() < deadline:
                rss_samples.append(rss_mb(pid))
                await asyncio.sleep(0.5)

        started = time.perf_counter()
        await asyncio.gather(sample_rss(), *(one_client(i) for i in range(args.clients)))
        elapsed = time.perf_counter() - started
    return {"latencies": latencies, "errors": errors, "seconds": elapsed, "rss_mb": rss_samples}


def batch_body(notes: list[str], start: int, size: int) -> dict:
    docs = [{"id": str(start + i), "text": notes[(start + i) % len(notes)]} for i in range(size)]
    return {"documents": docs}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def report(args: argparse.Namespace, notes: list[str], baseline: dict, load: dict) -> None:
    latencies = sorted(load["latencies"])
    requests_per_s = len(latencies) / load["seconds"]
    docs_per_s = requests_per_s * args.docs_per_request
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else [float("nan")] * 99
    mean_chars = sum(map(len, notes)) / len(notes)
    print(f"machine: {os.cpu_count()} cores; notes: {len(notes)} distinct, mean {mean_chars:.0f} characters")
    print(f"server: {args.workers} inference workers; load: {args.clients} clients x "
          f"{args.docs_per_request} documents per request for {load['seconds']:.1f} s")  # fmt: skip
    print(f"requests/s: {requests_per_s:.2f}   documents/s: {docs_per_s:.2f}")
    print(f"latency ms: p50 {cuts[49] * 1000:.0f}   p95 {cuts[94] * 1000:.0f}   p99 {cuts[98] * 1000:.0f}")
    print(f"errors: {sum(load['errors'].values())} {load['errors'] or ''}")
    print(f"server RSS MB: peak {max(load['rss_mb'], default=0):.0f}   last {load['rss_mb'][-1]:.0f}")
    print(f"in-process nlp.pipe documents/s: {baseline['docs_per_s']:.2f} ({baseline['docs']} in "
          f"{baseline['seconds']:.1f} s, batches of {args.docs_per_request})")  # fmt: skip
    print(f"HTTP / in-process throughput: {docs_per_s / baseline['docs_per_s']:.2f}")


if __name__ == "__main__":
    main()
