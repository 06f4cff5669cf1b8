"""Incident references INC-YYYY-NNNN: unique and without gaps within a year; finding one."""

from flask import abort
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Incident, ReferenceCounter

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def next_reference(year: int) -> str:
    """Allocate the next reference inside the caller's transaction.

    The counter row is locked by the UPDATE until the transaction ends, so concurrent creators
    wait for each other; a transaction that rolls back gives its number back, so there are no gaps.
    """
    insert = _INSERTS[db.session.get_bind().dialect.name]
    db.session.execute(
        insert(ReferenceCounter).values(year=year, last_number=0).on_conflict_do_nothing()
    )
    number = db.session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.year == year)
        .values(last_number=ReferenceCounter.last_number + 1)
        .returning(ReferenceCounter.last_number)
    ).scalar_one()
    return f"INC-{year}-{number:04d}"


def incident_or_404(reference: str, for_update: bool = False, options=()) -> Incident:
    """The incident with this reference, or 404; its row locked (on PostgreSQL) when the request
    will change it, and `options` (loader options) applied."""
    statement = db.select(Incident).filter_by(reference=reference).options(*options)
    if for_update:
        statement = statement.with_for_update()
    incident = db.session.execute(statement).scalar_one_or_none()
    if incident is None:
        abort(404)
    return incident
