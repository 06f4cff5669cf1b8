"""In-process measurements: page latency, SQL queries per request, the engine's throughput."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import event, func, select

from incident_tracker.core import engine
from incident_tracker.core.facts import Facts
from incident_tracker.core.facts import Organization as OrganizationFacts
from incident_tracker.extensions import db
from incident_tracker.models import Incident, Obligation
from tests.load.harness import csrf_token

CONSTANT = "/_bench/constant"  # the floor: a route returning a constant string (bench.wsgi)


def add_floor_route(app: Flask) -> Flask:
    """The floor every page is compared with: Flask answering a constant string, no login."""
    app.add_url_rule(CONSTANT, "bench_constant", lambda: "ok")
    return app


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by the inclusive method; needs two values or more."""
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


@dataclass(frozen=True)
class Timing:
    p50_ms: float
    p95_ms: float
    queries: int  # SQL statements per request (the most seen)
    status: int


@contextmanager
def counting_queries(app: Flask) -> Iterator[list[int]]:
    """Count the SQL statements the app's engine executes while the block runs."""
    with app.app_context():
        target = db.engine
    counter = [0]

    def count(*_args) -> None:
        counter[0] += 1

    event.listen(target, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(target, "before_cursor_execute", count)


def logged_in_client(app: Flask, email: str, password: str):
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    answer = client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(page)},
    )
    if answer.status_code != 302:
        raise RuntimeError(f"could not log in as {email}: {answer.status_code}")
    return client


def time_page(app: Flask, client, path: str, repeat: int, warmup: int = 3) -> Timing:
    """Latency percentiles and queries per request of GET path, one request at a time."""
    return time_beside_floor(app, client, path, repeat, warmup, floor=None)[0]


def time_beside_floor(
    app: Flask, client, path: str, repeat: int, warmup: int = 3, floor: str | None = CONSTANT
) -> tuple[Timing, Timing | None]:
    """GET path timed as in time_page, and the floor route in turn with it (one request of each,
    alternately): the floor then shows how fast the machine ran in the same seconds.

    After the warm-up the objects alive are frozen out of garbage collection, as each gunicorn
    worker freezes its own after warming up (incident_tracker/ops/gunicorn_config.py); without it a
    full collection walks the whole heap (the app and what this process kept from seeding): one
    in about 60 incident pages on PostgreSQL took 103 ms.

    The queries reported are the median of the requests' counts: a cached page renders again
    when the minute turns (its countdowns), which its timings include but its usual count not.
    """
    for _ in range(warmup):
        client.get(path)
    times, floors, queries, status = [], [], [], 0
    gc.collect()
    gc.freeze()
    with counting_queries(app) as counter, _unfreezing():
        for _ in range(repeat):
            if floor:
                floors.append(_request_ms(client, floor))
            before = counter[0]
            start = time.perf_counter()
            response = client.get(path)
            response.get_data()
            times.append((time.perf_counter() - start) * 1000)
            queries.append(counter[0] - before)
            status = response.status_code
    page = Timing(
        percentile(times, 50), percentile(times, 95), statistics.median_low(queries), status
    )
    beside = Timing(percentile(floors, 50), percentile(floors, 95), 0, 200) if floor else None
    return page, beside


@contextmanager
def _unfreezing() -> Iterator[None]:
    try:
        yield
    finally:
        gc.unfreeze()


def _request_ms(client, path: str) -> float:
    start = time.perf_counter()
    client.get(path).get_data()
    return (time.perf_counter() - start) * 1000


def query_count(app: Flask, client, path: str) -> int:
    """SQL statements of one GET path (after a warm-up request)."""
    return time_page(app, client, path, repeat=2, warmup=1).queries


def pages(app: Flask) -> dict[str, str]:
    """The pages measured: the dashboard, the incident list plain, filtered and searched, and the
    page of the live incident with the most obligations."""
    with app.app_context():
        reference = db.session.scalar(
            select(Incident.reference)
            .join(Obligation)
            .where(Incident.status != "closed")
            .group_by(Incident.id, Incident.reference)
            .order_by(func.count(Obligation.id).desc(), Incident.id)
            .limit(1)
        )
    return {
        "dashboard": "/",
        "incident list": "/incidents/",
        "list, filtered": "/incidents/?status=closed&jurisdiction=DE&category=identity_documents",
        "list, searched": "/incidents/?q=ransomware",
        "incident page": f"/incidents/{reference}",
    }


def engine_throughput(seconds: float = 3.0) -> tuple[float, int]:
    """Obligations computed per second on one core, over varied facts; and how many per run."""
    variants = list(_facts_variants())
    for facts in variants:  # warm-up: the holiday calendars are imported on first use
        engine.compute(facts)
    computed, runs = 0, 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for facts in variants:
            computed += len(engine.compute(facts).obligations)
            runs += 1
    elapsed = time.perf_counter() - start
    return computed / elapsed, round(computed / runs)


def obligation_floor(seconds: float = 1.0) -> float:
    """The floor of any engine: constructing its output values (engine.Obligation) per second."""
    due = datetime(2026, 3, 30, 16, 30, tzinfo=UTC)
    made, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(1000):
            engine.Obligation(
                id="gdpr.sa_notification",
                jurisdiction="IE",
                recipient="DPC",
                title="t",
                regime="gdpr",
                due_at=due,
                status=engine.Status.OPEN,
                basis="Art. 33(1)",
                anchor="aware_at",
                anchor_at=due,
                starts_when=None,
                submitted_at=None,
                relief=None,
            )
        made += 1000
    return made / (time.perf_counter() - start)


def _facts_variants() -> Iterator[Facts]:
    """Facts of several shapes: EU controller with NIS2 and DORA duties, a US registrant, ..."""
    aware = datetime(2026, 3, 27, 16, 30, tzinfo=UTC)
    organizations = (
        OrganizationFacts(
            country="IE",
            timezone="Europe/Dublin",
            gdpr_role="controller",
            eu_main_establishment="IE",
            nis2="important",
        ),
        OrganizationFacts(
            country="DE",
            timezone="Europe/Berlin",
            gdpr_role="processor",
            nis2="essential",
            dora="credit_institution",
        ),
        OrganizationFacts(
            country="US", timezone="America/New_York", sec_registrant=True, hipaa="covered_entity"
        ),
    )
    places = (
        {"IE": 1200, "DE": 40, "FR": 7},
        {"US-CA": 610, "US-NY": 1200, "US-TX": 80, "US-FL": 3, "GB": 12},
        {"DE": 50_000, "AT": 300, "US-MA": 501},
    )
    for organization in organizations:
        for affected in places:
            for risk in ("risk", "high"):
                yield Facts(
                    organization=organization,
                    personal_data_breach=True,
                    gdpr_risk=risk,
                    nis2_significant=True,
                    phi_breach=organization.hipaa is not None,
                    aware_at=aware,
                    discovered_at=aware - timedelta(hours=9),
                    dora_classified_major_at=aware + timedelta(hours=3),
                    sec_materiality_determined_at=aware + timedelta(days=2),
                    affected=affected,
                )
