"""Measurements under gunicorn: hey (Debian's HTTP load generator) on loopback, and workers' RSS."""

from __future__ import annotations

import csv
import io
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.load.harness import Budget, Client, Figures, Gunicorn, app_env

from .measure import percentile

HEY_TIMEOUT = 10  # seconds per request
# Flask-Login's strong session protection ties the session to the address and the user agent,
# and hey always sends its own ("hey/0.0.1", whatever -H says): the login presents the same.
HEY_USER_AGENT = "hey/0.0.1"


@contextmanager
def served(database_url: str, folder: Path, workers: int) -> Iterator[Gunicorn]:
    """gunicorn serving bench.wsgi on a free loopback port; stopped (its whole group) afterwards."""
    server = Gunicorn(
        app_env(database_url, folder), folder, workers=workers, app="bench.wsgi:create()"
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()


def session_cookie(server: Gunicorn, email: str, password: str, check: str) -> str:
    """Log in over HTTP; return the Cookie header, after checking that it opens `check`."""
    client = Client(server.base, Figures(), Budget(time.monotonic() + 60, 20))
    client.user_agent = HEY_USER_AGENT
    if not client.log_in(email, password):
        raise RuntimeError(f"could not log in to the benchmark server as {email}")
    if client.request("GET", check).status != 200:
        raise RuntimeError(f"logged in, but {check} does not answer 200")
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


@dataclass(frozen=True)
class Load:
    requests: int
    per_second: float
    p50_ms: float
    p95_ms: float
    not_ok: int  # answers other than 200 (each is a failure of the run)


def hey(server: Gunicorn, path: str, cookie: str, seconds: float, clients: int) -> Load:
    """Send GET path from `clients` concurrent clients for `seconds`; per-request times from CSV."""
    host, port = server.base
    done = subprocess.run(
        [
            "hey",
            "-z",
            f"{seconds}s",
            "-c",
            str(clients),
            "-t",
            str(HEY_TIMEOUT),
            "-disable-redirects",
            "-H",
            f"Cookie: {cookie}",
            "-o",
            "csv",
            f"http://{host}:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    if len(rows) < 2:
        raise RuntimeError(f"hey sent fewer than 2 requests to {path}: {done.stderr[-500:]}")
    times = [float(row["response-time"]) * 1000 for row in rows]
    not_ok = sum(row["status-code"] != "200" for row in rows)
    return Load(
        len(rows), len(rows) / seconds, percentile(times, 50), percentile(times, 95), not_ok
    )


def peak_rss_mb(server: Gunicorn) -> float:
    """The largest peak resident set (VmHWM) among the workers, in MB."""
    peaks = []
    for pid in server.worker_pids():
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    if not peaks:
        raise RuntimeError("no gunicorn worker found")
    return max(peaks)
