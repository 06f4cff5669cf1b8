"""The list's category and place filters together, from one index on PostgreSQL.

Each filter alone reads its own table's index (incident_list.py). Both together must intersect
two sets of thousands of incidents, which a join does row by row: at 100,000 incidents, 12,351
in a category and 13,775 with people in a place, counting the matches took 12-22 ms. Migration
0010 gives PostgreSQL `incident.filter_codes`, the incident's codes as `category:<code>` and
`place:<code>` (a place only where people are affected), kept by triggers on the two tables,
with a GIN index that intersects them itself (5 ms). It lives outside the ORM models, like the
search indexes; SQLite has no such index and keeps the join.
"""

from sqlalchemy import ColumnElement, Text, literal_column
from sqlalchemy.dialects.postgresql import ARRAY

from ..extensions import db

COLUMN = "filter_codes"
INDEX = "ix_incident_filter_codes"
SOURCES = ("incident_data_category", "affected_jurisdiction")  # their statement triggers keep it
_CODES = literal_column(f"incident.{COLUMN}", ARRAY(Text))


def indexed() -> bool:
    """Whether this database keeps the incidents' filter codes (PostgreSQL, migration 0010)."""
    return db.engine.dialect.name == "postgresql"


def having(*, category: str, place: str) -> ColumnElement[bool]:
    """The condition "the incident has data of `category` and people affected in `place`"."""
    return _CODES.contains([f"category:{category}", f"place:{place}"])
