"""Collaboration scores (NJi building blocks) and the area an action is about.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    with op.batch_alter_table("actions") as batch:
        batch.add_column(sa.Column("level", sa.String(20), nullable=False,
                                   server_default="gemeente"))
        batch.add_column(sa.Column("area_code", sa.String(40), nullable=False,
                                   server_default=""))
    op.create_table(
        "collaboration_scores",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False),
        sa.Column("party", sa.String(120), nullable=False),
        sa.Column("block", sa.Integer, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("shown_as_party", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("updated_by", sa.String(120), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("meeting_id", "party", "block", name="uq_score"))
