"""The dashboard's rows, the pending obligations of live incidents, from one index on PostgreSQL.

"Its incident is not closed" is a fact of another table, so PostgreSQL's planner, which cannot
correlate two tables, took nearly every pending obligation for one of a closed incident and
misplanned the dashboard at 100,000 incidents (bench/RESULTS.md). Migration 0012 gives
PostgreSQL `obligation.incident_live`, kept by triggers in step with the incident's status, a
partial index of the pending obligations of live incidents and statistics on the pair. It lives
outside the ORM models, like the filter codes; SQLite plans the join well and keeps it.
"""

from sqlalchemy import Boolean, ColumnElement, literal_column

from ..extensions import db

COLUMN = "incident_live"
INDEX = "ix_obligation_live_pending"
LIVE: ColumnElement[bool] = literal_column(f"obligation.{COLUMN}", Boolean)


def indexed() -> bool:
    """Whether this database keeps the obligations' incident liveness (PostgreSQL, 0012)."""
    return db.engine.dialect.name == "postgresql"
