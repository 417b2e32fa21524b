"""Meetings with an end: adopted (vastgesteld) minutes, and actions with an author that can be
withdrawn.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("adopted_at", sa.String(32), nullable=True))
        batch.add_column(sa.Column("adopted_by", sa.String(120), nullable=True))
        batch.add_column(sa.Column("minutes", sa.Text, nullable=True))  # JSON, at adoption
    with op.batch_alter_table("actions") as batch:
        # Actions of earlier versions keep an empty author: only meeting roles change them.
        batch.add_column(sa.Column("created_by", sa.String(120), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("withdrawn", sa.Boolean, nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("actions") as batch:
        batch.drop_column("withdrawn")
        batch.drop_column("created_by")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("minutes")
        batch.drop_column("adopted_by")
        batch.drop_column("adopted_at")
