"""Declarative base, the UTC datetime column type and SQLite connection settings."""

import sqlite3
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator


class NaiveDatetimeError(TypeError):
    """A datetime without a UTC offset reached the database layer."""


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.utcoffset() is None:
            raise NaiveDatetimeError(f"naive datetime {value.isoformat()}: attach a timezone first")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    # One registry carries both, as SQLAlchemy 2.1 wants when Flask-SQLAlchemy subclasses the base.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime},
    )


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record):
    """Turn on foreign keys, WAL and a busy timeout for every SQLite connection.

    A large register is read through a 64 MB page cache per connection (SQLite's default is
    2 MB): at 100,000 incidents the pages' reads hit memory. Memory-mapped I/O is off: it made
    no page faster and let a worker's resident set grow with the database file (290 MB per
    worker at 100,000 incidents; bench/RESULTS.md).
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA cache_size = -65536")  # KiB
    cursor.close()
