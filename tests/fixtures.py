"""Tiny deliveries built in the test (as Datasette builds its fixtures): fast and exact."""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb

from pipelines.load import load_specs
from pipelines.sql_runner import install_macros
from settings import PROJECT_ROOT

P1, P2, P3 = "a" * 64, "b" * 64, "c" * 64
# A pseudonymisation key with enough randomness (privacy.pseudonymise refuses weak ones).
# A key as `python -m privacy.pseudonymise --new-key` writes it.
TEST_KEY = ("jom-sleutel-1:9f2c7e41b0d85a36e1c4f7a92d6b03e8c5a1f94e27b6d03c8e5f1a7b92c4d06e"
            ":00d3cd52")



def enrolments(*rows: str) -> str:
    """The SQL of landing.inschrijvingen from VALUES rows: row_nr, then the columns of the
    landing contract (pipelines/sources.yaml) in their order."""
    columns = ", ".join(["row_nr", *load_specs()["inschrijvingen"]["columns"]])
    return f"SELECT * FROM (VALUES {', '.join(rows)}) t({columns})"


# A tiny, valid delivery: the SQL of each landing table.
TINY = {
    # swv_po / swv_vo empty, as the loader gives optional columns a file does not have.
    "scholen": """SELECT * FROM (VALUES (2, '01AB00', '01AB', 'De Kiem', 'BAO', '41234',
        'Stichting Kiem', 'GM0034', '1311AB', 'PO-24-01', NULL, NULL, 'Openbaar', 'WK003401',
        5.2, 52.3))
        t(row_nr, vestigingscode, brin, naam, onderwijssoort, bevoegd_gezag,
          bevoegd_gezag_naam, gemeentecode, postcode, swv, swv_po, swv_vo, denominatie,
          wijkcode, lon, lat)""",
    "leerlingtellingen": """SELECT * FROM (VALUES (2, DATE '2023-10-01', '01AB00', 240, NULL,
        NULL, NULL, 'BAO'))
        t(row_nr, peildatum, vestigingscode, aantal, brin, naam, gemeentecode,
          onderwijssoort)""",
    "wijken": """SELECT * FROM (VALUES ('WK003401', 'Centrum', '{}'),
        ('WK0363AF', 'Amsterdam Centrum', '{}')) t(statcode, statnaam, geometry_json)""",
    "personen": f"""SELECT * FROM (VALUES
        (2, '{P1}', 9, 'V', 'GM0034', 'WK003401', NULL, DATE '2023-10-01'),
        (3, '{P2}', 11, 'M', 'GM0034', 'WK0363AF', NULL, DATE '2023-10-01'),
        (4, '{P3}', 13, 'M', 'GM0034', 'WK003401', NULL, DATE '2023-10-01'))
        t(row_nr, pseudoniem, leeftijd, geslacht, gemeentecode, wijkcode, buurtcode,
          peildatum)""",
    "inschrijvingen": enrolments(
        f"(2, '{P1}', '01AB00', 'BAO', 5, DATE '2023-08-01', DATE '2024-07-31')",
        f"(3, '{P2}', '01AB00', 'BAO', 8, DATE '2023-08-01', NULL)"),
    "diplomas": f"""SELECT * FROM (VALUES (2, '{P3}', '01AB00', 'VWO', DATE '2024-07-01'))
        t(row_nr, pseudoniem, vestigingscode, diploma, datum)""",
    "jeugdhulp": f"""SELECT * FROM (VALUES
        (2, '{P1}', '98000001', '02', '45', '45A01', '02', DATE '2023-09-01',
         DATE '2024-01-31', '01', 2500.0),
        (3, '{P2}', '98000001', '11', '44', '44A01', '04', DATE '2023-09-01', NULL, NULL,
         40000.0))
        t(row_nr, pseudoniem, aanbieder, hulpvorm, productcategorie, productcode, verwijzer,
          datum_aanvang, datum_einde, reden_beeindiging, kosten)""",
    "verzuim": f"""SELECT * FROM (VALUES (2, '{P1}', '01AB00', 'RELATIEF_16U',
        DATE '2023-11-01', 'N', DATE '2023-12-01'))
        t(row_nr, pseudoniem, vestigingscode, soort, datum_melding, thuiszitter,
          datum_einde)""",
}


def tiny_landing(con: duckdb.DuckDBPyConnection, **changes: str) -> None:
    """The tiny delivery as schema `landing`; `changes` replaces one table's SQL."""
    tables = {**TINY, **changes}
    con.execute("CREATE SCHEMA landing")
    install_macros(con)
    for name, sql in tables.items():
        con.execute(f"CREATE TABLE landing.{name} AS {sql}")
        if "row_nr" in con.table(f"landing.{name}").columns:
            con.execute(f"ALTER TABLE landing.{name} ADD COLUMN bestand VARCHAR "
                        f"DEFAULT '{name}.csv'")


def write_settings(root: Path, **replace: str) -> Path:
    """A copy of monitor.toml whose paths all point into `root`; `replace` old=new text."""
    text = (PROJECT_ROOT / "monitor.toml").read_text(encoding="utf-8")
    text = text.replace('"data/', f'"{root.as_posix()}/data/')
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    path = root / "monitor.toml"
    path.write_text(text, encoding="utf-8")
    return path


def made_once(name: str, make: Callable[[Path], None]) -> Path:
    """What `make` writes at the path it is given (a file or folder `name`), made once per test
    process: tests copy it instead of making it again."""
    return _made_once(name, make)


@functools.cache
def _made_once(name: str, make: Callable[[Path], None]) -> Path:
    path = Path(_ONCE.name) / name
    make(path)
    return path


_ONCE = tempfile.TemporaryDirectory(prefix="tests-once-")  # removed when the process ends


def seed_notes(root: Path) -> None:
    """The notes database of write_settings(root) as a first start leaves it (migrated to the
    newest schema, owner-only), copied: migrating a new SQLite file takes 50 ms, and the unit
    tests start an app on new settings hundreds of times. The migrations themselves run once
    per process (made_once), in tests/test_notes_store.py and on every end-to-end start."""
    path = root / "data" / "notes" / "notes.sqlite"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copyfile(made_once("notes.sqlite", _migrate_notes), path)
        path.chmod(0o600)


def _migrate_notes(path: Path) -> None:
    from dashboard.notes import database

    engine = database.create(f"sqlite:///{path}")
    database.migrate(engine)
    engine.dispose()  # the last connection closed: the WAL is written back into the file
