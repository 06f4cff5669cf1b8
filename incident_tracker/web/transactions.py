"""A page view's transaction ends with COMMIT when it wrote nothing, so PostgreSQL keeps its plans.

psycopg prepares a statement on the server once it has run five times on a connection, and drops
every prepared statement on ROLLBACK (a rolled-back transaction may have created what they refer
to). Flask-SQLAlchemy ends each request by rolling back, so a page's statements were parsed and
planned afresh on every view: about 0.5 ms of the server's time for each of an incident page's
nine queries (bench/RESULTS.md). Committing a transaction that wrote nothing is the same as
rolling it back, and keeps them.

Only a GET or HEAD that raised nothing, whose transaction ran no statement but SELECTs (a flush's
INSERT or UPDATE counts, however it was sent) and that holds no unflushed change, is committed;
everything else is still rolled back by Flask-SQLAlchemy, so a refused form never half-saves.
"""

import logging

from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..extensions import db

WROTE = "incident_tracker.wrote"  # in a connection's info: its open transaction has written
READS = frozenset({"GET", "HEAD"})
log = logging.getLogger(__name__)


@event.listens_for(Engine, "before_cursor_execute")
def _executing(connection, _cursor, statement: str, _parameters, _context, _many) -> None:
    """Every statement but a plain SELECT counts as a write: the ORM's flushes, statements run
    through the session or on its connection, and anything the check cannot see into."""
    if statement.lstrip()[:6].upper() != "SELECT":
        connection.info[WROTE] = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _ended(connection) -> None:
    connection.info.pop(WROTE, None)


def wrote_nothing(session: Session) -> bool:
    """The session's open transaction has written nothing and holds no change to flush."""
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return False
    return not session.connection().info.get(WROTE)


def init_app(app: Flask) -> None:
    """Commit read-only page views at the request's end, before Flask-SQLAlchemy removes the
    session with the application context."""
    app.teardown_request(_commit_reads)


def _commit_reads(error: BaseException | None) -> None:
    if error is not None or request.method not in READS or not db.session.registry.has():
        return
    session = db.session()
    if not wrote_nothing(session):
        return
    try:
        session.commit()
    except SQLAlchemyError:  # nothing was written; Flask-SQLAlchemy rolls back next
        log.warning("a read-only transaction could not be committed", exc_info=True)
