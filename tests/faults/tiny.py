"""Tiny published versions and a dashboard on them, built in the test (fast)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.app import create_app
from dashboard.context import Viewer, app_state
from dashboard.notes.store import FROZEN_COLUMNS
from privacy.scope import Scope
from settings import Settings, load_settings
from tests.fixtures import seed_notes, write_settings

ANALYST = Viewer("analist", "Analist", "gemeente", Scope("analist"))


def add_version(published: Path, run_id: str, current: bool = True) -> Path:
    """versions/<run_id>/monitor.duckdb with a `runs` table (and `current` pointing at it)."""
    folder = published / "versions" / run_id
    folder.mkdir(parents=True)
    with duckdb.connect(str(folder / "monitor.duckdb")) as con:
        con.execute("CREATE TABLE runs AS SELECT ? AS run_id, TIMESTAMP '2026-11-01 10:00' "
                    "AS finished_at, DATE '2026-10-01' AS gegevens_tot_en_met", [run_id])
    if current:
        point(published, Path("versions") / run_id)
    return folder


def point(published: Path, target: Path) -> None:
    """Make `current` a symlink to `target` (relative or absolute), as publishing does."""
    link = published / "current.tmp"
    link.symlink_to(target, target_is_directory=True)
    os.replace(link, published / "current")


def settings(root: Path, **replace: str) -> Settings:
    """write_settings(root), with the notes database a first start makes."""
    path = write_settings(root, **replace)
    seed_notes(root)
    return load_settings(path)


def client(config: Settings, viewer: Viewer = ANALYST):
    """A test client of the dashboard for a fixed viewer (no login)."""
    return create_app(config, viewer=lambda _request: viewer).server.test_client()


def meeting(app, indicators: tuple[str, ...] = ("vsv",)) -> int:
    """A meeting in the app's notes database (no figures: none are needed to answer)."""
    store = app_state(app.server).notes.store
    with app.server.app_context():  # the audit log records the new meeting
        return store.create_meeting("2026-03-10", "OOGO", ["gemeente", "jeugdhulp"],
                                    list(indicators), [], "run-1",
                                    pd.DataFrame(columns=list(FROZEN_COLUMNS)), "analist")


def callback(client, key: str, outputs: list[str], button: str,
             state: dict[str, object]) -> dict:
    """A click on `button` of the form with `key`, as a browser sends it; the JSON reply."""
    def ident(kind: str) -> dict:
        return {"key": key, "type": kind}

    def name(kind: str) -> str:
        return json.dumps({"key": ["MATCH"], "type": kind}, separators=(",", ":"))
    # An output is a kind (its children) or "kind.property".
    parts = [(k.split(".", 1) + ["children"])[:2] for k in outputs]
    outputs = [{"id": ident(k), "property": p} for k, p in parts]
    output = "...".join(f"{name(k)}.{p}" for k, p in parts)
    single = len(parts) == 1  # Dash names a single output without the surrounding dots
    body = {"output": output if single else f"..{output}..",
            "outputs": outputs[0] if single else outputs,
            "inputs": [{"id": ident(button), "property": "n_clicks", "value": 1}],
            "changedPropIds": [json.dumps(ident(button)) + ".n_clicks"],
            "state": [{"id": ident(button), "property": "id", "value": ident(button)},
                      *[{"id": ident(kind), "property": "value", "value": value}
                        for kind, value in state.items()]]}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.data[:300]
    return response.get_json()


def save_answers(client, key: str, texts: list[str], choice: str | None = "ja") -> dict:
    """'Antwoorden opslaan' on a meeting page."""
    return callback(client, key, ["antwoorden-melding", *[f"historie-{n}" for n in range(1, 5)]],
                    "antwoorden-opslaan", {"keuze-1": choice, "keuze-2": choice, **{
                        f"tekst-{n}": text for n, text in enumerate(texts, start=1)}})


def add_action(client, key: str, text: str, owner: str = "gemeente") -> dict:
    """'Actie toevoegen' on a meeting page."""
    return callback(client, key, ["acties", "actie-melding", "actie-tekst.value",
                                  "actie-datum.value"], "actie-toevoegen",
                    {"actie-tekst": text, "actie-eigenaar": owner, "actie-datum": "2026-05-01"})


def message(reply: dict, kind: str) -> str:
    """The status text a callback reply puts in the output of type `kind`."""
    found = [value["children"] for ident, value in reply.get("response", {}).items()
             if json.loads(ident)["type"] == kind]
    assert len(found) == 1, reply
    return found[0]


SCRIPT = "<script>window.__xss = 1</script>"
IMAGE = '<img src=x onerror="window.__xss = 2">'
FORMULA = '=HYPERLINK("http://aanvaller.example","klik")\n=1+1'


def _rename(con: duckdb.DuckDBPyConnection, old: str, new: str) -> None:
    """Every text cell equal to `old`, in every table, becomes `new` (as if delivered so)."""
    columns = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                          "WHERE data_type = 'VARCHAR' AND table_schema = 'main'").fetchall()
    for table, column in columns:
        con.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE "{column}" = ?', [new, old])


def hostile_copy(published: Path, root: Path) -> dict[str, str]:
    """A copy of a published folder whose school, bestuur and wijk names are hostile.

    Returns the codes: 'school' (HTML name, highest visible figure of its level), 'formula'
    (the next school, whose name is a spreadsheet formula), 'bestuur' and 'wijk' (HTML
    names); the figures are those of `jeugdhulp_leerlingen` in the newest schooljaar.
    """
    target = root / "data" / "published"
    shutil.copytree(published, target, symlinks=True)
    with duckdb.connect(str(target / "current" / "monitor.duckdb")) as con:
        def top(level: str, rank: int = 0) -> tuple[str, str]:
            return con.execute(
                "SELECT area_code, area_name FROM indicator_values WHERE indicator_id = "
                "'jeugdhulp_leerlingen' AND level = ? AND value IS NOT NULL AND period = "
                "(SELECT max(period) FROM indicator_values) ORDER BY value DESC, area_code "
                "LIMIT 1 OFFSET ?", [level, rank]).fetchone()
        school, school_name = top("school")
        formula, formula_name = top("school", 1)
        wijk, wijk_name = top("wijk")
        bestuur, bestuur_name = con.execute(
            "SELECT bevoegd_gezag, bevoegd_gezag_naam FROM schools WHERE vestigingscode = ?",
            [school]).fetchone()
        for old, new in ((school_name, f"School {IMAGE}"), (wijk_name, f"Wijk {IMAGE}"),
                         (bestuur_name, f"Bestuur {SCRIPT}"), (formula_name, FORMULA)):
            _rename(con, old, new)
    return {"school": school, "formula": formula, "bestuur": bestuur, "wijk": wijk}
