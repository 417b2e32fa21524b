"""The tiny delivery of tests/fixtures.py as real landing files, and the pipeline CLI on it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.__main__ import main
from pipelines.load import load_specs
from pipelines.publish import publish, store_frame
from settings import PROJECT_ROOT
from tests.fixtures import TINY, made_once, write_settings


def write_landing(folder: Path) -> Path:
    """personen.csv … verzuim.csv (`;`, UTF-8) and wijken.geojson of the tiny delivery (written
    once per test process, copied into each test's folder)."""
    shutil.copytree(made_once("landing", _write_tiny), folder, dirs_exist_ok=True)
    return folder


def _write_tiny(folder: Path) -> None:
    folder.mkdir()
    con = duckdb.connect()
    for name, sql in TINY.items():
        frame = con.execute(sql).df().drop(columns=["row_nr"], errors="ignore")
        if name == "wijken":
            features = [{"type": "Feature", "geometry": {"type": "Point",
                                                         "coordinates": [5.2, 52.3]},
                         "properties": {"statcode": code, "statnaam": naam}}
                        for code, naam in zip(frame.statcode, frame.statnaam, strict=True)]
            (folder / "wijken.geojson").write_text(json.dumps(
                {"type": "FeatureCollection", "features": features}), encoding="utf-8")
        else:
            file = load_specs()[name]["file"]  # e.g. leerlingen_per_vestiging.csv
            frame.to_csv(folder / file, sep=";", index=False, date_format="%Y-%m-%d")


def run(root: Path, landing: Path, **replace: str) -> int:
    """`python -m pipelines run` in-process with settings pointing into `root`."""
    return main(["run", "--landing", str(landing),
                 "--settings", str(write_settings(root, **replace))])


def run_cli(root: Path, landing: Path, **replace: str) -> subprocess.CompletedProcess[str]:
    """The same as a separate process (output captured as text)."""
    return subprocess.run([sys.executable, "-m", "pipelines", "run", "--landing", str(landing),
                           "--settings", str(write_settings(root, **replace))],
                          cwd=PROJECT_ROOT, capture_output=True, text=True)


PREVIOUS = "20000101T000000Z-vorige"


def publish_previous(root: Path) -> Path:
    """A published version made before the faulty run (the one that must stay in use); made
    once per test process, copied with its relative links into `root`."""
    published = root / "data" / "published"
    shutil.copytree(made_once("published", _publish_previous), published, symlinks=True,
                    dirs_exist_ok=True)
    return published / "versions" / PREVIOUS


def _publish_previous(published: Path) -> None:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA publish")
    store_frame(con, "indicator_values", pd.DataFrame(
        {"indicator_id": ["vsv"], "area_code": ["GM0034"], "value": [0.02]}))
    publish(con, "publish", published, PREVIOUS, None, {"run_id": PREVIOUS}, 5)


def assert_previous_kept(root: Path) -> None:
    """`current` still serves the previous version, whole, and nothing else was left behind."""
    published = root / "data" / "published"
    assert (published / "current").resolve() == (published / "versions" / PREVIOUS).resolve()
    assert sorted(p.name for p in (published / "versions").iterdir()) == [PREVIOUS]
    assert sorted(p.name for p in published.iterdir()) == ["current", "monitor.duckdb",
                                                          "versions"]
    with duckdb.connect(str(published / "monitor.duckdb"), read_only=True) as con:
        assert con.execute("SELECT indicator_id, value FROM indicator_values").fetchall() == [
            ("vsv", 0.02)]


def last_manifest(root: Path) -> dict:
    return json.loads(max((root / "data" / "work" / "runs").glob("*.json")).read_text(
        encoding="utf-8"))
