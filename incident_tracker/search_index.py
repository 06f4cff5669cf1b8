"""Substring search over incident references and titles, served by an index on both databases.

A plain ``LIKE '%term%'`` reads every incident: at 100,000 incidents that is most of a page's time
budget. Migration 0006 adds trigram indexes instead, kept outside the ORM models:
- SQLite: an FTS5 table with the trigram tokenizer (``incident_search``, external content on
  ``incident``, kept in step by triggers); a quoted phrase matches any substring of three
  characters or more, case-insensitively.
- PostgreSQL: ``pg_trgm`` GIN indexes on ``incident.title`` and ``incident.reference``, which
  the planner uses for ``ILIKE '%term%'`` directly.
Terms shorter than three characters (no trigram) fall back to scanning, like before.
"""

from sqlalchemy import ColumnElement, or_, select, table, text

from .extensions import db
from .models import Incident

SEARCH_TABLE = "incident_search"  # SQLite's FTS5 table and its shadow tables share this prefix
TRIGRAM = 3


def modelled(name: str | None, type_: str, _parents=None) -> bool:
    """For Alembic's comparison: the search structures are not part of the ORM models."""
    return not (name or "").startswith((SEARCH_TABLE, "ix_incident_trgm_"))


def matching(term: str) -> ColumnElement[bool]:
    """The condition "the reference or the title contains `term`", ignoring case."""
    if len(term) >= TRIGRAM and db.engine.dialect.name == "sqlite":
        phrase = '"' + term.replace('"', '""') + '"'
        found = (
            select(text("rowid"))
            .select_from(table(SEARCH_TABLE))
            .where(text(f"{SEARCH_TABLE} MATCH :phrase").bindparams(phrase=phrase))
        )
        return Incident.id.in_(found)
    pattern = f"%{_escape_like(term)}%"
    return or_(
        Incident.reference.ilike(pattern, escape="\\"),
        Incident.title.ilike(pattern, escape="\\"),
    )


def _escape_like(text_: str) -> str:
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
