"""a session generation per user: logout, a password change and deactivation end every session

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 23:40:00

A signed session cookie stayed valid after its user logged out or changed the password: a copied
cookie still worked. Each user now carries a generation that every session names (the login's
id is "<user id>.<generation>"); logging out and changing the password bump it, so every session
of that user, on any device, ends. Sessions made before this revision name no generation and end.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "user",
        sa.Column("session_generation", sa.Integer(), nullable=False, server_default="1"),
    )


def downgrade():
    with op.batch_alter_table("user") as batch:
        batch.drop_column("session_generation")
