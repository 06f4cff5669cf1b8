"""The quick mode of the benchmark: queries per request do not grow with the rows shown (no N+1).

The register is seeded with bench.seed (the same synthetic incidents `make bench` measures), at
two sizes ten times apart; every page must cost the same number of SQL statements at both.
"""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bench import measure, seed
from incident_tracker.extensions import db
from incident_tracker.models import Incident, Obligation
from incident_tracker.ops import demo

SMALL, LARGE = 30, 300


@pytest.fixture
def seeded(app):
    """Seed `size` synthetic incidents (incrementally); return a client logged in as commander.

    The dashboard's fragment cache is off, so that its queries are those of rendering it.
    """
    app.config["PAGE_CACHE_SIZE"] = 0
    with app.app_context():
        _created, ((email, password), *_) = demo.load(datetime.now(UTC))
    email = email.replace("admin@", "commander@")

    def to(size: int):
        with app.app_context():
            seed.seed(size, datetime.now(UTC))
        return measure.logged_in_client(app, email, password)

    yield to
    app.config["PAGE_CACHE_SIZE"] = 256


def _counts(app, client) -> dict[str, int]:
    return {
        name: measure.query_count(app, client, path) for name, path in measure.pages(app).items()
    }


def test_every_page_costs_the_same_queries_at_ten_times_the_rows(app, seeded):
    small = _counts(app, seeded(SMALL))
    large = _counts(app, seeded(LARGE))
    assert small == large
    assert max(large.values()) <= 15, large  # and few: a page is a handful of queries


def test_the_dashboard_really_shows_more_rows_at_the_larger_size(app, seeded):
    client = seeded(SMALL)
    rows_small = client.get("/").get_data(as_text=True).count("data-obligation=")
    client = seeded(LARGE)
    rows_large = client.get("/").get_data(as_text=True).count("data-obligation=")
    assert rows_large > rows_small  # the comparison above is not between two empty pages


def test_an_incident_page_costs_the_same_with_many_obligations_and_filings_or_few(app, seeded):
    client = seeded(SMALL)
    with app.app_context():
        by_size = (  # incidents with a filing, by their number of obligations
            select(Incident.reference, func.count(Obligation.id).label("n"))
            .join(Obligation)
            .where(Incident.obligations.any(Obligation.status == "submitted"))
            .where(Incident.title.like("Synthetic%"))  # alike but for their rows' numbers
            .group_by(Incident.id, Incident.reference)
            .order_by("n", Incident.id)
        )
        rows = db.session.execute(by_size).all()
    (fewest, low), (most, high) = rows[0], rows[-1]
    assert high >= low + 3
    assert measure.query_count(app, client, f"/incidents/{fewest}") == measure.query_count(
        app, client, f"/incidents/{most}"
    )


def test_the_seeded_register_keeps_the_audit_chain_intact(app, seeded):
    seeded(SMALL)
    from incident_tracker.audit import trail as audit

    with app.app_context():
        verdict = audit.verify()
    assert verdict.intact, verdict.message
