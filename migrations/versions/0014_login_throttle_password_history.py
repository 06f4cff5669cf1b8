"""login throttling per account and address, counted atomically; the passwords used before

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 00:20:00

Five wrong passwords from anyone locked the real user out, twenty failures from one address locked
out everyone behind it, and twelve parallel attempts got six checked (limit five): the count and
the check were two statements. `login_throttle` counts one account's attempts from one address
in one upsert before the password is checked. `user.password_history` keeps the hashes of the few
passwords before the current one, so a change refuses them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_throttle",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("email", "address", name=op.f("pk_login_throttle")),
    )
    op.add_column(
        "user", sa.Column("password_history", sa.Text(), nullable=False, server_default="[]")
    )


def downgrade():
    with op.batch_alter_table("user") as batch:
        batch.drop_column("password_history")
    op.drop_table("login_throttle")
