"""indexes: the dashboard's counts by incident and status; an incident's parties by incident

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 06:00:00

Measured with `make bench` at 100,000 incidents (bench/RESULTS.md):
- the dashboard counts the pending obligations of the live incidents: their ids from an index of
  incidents by (status, id) (PostgreSQL's indexes do not carry the row id; SQLite's did), then
  an index of obligations by (incident_id, status), which replaces the one of incident_id alone;
- an incident page loads its parties by incident: without an index that read all 130,000 party
  rows (33 ms of the page on SQLite).
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("incident") as batch_op:
        batch_op.drop_index("ix_incident_status")
        batch_op.create_index("ix_incident_status_id", ["status", "id"])
    with op.batch_alter_table("obligation") as batch_op:
        batch_op.drop_index("ix_obligation_incident_id")
        batch_op.create_index("ix_obligation_incident_status", ["incident_id", "status"])
    with op.batch_alter_table("incident_party") as batch_op:
        batch_op.create_index("ix_incident_party_incident_id", ["incident_id"])


def downgrade():
    with op.batch_alter_table("incident_party") as batch_op:
        batch_op.drop_index("ix_incident_party_incident_id")
    with op.batch_alter_table("obligation") as batch_op:
        batch_op.drop_index("ix_obligation_incident_status")
        batch_op.create_index("ix_obligation_incident_id", ["incident_id"])
    with op.batch_alter_table("incident") as batch_op:
        batch_op.drop_index("ix_incident_status_id")
        batch_op.create_index("ix_incident_status", ["status"])
