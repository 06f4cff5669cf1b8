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

from sqlalchemy import ColumnElement, Select, column, or_, select, table, text

from ..extensions import db
from . import Incident, filter_index, pending_index

SEARCH_TABLE = "incident_search"  # SQLite's FTS5 table and its shadow tables share this prefix
TRIGRAM = 3
_SEARCH = table(SEARCH_TABLE, column("rowid"))


def modelled(name: str | None, type_: str, _parents=None) -> bool:
    """For Alembic's comparison: the search and filter structures are not part of the models."""
    if name in (filter_index.COLUMN, filter_index.INDEX, pending_index.COLUMN, pending_index.INDEX):
        return False
    return not (name or "").startswith((SEARCH_TABLE, "ix_incident_trgm_"))


def matching(term: str, *, in_index_order: bool = False) -> ColumnElement[bool]:
    """The condition "the reference or the title contains `term`", ignoring case.

    With `in_index_order`, for a page read in the order of an index: on SQLite the matches are
    gathered once and the incidents read in that index's order until the page is full, instead
    of reading every match and sorting them (the id wrapped in `+ 0` keeps SQLite off the primary
    key: 32 -> 12 ms for 8,000 matches at 100,000 incidents; bench/RESULTS.md).
    """
    if _indexed(term):
        key = Incident.id + 0 if in_index_order else Incident.id
        return key.in_(select(text("rowid")).select_from(_SEARCH).where(_match(term)))
    pattern = f"%{_escape_like(term)}%"
    return or_(
        Incident.reference.ilike(pattern, escape="\\"),
        Incident.title.ilike(pattern, escape="\\"),
    )


def narrowed(stmt: Select, term: str) -> Select:
    """`stmt`, selecting from incident, kept to the incidents matching `term`, for counting.

    On SQLite the search table is joined and read first, so a count with a LIMIT stops after
    that many matches (14 -> 2 ms at 100,000 incidents); `matching` would gather them all first.
    """
    if _indexed(term):
        return stmt.join(_SEARCH, _SEARCH.c.rowid == Incident.id).where(_match(term))
    return stmt.where(matching(term))


def _indexed(term: str) -> bool:
    return len(term) >= TRIGRAM and db.engine.dialect.name == "sqlite"


def _match(term: str) -> ColumnElement[bool]:
    """FTS5's MATCH for `term` as one quoted phrase: any substring of three characters or more."""
    phrase = '"' + term.replace('"', '""') + '"'
    return text(f"{SEARCH_TABLE} MATCH :phrase").bindparams(phrase=phrase)


def _escape_like(text_: str) -> str:
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
