"""the list: filtered by status, newest first, from an index; on PostgreSQL, category and place
together from one GIN index

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 12:00:00

Measured with `make bench` at 100,000 incidents (bench/RESULTS.md). The list filtered by status
in its default order (newest first) read the incidents by date and skipped the other statuses;
an index of (status, created_at, id) reads only those in the status (the page: 9 -> 3.5 ms on
PostgreSQL; SQLite's plans do not change).

The list filtered by a data category and a place counted its matches by joining 12,351
incidents in the category with 13,775 with people in the place (12-22 ms a request, the
targets' only steady miss). On PostgreSQL each incident now carries its filter codes, `category:<code>` and `place:<code>` (a
place only where people are affected), in `incident.filter_codes`, a text array with a GIN index
that intersects the two in the index itself (the count: 22 -> 5 ms).

The array is kept by the database, not by the application: statement-level triggers on
`incident_data_category` and `affected_jurisdiction` recompute the codes of the incidents a
statement touched, so every writer (forms, API, demo, bulk seeding, restore) keeps it in step.
Data category codes are a vocabulary written by migrations only, never renamed, so
`data_category` needs no trigger. SQLite keeps answering from the two tables' own indexes
(incident_tracker/filter_index.py): it has no index that intersects sets.
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

CODES_OF = """
CREATE FUNCTION incident_filter_codes_of(incident integer) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(code ORDER BY code), '{}') FROM (
        SELECT 'category:' || category.code
        FROM incident_data_category AS link
        JOIN data_category AS category ON category.id = link.data_category_id
        WHERE link.incident_id = incident
        UNION
        SELECT 'place:' || place.code
        FROM affected_jurisdiction AS place
        WHERE place.incident_id = incident AND place.people > 0
    ) AS codes(code)
$$
"""
REFRESH = """
CREATE FUNCTION incident_filter_codes_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    touched integer[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(incident_id) INTO touched FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(incident_id) INTO touched FROM old_rows;
    ELSE
        SELECT array_agg(incident_id) INTO touched
        FROM (SELECT incident_id FROM new_rows UNION ALL SELECT incident_id FROM old_rows) AS rows;
    END IF;
    -- By the primary key, one incident at a time: a join with the transition table, which has
    -- no statistics, could read the whole incident table for every statement.
    UPDATE incident SET filter_codes = incident_filter_codes_of(id) WHERE id = ANY(touched);
    RETURN NULL;
END
$$
"""
TRANSITIONS = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}
TABLES = ("incident_data_category", "affected_jurisdiction")


def upgrade():
    with op.batch_alter_table("incident") as batch_op:
        batch_op.create_index("ix_incident_status_created_at", ["status", "created_at", "id"])
    if op.get_bind().dialect.name == "postgresql":
        _filter_codes_up()


def _filter_codes_up():
    op.execute("ALTER TABLE incident ADD COLUMN filter_codes text[] NOT NULL DEFAULT '{}'")
    op.execute(CODES_OF)
    op.execute(REFRESH)
    for table in TABLES:
        for event, transition in TRANSITIONS.items():
            op.execute(
                f"CREATE TRIGGER {table}_filter_codes_{event} AFTER {event.upper()} ON {table} "
                f"{transition} FOR EACH STATEMENT EXECUTE FUNCTION incident_filter_codes_refresh()"
            )
    op.execute("UPDATE incident SET filter_codes = incident_filter_codes_of(id)")
    op.execute("CREATE INDEX ix_incident_filter_codes ON incident USING gin (filter_codes)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _filter_codes_down()
    with op.batch_alter_table("incident") as batch_op:
        batch_op.drop_index("ix_incident_status_created_at")


def _filter_codes_down():
    op.execute("DROP INDEX ix_incident_filter_codes")
    for table in TABLES:
        for event in TRANSITIONS:
            op.execute(f"DROP TRIGGER {table}_filter_codes_{event} ON {table}")
    op.execute("DROP FUNCTION incident_filter_codes_refresh()")
    op.execute("DROP FUNCTION incident_filter_codes_of(integer)")
    op.execute("ALTER TABLE incident DROP COLUMN filter_codes")
