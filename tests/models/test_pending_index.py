"""PostgreSQL's copy of each obligation's incident liveness (migration 0012): kept by triggers in
step with the incident's status, whatever writes it, and read by the dashboard only there."""

import pytest
from sqlalchemy import insert, text, update
from sqlalchemy.exc import IntegrityError

from incident_tracker.extensions import db
from incident_tracker.models import Incident, Obligation, pending_index
from tests.helpers import utc

EXPECTED = """
SELECT obligation.id, incident.status <> 'closed'
FROM obligation JOIN incident ON incident.id = obligation.incident_id
"""


def _obligation(rule: str, jurisdiction: str = "DE", status: str = "open") -> Obligation:
    return Obligation(
        rule_id=rule,
        jurisdiction=jurisdiction,
        regime="gdpr",
        title=rule,
        recipient="The supervisory authority",
        basis="GDPR Art. 33(1)",
        anchor="aware_at",
        anchor_at=utc(2026, 3, 27, 17, 30),
        due_at=utc(2026, 3, 30, 17, 30),
        status=status,
    )


def _incident(number: int, status: str, *rules: str) -> Incident:
    incident = Incident(
        reference=f"INC-2026-{number:04d}",
        title=f"Incident {number}",
        status=status,
        obligations=[_obligation(rule) for rule in rules],
    )
    db.session.add(incident)
    return incident


def _row(incident_id: int) -> dict:
    row = {"incident_id": incident_id, "rule_id": "bulk", "jurisdiction": "FR", "regime": "gdpr"}
    return row | {"title": "t", "recipient": "r", "basis": "b", "anchor": "x", "status": "open"}


def _stored() -> dict[int, bool]:
    column = pending_index.COLUMN
    return dict(db.session.execute(text(f"SELECT id, {column} FROM obligation")).all())


def _not_kept() -> bool:
    if pending_index.indexed():
        return False
    assert db.engine.dialect.name == "sqlite"
    columns = db.session.execute(text("PRAGMA table_info(obligation)")).all()
    assert pending_index.COLUMN not in {column.name for column in columns}
    return True


def test_liveness_follows_every_writer(app_ctx):
    if _not_kept():
        return
    live = _incident(1, "open", "gdpr.a", "gdpr.b")
    closing = _incident(2, "contained", "gdpr.a")
    closed = _incident(3, "closed", "gdpr.a")
    db.session.commit()
    assert _stored() == {
        live.obligations[0].id: True,
        live.obligations[1].id: True,
        closing.obligations[0].id: True,
        closed.obligations[0].id: False,
    }
    closing.status = "closed"
    closed.status = "open"  # reopened
    closed.obligations.append(_obligation("gdpr.c"))  # in the same flush
    live.status = "contained"  # still live
    db.session.flush()
    db.session.execute(insert(Obligation), [_row(closing.id)])  # a bulk writer, not the ORM
    db.session.execute(update(Incident).where(Incident.id == live.id).values(status="closed"))
    db.session.commit()
    stored = _stored()
    assert stored == dict(db.session.execute(text(EXPECTED)).all())
    assert sorted(stored.values()) == [False] * 4 + [True] * 2


def test_a_failed_write_leaves_the_liveness_as_it_was(app_ctx):
    if _not_kept():
        return
    incident = _incident(4, "open", "gdpr.a")
    db.session.commit()
    incident.status = "closed"
    db.session.flush()
    assert list(_stored().values()) == [False]
    db.session.rollback()
    assert list(_stored().values()) == [True]


def test_an_obligation_of_no_incident_is_refused_by_its_foreign_key(app_ctx):
    if _not_kept():
        return
    with pytest.raises(IntegrityError, match="fk_obligation_incident_id_incident"):
        db.session.execute(insert(Obligation), [_row(999_999)])
    db.session.rollback()
