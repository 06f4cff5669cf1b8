"""the dashboard on PostgreSQL: the pending obligations of live incidents from one small index

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 23:00:00

Measured with `make bench` at 100,000 incidents (bench/RESULTS.md): the dashboard's counts and
its "awaiting the anchor" section were misplanned on PostgreSQL (8.9 and 6.8 ms of a 50 ms
budget), because the planner multiplies "pending" (2.6 % of the obligations) by "its incident is
not closed" (3 % of the incidents) as if they were independent, and expects 191 rows where there
are 6,541: nearly every pending obligation belongs to a live incident. Statistics cannot cross
two tables, so each obligation now carries its incident's liveness, `obligation.incident_live`,
with a partial index of the pending obligations of live incidents (the dashboard's rows, in its
order) and extended statistics on (incident_live, status) that tell the planner how many there
are.

The flag is kept by the database, as the filter codes of migration 0010 are, so every writer
(forms, API, demo, bulk seeding, restore) keeps it in step: a row trigger copies the incident's
status into each obligation inserted, and one on the incident rewrites its obligations' flags
when its status changes. SQLite's plans were right already (incident_tracker/pending_index.py).
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

LIVE_OF = """
CREATE FUNCTION obligation_incident_live_of() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- An unknown incident: true here, so the foreign key reports the error, not NOT NULL.
    NEW.incident_live := coalesce(
        (SELECT status <> 'closed' FROM incident WHERE id = NEW.incident_id), true
    );
    RETURN NEW;
END
$$
"""
FOLLOW = """
CREATE FUNCTION incident_live_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE obligation SET incident_live = (NEW.status <> 'closed') WHERE incident_id = NEW.id;
    RETURN NULL;
END
$$
"""
TRIGGERS = {
    "obligation_incident_live": (
        "BEFORE INSERT OR UPDATE OF incident_id ON obligation FOR EACH ROW "
        "EXECUTE FUNCTION obligation_incident_live_of()"
    ),
    "incident_live_follow": (
        "AFTER UPDATE OF status ON incident FOR EACH ROW "
        "WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION incident_live_follow()"
    ),
}
PENDING = "('open', 'no_fixed_deadline', 'awaiting_anchor')"  # the dashboard's three sections


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        _live_up()


def _live_up():
    op.execute("ALTER TABLE obligation ADD COLUMN incident_live boolean NOT NULL DEFAULT true")
    op.execute(LIVE_OF)
    op.execute(FOLLOW)
    for name, definition in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {definition}")
    op.execute(
        "UPDATE obligation SET incident_live = false FROM incident "
        "WHERE incident.id = obligation.incident_id AND incident.status = 'closed'"
    )
    op.execute(
        "CREATE INDEX ix_obligation_live_pending ON obligation (status, due_at, incident_id) "
        f"WHERE incident_live AND status IN {PENDING}"
    )
    op.execute(
        "CREATE STATISTICS st_obligation_live_status (mcv) ON incident_live, status "
        "FROM obligation"
    )
    op.execute("ANALYZE obligation")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _live_down()


def _live_down():
    op.execute("DROP STATISTICS st_obligation_live_status")
    op.execute("DROP INDEX ix_obligation_live_pending")
    op.execute("DROP TRIGGER incident_live_follow ON incident")
    op.execute("DROP TRIGGER obligation_incident_live ON obligation")
    op.execute("DROP FUNCTION incident_live_follow()")
    op.execute("DROP FUNCTION obligation_incident_live_of()")
    op.execute("ALTER TABLE obligation DROP COLUMN incident_live")
