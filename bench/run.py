"""`make bench`: one table of the product's speed, each figure beside a floor from the same run.

For each database (SQLite, then the PostgreSQL server of scripts/with-postgres.sh) and each
register size (1,000, 10,000 and 100,000 incidents, seeded incrementally):
- latency p50/p95 and SQL queries per request of the dashboard, the incident list (plain, filtered,
  searched) and an incident page, in-process (Flask's test client, one request at a time), beside
  a Flask route that returns a constant string;
- the same pages under gunicorn (4 workers, the fragment cache on as deployed) with hey on
  loopback: latency with one client, and the dashboard's throughput with 8 clients beside the
  constant route's; each worker's peak RSS.
Then the deadline engine's throughput (one core) and the PDF render times of a 1-page and a 5-page
letter, cold and warm, beside WeasyPrint printing a minimal page.

    python -m bench.run [--sizes 1000,10000,100000] [--databases sqlite,postgresql] [--quick]

--quick seeds small registers and checks only that the queries per request do not grow with the
number of rows (the test suite runs the same check). The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import flask_migrate

from incident_tracker.app import create_app
from incident_tracker.extensions import db
from incident_tracker.ops import demo
from tests.load.harness import fresh_database

from . import measure, pdf, seed, served

TARGET_MS = 50.0
WORKERS = 4


@dataclass(frozen=True)
class Row:
    where: str
    measure: str
    value: str
    floor: str = ""
    target: str = ""
    met: bool | None = None


def main() -> int:
    options = _options()
    speeds = [_loop_ms()]
    rows: list[Row] = []
    counts: dict[tuple[str, str], set[int]] = {}
    letter_rounds = [] if options.quick else [pdf.warm_round()]
    for kind in options.databases:
        with _database(kind) as (url, folder):
            rows += _database_rows(kind, url, folder, options, counts)
        if not options.quick:
            letter_rounds.append(pdf.warm_round())
    rows += [_query_row(page, kind, found) for (kind, page), found in sorted(counts.items())]
    if not options.quick:
        rows += _engine_rows() + _pdf_rows(letter_rounds)
    speeds.append(_loop_ms())
    print(_table(rows, options, speeds))
    return 0 if all(row.met is not False for row in rows) else 1


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=60, help="in-process requests per page")
    parser.add_argument("--seconds", type=int, default=4, help="duration of each hey run")
    parser.add_argument("--quick", action="store_true", help="small registers, query counts only")
    options = parser.parse_args()
    options.sizes = [int(size) for size in options.sizes.split(",")]
    options.databases = options.databases.split(",")
    if options.quick:
        options.sizes, options.databases = [50, 500], ["sqlite"]
    return options


@contextmanager
def _database(kind: str) -> Iterator[tuple[str, Path]]:
    with tempfile.TemporaryDirectory(prefix="incident-tracker-bench-") as folder:
        if kind == "sqlite":
            yield f"sqlite:///{folder}/bench.sqlite", Path(folder)
            return
        if not os.environ.get("INCIDENT_TRACKER_TEST_DATABASE_URL"):
            raise SystemExit("PostgreSQL: run under scripts/with-postgres.sh (make bench does)")
        with fresh_database(Path(folder)) as (_kind, url):
            yield url, Path(folder)


def _database_rows(kind, url, folder, options, counts) -> list[Row]:
    os.environ["INCIDENT_TRACKER_SECRET_KEY"] = key = secrets.token_hex(32)
    config = {"SECRET_KEY": key, "DATABASE_URL": url, "INSTANCE_PATH": str(folder)}
    app = measure.add_floor_route(create_app(config))
    with app.app_context():
        flask_migrate.upgrade()
        _created, ((email, password), *_) = demo.load(datetime.now(UTC))
    email = email.replace("admin@", "commander@")  # the demo's users share one password
    rows = []
    for size in options.sizes:
        with app.app_context():
            seed.seed(size, datetime.now(UTC))
        where = f"{kind}, {size:,} incidents"
        client = measure.logged_in_client(app, email, password)
        paths = measure.pages(app)
        rows += _in_process_rows(app, client, paths, where, options, counts, kind)
        if not options.quick:
            rows += _served_rows(url, folder, (email, password), paths, where, options)
        print(f"measured {where}", file=sys.stderr)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return rows


def _in_process_rows(app, client, paths, where, options, counts, kind) -> list[Row]:
    repeat = 2 if options.quick else options.repeat
    rows = []
    for name, path, cached in _in_process_pages(paths):
        app.config["PAGE_CACHE_SIZE"] = 256 if cached else 0
        timing, floor = measure.time_beside_floor(app, client, path, repeat=repeat)
        if timing.status != 200:
            raise SystemExit(f"{path} answered {timing.status} on {where}")
        counts.setdefault((kind, name), set()).add(timing.queries)
        if not options.quick:
            rows.append(
                Row(
                    where,
                    f"{name}: p50 / p95 in-process",
                    _ms(timing),
                    _ms(floor),
                    f"p95 < {TARGET_MS:.0f} ms",
                    timing.p95_ms < TARGET_MS,
                )
            )
    return rows


CACHED = ("dashboard", "incident page")  # pages with a fragment cache (page_cache.py)
_CACHED_NOTE = " (cache on, views between changes)"  # on their gunicorn rows


def _in_process_pages(paths: dict[str, str]):
    """Every page with the fragment cache off (each view as if after a change, and the queries
    the rendering really costs), and the cached pages once more with it on."""
    for name, path in paths.items():
        yield (f"{name}, uncached" if name in CACHED else name), path, False
    for name in CACHED:
        yield f"{name}, cached (views between changes)", paths[name], True


def _served_rows(url, folder, login, paths, where, options) -> list[Row]:
    with served.served(url, folder, WORKERS) as server:
        cookie = served.session_cookie(server, *login, check="/")
        seconds = options.seconds
        for path in [measure.CONSTANT, *paths.values()]:  # every worker renders every page once
            served.hey(server, path, cookie, 1, clients=WORKERS)
        rows = []
        for name, path in paths.items():  # the floor just before each page: the machine's speed
            floor = served.hey(server, measure.CONSTANT, cookie, seconds / 2, clients=1)
            load = served.hey(server, path, cookie, seconds, clients=1)
            rows.append(
                Row(
                    where,
                    f"{name}{_CACHED_NOTE if name in CACHED else ''}: p50 / p95 gunicorn, 1 client",
                    _ms(load),
                    _ms(floor),
                    f"p95 < {TARGET_MS:.0f} ms",
                    load.p95_ms < TARGET_MS and not load.not_ok,
                )
            )
        constant = served.hey(server, measure.CONSTANT, cookie, seconds, clients=8)
        dashboard = served.hey(server, "/", cookie, seconds, clients=8)
        ratio = dashboard.per_second / constant.per_second
        rows.append(
            Row(
                where,
                "dashboard throughput, gunicorn, 8 clients",
                f"{dashboard.per_second:,.0f} req/s ({ratio:.1%})",
                f"{constant.per_second:,.0f} req/s",
                ">= 20 % of floor",
                ratio >= 0.2 and not dashboard.not_ok,
            )
        )
        rss = served.peak_rss_mb(server)
        rows.append(Row(where, "peak RSS per worker", f"{rss:.0f} MB", "", "< 300 MB", rss < 300))
    return rows


def _query_row(page: str, kind: str, found: set[int]) -> Row:
    return Row(
        kind,
        f"{page}: SQL queries per request at every size",
        ", ".join(map(str, sorted(found))),
        target="one count at every size",
        met=len(found) == 1,
    )


def _engine_rows() -> list[Row]:
    rate, per_run = measure.engine_throughput()
    floor = measure.obligation_floor()
    return [
        Row(
            "engine, one core",
            f"obligations per second ({per_run} per incident)",
            f"{rate:,.0f} ({rate / floor:.0%} of floor)",
            f"{floor:,.0f} (only constructing the results)",
            target=">= 50,000",
            met=rate >= 50_000,
        )
    ]


def _pdf_rows(letter_rounds: list[pdf.Round]) -> list[Row]:
    """The letters' rows. The 1-page letter's warm time is the fastest of its rounds (the start of
    the run, after each database, and now), all of them shown, beside that round's floor."""
    floor, one, five = (pdf.measure(which) for which in ("floor", "one_page", "five_pages"))
    rounds = [*letter_rounds, pdf.Round(one.warm_ms, floor.warm_ms)]
    best = min(rounds, key=lambda r: r.letter_ms)
    shown = ", ".join(f"{r.letter_ms:.0f}" for r in rounds)
    return [
        _pdf_row(one, best.letter_ms, f" (fastest of rounds {shown})", floor, best.floor_ms, 60.0),
        _pdf_row(five, five.warm_ms, "", floor, floor.warm_ms, None),
    ]


def _pdf_row(timing, warm_ms, note, floor, floor_warm_ms, target) -> Row:
    return Row(
        f"PDF, {timing.pages} page(s)",
        "cold / warm render",
        f"{timing.cold_ms:.0f} / {warm_ms:.0f} ms{note}",
        f"{floor.cold_ms:.0f} / {floor_warm_ms:.0f} ms",
        f"warm < {target:.0f} ms" if target else "",
        warm_ms < target if target else None,
    )


def _ms(timing) -> str:
    failed = getattr(timing, "not_ok", 0)
    return f"{timing.p50_ms:.1f} / {timing.p95_ms:.1f} ms" + (
        f" ({failed} not 200)" if failed else ""
    )


def _loop_ms() -> float:
    """A fixed pure-Python loop, timed: how fast the machine runs now (this VM's speed varies
    by up to 2x from one minute to the next; the floors move with it)."""
    start = time.perf_counter()
    total = 0
    for step in range(5_000_000):
        total += step
    return (time.perf_counter() - start) * 1000


def _table(rows: list[Row], options, speeds: list[float]) -> str:
    head = [
        f"incident_tracker benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "",
        "Machine speed: a 5,000,000-step Python loop took "
        + " ms at the start, ".join(f"{ms:.0f}" for ms in speeds)
        + " ms at the end.",
        "",
        "| where | measure | value | floor | target | met |",
        "|---|---|---|---|---|---|",
    ]
    marks = {True: "yes", False: "**NO**", None: ""}
    lines = [
        f"| {r.where} | {r.measure} | {r.value} | {r.floor} | {r.target} | {marks[r.met]} |"
        for r in rows
    ]
    return "\n".join(head + lines)


if __name__ == "__main__":
    sys.exit(main())
