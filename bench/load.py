"""Load on the production server: `crimeplan serve` over one year of real police.uk data.

Starts gunicorn through `crimeplan serve` on loopback, against a fresh CRIMEPLAN_HOME loaded
with the real Essex files in ../shared/data/policeuk (2024-01..2025-06: the ten months there
are of the latest two years), the geography and the example plans; then asks for a public
hotspot district page, a measure page and a hotspot API call in turn, and prints requests/s,
p50/p95/p99 latency and errors for

  (a) 20 closed-loop clients for --seconds (default 60), and
  (b) an open-loop rate of 50 requests/s for --seconds (latency counted from when each request
      was due, so a stalled server is not hidden by clients that wait for it),

each without and then with an ingest running (the 2018 files loaded again and again into the
same store). Goal: 0 errors in all four; p95 under 100 ms in (b) without the ingest.

Clients keep one keep-alive connection each, as browsers do, and like browsers (RFC 9112
section 9.3.1) send a GET again once on a new connection when the server closed an idle reused
one just as the request went out; those retries are counted and printed, never hidden. Then
(c) 150 distinct anonymous hotspot queries (district x cell size x crime type), printing the
workers' resident memory before and after: the analysis cache is bounded, so it must not grow
without limit.
Loopback only, bounded in time (4 x --seconds plus set-up) and in requests.

    .venv/bin/python bench/load.py [--seconds 60] [--workers 2] [--home DIR]
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CRIMEPLAN_SHARED_DATA", REPO.parent / "shared" / "data"))
CLI = [sys.executable, "-m", "crimeplan.cli"]
HOST = "127.0.0.1"
PCP = "essex-police-and-crime-plan-2016-2020"
PATHS = [
    "/hotspots/E07000070/",
    f"/plans/{PCP}/measures/burglary/",
    "/api/hotspots/E07000070/?type=Burglary&from=2025-01&to=2025-06&cell=250",
]
SERVED_MONTHS = [f"2024-0{m}" for m in range(1, 5)] + [f"2025-0{m}" for m in range(1, 7)]
INGEST_MONTHS = [f"2018-0{m}" for m in range(1, 8)]
CLOSED_CLIENTS = 20
OPEN_RATE = 50
MAX_REQUESTS = 100_000  # a bound whatever the server's speed


RETRY_ON_REUSED = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
DISTRICTS = [f"E070000{n}" for n in range(66, 78)] + ["E06000033", "E06000034"]
CELLS = [200, 250, 300, 400, 500, 750]
TYPES = ["Burglary", "Vehicle crime"]
DISTINCT_QUERIES = 150


@dataclass
class Run:
    name: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, latency: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(latency)
            if error:
                self.errors[error] = self.errors.get(error, 0) + 1

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] * 1000

    def line(self) -> str:
        n = len(self.latencies)
        errors = sum(self.errors.values())
        detail = ", ".join(f"{k} x{v}" for k, v in sorted(self.errors.items()))
        return (
            f"{self.name:<40} {n / self.seconds:8.1f} {self.percentile(50):8.1f} "
            f"{self.percentile(95):8.1f} {self.percentile(99):8.1f} {errors:7d} {self.retries:8d}"
            + (f"   ({detail})" if detail else "")
        )


def environment(home: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        CRIMEPLAN_HOME=str(home),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
    )
    return env


def run_cli(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([*CLI, *args], env=env, cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"crimeplan {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def prepare(env: dict[str, str]) -> float:
    started = time.perf_counter()
    policeuk = SHARED / "policeuk"
    run_cli(env, "manage", "migrate", "-v0")
    run_cli(env, "ingest", "geography")
    run_cli(env, "ingest", "policeuk", *[str(policeuk / m) for m in SERVED_MONTHS])
    for plan in sorted((REPO / "examples" / "plans").glob("*.yaml")):
        run_cli(env, "plan", "import", str(plan))
    run_cli(env, "measures", "compute")
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def server(env: dict[str, str], port: int, workers: int) -> Iterator[subprocess.Popen]:
    command = [*CLI, "serve", "--bind", f"{HOST}:{port}", "--workers", str(workers)]
    log = tempfile.TemporaryFile("w+")  # read at the end: a pipe nobody reads could fill
    process = subprocess.Popen(
        command,
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
        start_new_session=True,
    )
    process.log = log  # type: ignore[attr-defined]
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _ = get(port, "/")
                if status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None:
                log.seek(0)
                raise SystemExit(f"crimeplan serve stopped:\n{log.read()}")
            if time.monotonic() > deadline:
                raise SystemExit("crimeplan serve did not answer within 90 s")
            time.sleep(0.3)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


_local = threading.local()


def get(port: int, path: str, run: Run | None = None) -> tuple[int, bytes]:
    """GET over this thread's keep-alive connection (one per client, as a browser holds). When
    a reused connection was closed by the server before any answer came, the GET is sent once
    more on a new connection and counted in ``run.retries``; a failure on a new connection is
    an error."""
    connection = getattr(_local, "connection", None)
    reused = connection is not None
    if connection is None:
        connection = _local.connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException) as exc:
        connection.close()
        _local.connection = None
        if reused and isinstance(exc, RETRY_ON_REUSED):
            if run is not None:
                with run.lock:
                    run.retries += 1
            return get(port, path, run)
        raise


def one(port: int, path: str, run: Run | None = None) -> str | None:
    try:
        status, _ = get(port, path, run)
    except (OSError, http.client.HTTPException) as exc:
        return type(exc).__name__
    return None if status == 200 else f"HTTP {status} {path.split('?')[0]}"


def worker_rss_mib(master: int) -> dict[int, float]:
    """Resident memory of each gunicorn worker (the serve process's children), in MiB."""
    found: dict[int, float] = {}
    for task in Path(f"/proc/{master}/task").iterdir():
        for child in (task / "children").read_text().split():
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    found[int(child)] = int(line.split()[1]) / 1024
    return found


def distinct_queries(port: int, master: int) -> str:
    """(c): 150 distinct uncached hotspot district pages, one at a time."""
    queries = [
        f"/hotspots/{code}/?type={kind.replace(' ', '+')}&cell={cell}"
        for cell in CELLS
        for kind in TYPES
        for code in DISTRICTS
    ][:DISTINCT_QUERIES]
    before = worker_rss_mib(master)
    run = Run(f"(c) {len(queries)} distinct hotspot queries")
    started = time.perf_counter()
    for path in queries:
        t = time.perf_counter()
        error = one(port, path, run)
        run.record(time.perf_counter() - t, error)
    run.seconds = time.perf_counter() - started
    after = worker_rss_mib(master)
    return (
        run.line()
        + f"\n    worker memory (MiB) before: {', '.join(f'{v:.0f}' for v in before.values())}; "
        f"after: {', '.join(f'{after.get(k, 0):.0f}' for k in before)}"
        + ("; a worker was replaced" if set(after) != set(before) else "")
    )


def closed_loop(port: int, seconds: float, name: str) -> Run:
    run = Run(name)
    stop = time.perf_counter() + seconds
    count = iter(range(MAX_REQUESTS))

    def client(k: int) -> None:
        i = k
        while time.perf_counter() < stop and next(count, None) is not None:
            started = time.perf_counter()
            error = one(port, PATHS[i % len(PATHS)], run)
            run.record(time.perf_counter() - started, error)
            i += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLOSED_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - started
    return run


def open_loop(port: int, seconds: float, name: str) -> Run:
    run = Run(name)
    total = min(int(seconds * OPEN_RATE), MAX_REQUESTS)
    started = time.perf_counter()

    def fire(i: int) -> None:
        due = started + i / OPEN_RATE
        error = one(port, PATHS[i % len(PATHS)], run)
        run.record(time.perf_counter() - due, error)  # from when it was due

    with ThreadPoolExecutor(max_workers=200) as pool:
        for i in range(total):
            delay = started + i / OPEN_RATE - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(fire, i)
    run.seconds = time.perf_counter() - started
    return run


@contextmanager
def ingest_running(env: dict[str, str]) -> Iterator[list[int]]:
    """Load the 2018 files into the served store again and again until the block ends."""
    stop = threading.Event()
    loads: list[int] = []
    files = [str(SHARED / "policeuk" / m) for m in INGEST_MONTHS]

    def loop() -> None:
        while not stop.is_set():
            result = subprocess.run(
                [*CLI, "ingest", "policeuk", *files], env=env, cwd=REPO, capture_output=True
            )
            loads.append(result.returncode)

    thread = threading.Thread(target=loop)
    thread.start()
    try:
        yield loads
    finally:
        stop.set()
        thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--home", type=Path, help="CRIMEPLAN_HOME to build (default: a temp dir)")
    args = parser.parse_args()
    if not (SHARED / "policeuk" / SERVED_MONTHS[0]).is_dir():
        raise SystemExit(f"real data not found at {SHARED} (set CRIMEPLAN_SHARED_DATA)")
    home = args.home or Path(tempfile.mkdtemp(prefix="crimeplan-load-"))
    env = environment(home)
    try:
        setup_s = prepare(env)
        port = free_port()
        print(
            f"set-up (migrate, geography, {len(SERVED_MONTHS)} months, plans, measures): "
            f"{setup_s:.0f} s; crimeplan serve --workers {args.workers} on {HOST}:{port}"
        )
        with server(env, port, args.workers) as process:
            for path in PATHS:  # the first, uncached, answer of each
                started = time.perf_counter()
                error = one(port, path)
                print(
                    f"  first answer {path.split('?')[0]}: "
                    f"{(time.perf_counter() - started) * 1000:.0f} ms {error or 'ok'}"
                )
            runs = [
                closed_loop(port, args.seconds, f"(a) {CLOSED_CLIENTS} clients, closed loop"),
                open_loop(port, args.seconds, f"(b) {OPEN_RATE} requests/s, open loop"),
            ]
            with ingest_running(env) as loads:
                runs.append(closed_loop(port, args.seconds, "(a) closed loop + ingest"))
                runs.append(open_loop(port, args.seconds, "(b) open loop + ingest"))
            memory = distinct_queries(port, process.pid)
            process.log.seek(0)  # type: ignore[attr-defined]
            server_log = process.log.read().splitlines()  # type: ignore[attr-defined]
        print(
            f"\n{'run':<40} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} "
            f"{'retried':>8}"
        )
        for run in runs:
            print(run.line())
        print(memory)
        print(f"server log: {len(server_log)} lines")
        for line in server_log[-20:]:
            print(f"    {line}")
        print(
            f"ingests completed during the ingest runs: {len(loads)} "
            f"(exit codes {sorted(set(loads))})"
        )
        for plain, loaded in ((runs[0], runs[2]), (runs[1], runs[3])):
            print(
                f"{loaded.name}: p95 {loaded.percentile(95) / plain.percentile(95):.2f}x "
                f"the run without ingest"
            )
        goal = runs[1].percentile(95) < 100 and all(not r.errors for r in runs)
        print(
            f"goal (0 errors in all four, p95 < 100 ms in (b) without ingest): "
            f"{'met' if goal else 'NOT met'}"
        )
    finally:
        if args.home is None:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
