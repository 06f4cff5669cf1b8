"""indexes for scale: the dashboard, the list's filters, substring search by trigrams

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 02:50:00

Measured with `make bench` at 100,000 incidents (bench/RESULTS.md):
- the dashboard reads pending obligations by (status, due_at) and joins their incident: the index
  now carries incident_id, so counting a section never reads the obligation rows;
- the list's place and category filters start from an index of (code, people, incident) and of
  (category, incident) instead of testing every incident;
- substring search uses trigram indexes: an FTS5 table with the trigram tokenizer on SQLite
  (kept in step with `incident` by triggers), pg_trgm GIN indexes on PostgreSQL. Where the
  pg_trgm extension cannot be created (no privilege), search still works, by scanning.
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

logger = logging.getLogger("alembic.runtime.migration")

SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE incident_search USING fts5("
    "reference, title, content='incident', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER incident_search_insert AFTER INSERT ON incident BEGIN "
    "INSERT INTO incident_search(rowid, reference, title) "
    "VALUES (new.id, new.reference, new.title); END",
    "CREATE TRIGGER incident_search_delete AFTER DELETE ON incident BEGIN "
    "INSERT INTO incident_search(incident_search, rowid, reference, title) "
    "VALUES ('delete', old.id, old.reference, old.title); END",
    "CREATE TRIGGER incident_search_update AFTER UPDATE OF reference, title ON incident BEGIN "
    "INSERT INTO incident_search(incident_search, rowid, reference, title) "
    "VALUES ('delete', old.id, old.reference, old.title); "
    "INSERT INTO incident_search(rowid, reference, title) "
    "VALUES (new.id, new.reference, new.title); END",
    "INSERT INTO incident_search(incident_search) VALUES ('rebuild')",
)
SQLITE_SEARCH_DROP = (
    "DROP TRIGGER IF EXISTS incident_search_insert",
    "DROP TRIGGER IF EXISTS incident_search_delete",
    "DROP TRIGGER IF EXISTS incident_search_update",
    "DROP TABLE IF EXISTS incident_search",
)
POSTGRES_SEARCH = (
    "CREATE INDEX ix_incident_trgm_title ON incident USING gin (title gin_trgm_ops)",
    "CREATE INDEX ix_incident_trgm_reference ON incident USING gin (reference gin_trgm_ops)",
)


def upgrade():
    with op.batch_alter_table("obligation") as batch_op:
        batch_op.drop_index("ix_obligation_status_due_at")
        batch_op.create_index(
            "ix_obligation_status_due_at_incident", ["status", "due_at", "incident_id"]
        )
    with op.batch_alter_table("affected_jurisdiction") as batch_op:
        batch_op.drop_index("ix_affected_jurisdiction_code")
        batch_op.create_index(
            "ix_affected_jurisdiction_code_people", ["code", "people", "incident_id"]
        )
    with op.batch_alter_table("incident_data_category") as batch_op:
        batch_op.create_index(
            "ix_incident_data_category_category", ["data_category_id", "incident_id"]
        )
    _search_up()


def downgrade():
    _search_down()
    with op.batch_alter_table("incident_data_category") as batch_op:
        batch_op.drop_index("ix_incident_data_category_category")
    with op.batch_alter_table("affected_jurisdiction") as batch_op:
        batch_op.drop_index("ix_affected_jurisdiction_code_people")
        batch_op.create_index("ix_affected_jurisdiction_code", ["code"])
    with op.batch_alter_table("obligation") as batch_op:
        batch_op.drop_index("ix_obligation_status_due_at_incident")
        batch_op.create_index("ix_obligation_status_due_at", ["status", "due_at"])


def _search_up():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_SEARCH:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        savepoint = bind.begin_nested()
        try:
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        except sa.exc.DBAPIError as error:
            savepoint.rollback()
            logger.warning("pg_trgm unavailable (%s): incident search will scan", error.orig)
            return
        savepoint.commit()
        for statement in POSTGRES_SEARCH:
            op.execute(statement)


def _search_down():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_SEARCH_DROP:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_incident_trgm_title")
        op.execute("DROP INDEX IF EXISTS ix_incident_trgm_reference")
