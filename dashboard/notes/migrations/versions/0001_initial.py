"""Meetings, frozen figures, answers, toelichtingen, actions and their history.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def _changed() -> list[sa.Column]:
    return [sa.Column("updated_by", sa.String(120), nullable=False),
            sa.Column("updated_at", sa.String(32), nullable=False)]


def _meetings_and_figures() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("held_on", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("parties", sa.Text, nullable=False),
        sa.Column("indicators", sa.Text, nullable=False),
        sa.Column("areas", sa.Text, nullable=False),
        sa.Column("run_id", sa.String(80), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False))
    op.create_table(
        "frozen_figures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False,
                  index=True),
        sa.Column("indicator_id", sa.String(80), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("area_code", sa.String(40), nullable=False),
        sa.Column("area_name", sa.String(200), nullable=False),
        sa.Column("period", sa.String(20), nullable=False),
        sa.Column("value", sa.Float), sa.Column("ci_low", sa.Float),
        sa.Column("ci_high", sa.Float),
        sa.Column("suppressed", sa.Boolean, nullable=False),
        sa.Column("suppression_reason", sa.String(40)),
        sa.Column("target_status", sa.String(20)),
        sa.Column("trajectory_value", sa.Float))
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False),
        sa.Column("indicator_id", sa.String(80), nullable=False),
        sa.Column("question", sa.Integer, nullable=False),
        sa.Column("choice", sa.String(10)),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
        *_changed(),
        sa.UniqueConstraint("meeting_id", "indicator_id", "question", name="uq_answer"))


def _notes_and_actions() -> None:
    op.create_table(
        "toelichtingen",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("indicator_id", sa.String(80), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("area_code", sa.String(40), nullable=False),
        sa.Column("period", sa.String(20), nullable=False),
        sa.Column("organisation", sa.String(120), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        *_changed(),
        sa.UniqueConstraint("indicator_id", "level", "area_code", "period", "organisation",
                            name="uq_toelichting"))
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False),
        sa.Column("indicator_id", sa.String(80), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("owner", sa.String(120), nullable=False),
        sa.Column("due_on", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        *_changed())
    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entity", sa.String(20), nullable=False),
        sa.Column("entity_id", sa.Integer, nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("old", sa.Text), sa.Column("new", sa.Text),
        sa.Column("changed_by", sa.String(120), nullable=False),
        sa.Column("changed_at", sa.String(32), nullable=False))


def upgrade() -> None:
    _meetings_and_figures()
    _notes_and_actions()
