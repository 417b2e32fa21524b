"""Backup and restore: every notes table as JSON (for import) and as CSV (for people).

`export` writes `<folder>/notes.json` and one `<table>.csv` per table (for people: text that
a spreadsheet would run as a formula gets a leading apostrophe); `import` reads the JSON
into an empty notes database (at the newest schema), keeping every id, so history, answers and
actions still point at the right meeting.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import Engine, func, insert, select, text

from dashboard.notes import database, schema
from dashboard.spreadsheet import neutralise

TABLES = (schema.meetings, schema.frozen_figures, schema.answers, schema.toelichtingen,
          schema.actions, schema.collaboration_scores, schema.history)  # parents first
FILE = "notes.json"


class ImportRefused(Exception):
    """The target database already holds notes, or the file is not a notes export."""


def export(engine: Engine, folder: Path) -> dict[str, int]:
    """Write everything; returns the number of rows per table."""
    folder.mkdir(parents=True, exist_ok=True)
    content: dict[str, list[dict]] = {}
    with engine.connect() as connection:
        for table in TABLES:
            rows = [dict(r) for r in connection.execute(
                select(table).order_by(table.c.id)).mappings()]
            content[table.name] = rows
            with (folder / f"{table.name}.csv").open("w", newline="", encoding="utf-8") as out:
                writer = csv.DictWriter(out, fieldnames=list(table.c.keys()), delimiter=";")
                writer.writeheader()
                writer.writerows({k: neutralise(v) for k, v in row.items()} for row in rows)
    document = {"schema": database.revision_of(engine), "tables": content}
    (folder / FILE).write_text(json.dumps(document, ensure_ascii=False, indent=1),
                               encoding="utf-8")
    return {name: len(rows) for name, rows in content.items()}


def restore(engine: Engine, source: Path) -> dict[str, int]:
    """Load an export into an empty database; refuses to mix with existing notes."""
    path = source / FILE if source.is_dir() else source
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        content = document["tables"]
    except (OSError, ValueError, KeyError) as error:
        raise ImportRefused(f"{path}: geen export van de notities ({error}).") from error
    with engine.begin() as connection:
        for table in TABLES:
            if connection.execute(select(func.count()).select_from(table)).scalar():
                raise ImportRefused(f"De notitiedatabase is niet leeg (tabel {table.name}); "
                                    "importeer in een lege database.")
        for table in TABLES:
            rows = content.get(table.name, [])
            if rows:
                connection.execute(insert(table), rows)
            if engine.dialect.name == "postgresql":
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
    return {table.name: len(content.get(table.name, [])) for table in TABLES}
