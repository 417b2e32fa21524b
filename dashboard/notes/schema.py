"""The notes tables at the newest schema version (SQLAlchemy Core).

Changing a table here needs a new migration in `migrations/versions/`: the migrations, not this
module, create and upgrade real databases.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

meetings = Table(
    "meetings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("held_on", String(10), nullable=False),          # ISO date
    Column("kind", String(40), nullable=False),              # OOGO, LEA, bestuurlijk overleg
    Column("parties", Text, nullable=False),                 # JSON list of organisations
    Column("indicators", Text, nullable=False),              # JSON list of indicator ids
    Column("areas", Text, nullable=False),                   # JSON list of "level|code"
    Column("run_id", String(80), nullable=False),            # the published run discussed
    Column("created_by", String(120), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("adopted_at", String(32)),                        # since 0003: vastgesteld
    Column("adopted_by", String(120)),                       # since 0003
    Column("minutes", Text),                                 # since 0003: JSON at adoption
)

frozen_figures = Table(
    "frozen_figures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("meeting_id", Integer, ForeignKey("meetings.id"), nullable=False, index=True),
    Column("indicator_id", String(80), nullable=False),
    Column("level", String(20), nullable=False),
    Column("area_code", String(40), nullable=False),
    Column("area_name", String(200), nullable=False),
    Column("period", String(20), nullable=False),
    Column("value", Float),
    Column("ci_low", Float),
    Column("ci_high", Float),
    Column("suppressed", Boolean, nullable=False),
    Column("suppression_reason", String(40)),
    Column("target_status", String(20)),
    Column("trajectory_value", Float),
)

answers = Table(
    "answers", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("meeting_id", Integer, ForeignKey("meetings.id"), nullable=False),
    Column("indicator_id", String(80), nullable=False),
    Column("question", Integer, nullable=False),             # 1..4
    Column("choice", String(10)),                            # ja / deels / nee (1 and 2)
    Column("text", Text, nullable=False, server_default=""),
    Column("updated_by", String(120), nullable=False),
    Column("updated_at", String(32), nullable=False),
    UniqueConstraint("meeting_id", "indicator_id", "question", name="uq_answer"),
)

toelichtingen = Table(
    "toelichtingen", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator_id", String(80), nullable=False),
    Column("level", String(20), nullable=False),
    Column("area_code", String(40), nullable=False),
    Column("period", String(20), nullable=False),
    Column("organisation", String(120), nullable=False),
    Column("text", Text, nullable=False),
    Column("updated_by", String(120), nullable=False),
    Column("updated_at", String(32), nullable=False),
    UniqueConstraint("indicator_id", "level", "area_code", "period", "organisation",
                     name="uq_toelichting"),
)

actions = Table(
    "actions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("meeting_id", Integer, ForeignKey("meetings.id"), nullable=False),
    Column("indicator_id", String(80), nullable=False),
    Column("description", Text, nullable=False),
    Column("owner", String(120), nullable=False),
    Column("due_on", String(10), nullable=False),
    Column("status", String(20), nullable=False),            # open/bezig/afgerond/vervallen
    Column("updated_by", String(120), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("level", String(20), nullable=False, server_default="gemeente"),   # since 0002
    Column("area_code", String(40), nullable=False, server_default=""),       # since 0002
    Column("created_by", String(120), nullable=False, server_default=""),     # since 0003
    Column("withdrawn", Boolean, nullable=False, server_default=false()),     # since 0003
)

history = Table(
    "history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity", String(20), nullable=False),            # answer, toelichting, action, ...
    Column("entity_id", Integer, nullable=False),
    Column("field", String(40), nullable=False),
    Column("old", Text),
    Column("new", Text),
    Column("changed_by", String(120), nullable=False),
    Column("changed_at", String(32), nullable=False),
)

collaboration_scores = Table(                                # since 0002
    "collaboration_scores", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("meeting_id", Integer, ForeignKey("meetings.id"), nullable=False),
    Column("party", String(120), nullable=False),
    Column("block", Integer, nullable=False),                # 1..7, see BLOCKS
    Column("score", Integer, nullable=False),                # 1..5
    Column("note", Text, nullable=False, server_default=""),
    Column("shown_as_party", Boolean, nullable=False, server_default=false()),
    Column("updated_by", String(120), nullable=False),
    Column("updated_at", String(32), nullable=False),
    UniqueConstraint("meeting_id", "party", "block", name="uq_score"),
)
