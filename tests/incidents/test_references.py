"""Incident references are unique and gapless per year, also when created concurrently."""

import threading

from incident_tracker.extensions import db
from incident_tracker.incidents.references import next_reference
from incident_tracker.models import Incident

WORKERS = 8
PER_WORKER = 5


def test_references_count_up_per_year(app_ctx):
    assert [next_reference(2026), next_reference(2026), next_reference(2027)] == [
        "INC-2026-0001",
        "INC-2026-0002",
        "INC-2027-0001",
    ]


def test_a_rolled_back_creation_gives_its_number_back(app_ctx):
    next_reference(2026)
    db.session.rollback()
    assert next_reference(2026) == "INC-2026-0001"


def _create_many(app, errors: list) -> None:
    with app.app_context():
        try:
            for _ in range(PER_WORKER):
                db.session.add(Incident(reference=next_reference(2026), title="concurrent"))
                db.session.commit()
        except Exception as error:  # collected and asserted in the test thread
            errors.append(error)
        finally:
            db.session.remove()


def test_concurrent_creation_gives_each_incident_its_own_number_without_gaps(app):
    errors: list = []
    threads = [threading.Thread(target=_create_many, args=(app, errors)) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with app.app_context():
        references = sorted(db.session.execute(db.select(Incident.reference)).scalars())
    expected = [f"INC-2026-{n:04d}" for n in range(1, WORKERS * PER_WORKER + 1)]
    assert references == expected
