"""A page view's transaction ends with COMMIT when it wrote nothing, so PostgreSQL keeps its plans.

psycopg prepares a statement on the server once it has run five times on a connection, and drops
every prepared statement on ROLLBACK (a rolled-back transaction may have created what they refer
to). Flask-SQLAlchemy ends each request by rolling back, so a page's statements were parsed and
planned afresh on every view: about 0.5 ms of the server's time for each of an incident page's
nine queries (bench/RESULTS.md). Committing a transaction that wrote nothing is the same as
rolling it back, and keeps them.

Only a GET or HEAD that raised nothing, whose transaction neither flushed nor ran a statement
other than a SELECT and that holds no unflushed change, is committed; everything else is still
rolled back by Flask-SQLAlchemy, so a refused form never half-saves.
"""

import logging

from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from .extensions import db

WROTE = "incident_tracker.wrote"  # in Session.info: the open transaction has written
READS = frozenset({"GET", "HEAD"})
log = logging.getLogger(__name__)


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if not state.is_select:  # INSERT, UPDATE, DELETE, or text the ORM cannot see into
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(WROTE, None)


def wrote_nothing(session: Session) -> bool:
    """The session's open transaction has written nothing and holds no change to flush."""
    pending = session.new or session.dirty or session.deleted
    return session.in_transaction() and not session.info.get(WROTE) and not pending


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
