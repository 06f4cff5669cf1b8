"""Declarative base, the UTC datetime column type and SQLite connection settings."""

import sqlite3
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, ORMExecuteState, Session, registry
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


@event.listens_for(Session, "do_orm_execute")
def _for_update_on_sqlite(state: ORMExecuteState) -> None:
    """Give SELECT ... FOR UPDATE its meaning on SQLite, which has no row locks and leaves the
    clause out: the transaction starts IMMEDIATE, holding the database's single write lock
    until it ends. A second request that locks the same rows then waits for the first to commit
    and reads what it wrote, as on PostgreSQL; without this both read before either wrote (two
    clicks on "Open incidents" opened every incident twice). A transaction that has written
    already holds the lock."""
    if not state.is_select or state.statement._for_update_arg is None:
        return
    connection = state.session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.dbapi_connection
    if not driver.in_transaction:
        driver.execute("BEGIN IMMEDIATE")
