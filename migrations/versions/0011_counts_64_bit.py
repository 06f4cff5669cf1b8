"""counts of people and records in 64 bits on PostgreSQL

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 18:30:00

The incident forms and the API accept up to 10^10 people and 10^12 records for a place (a breach
can reach billions of accounts), but the columns were 32-bit: on PostgreSQL a count above
2,147,483,647 failed the save with a database error. SQLite's INTEGER is already 64-bit, so
only PostgreSQL's columns change (the index on a place's code and people is rebuilt with them).
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

COLUMNS = [
    ("affected_jurisdiction", "people", False),
    ("affected_jurisdiction", "records", True),
    ("customer_notice", "people", True),
]


def upgrade():
    _retype(sa.Integer(), sa.BigInteger())


def downgrade():
    _retype(sa.BigInteger(), sa.Integer())


def _retype(old, new):
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, nullable in COLUMNS:
        op.alter_column(table, column, type_=new, existing_type=old, existing_nullable=nullable)
