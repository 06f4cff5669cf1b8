"""Incident references INC-YYYY-NNNN: unique and without gaps within a year."""

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from .extensions import db
from .models import ReferenceCounter

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
