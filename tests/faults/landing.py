"""The tiny delivery of tests/fixtures.py as real landing files, and the pipeline CLI on it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines.__main__ import main
from privacy.settings import PROJECT_ROOT
from tests.fixtures import TINY, write_settings


def write_landing(folder: Path) -> Path:
    """personen.csv … verzuim.csv (`;`, UTF-8) and wijken.geojson of the tiny delivery."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    for name, sql in TINY.items():
        frame = con.sql(sql).df().drop(columns=["row_nr"], errors="ignore")
        if name == "wijken":
            features = [{"type": "Feature", "geometry": {"type": "Point",
                                                         "coordinates": [5.2, 52.3]},
                         "properties": {"statcode": code, "statnaam": naam}}
                        for code, naam in zip(frame.statcode, frame.statnaam, strict=True)]
            (folder / "wijken.geojson").write_text(json.dumps(
                {"type": "FeatureCollection", "features": features}), encoding="utf-8")
        else:
            frame.to_csv(folder / f"{name}.csv", sep=";", index=False, date_format="%Y-%m-%d")
    return folder


def run(root: Path, landing: Path, **replace: str) -> int:
    """`python -m pipelines run` in-process with settings pointing into `root`."""
    return main(["run", "--landing", str(landing),
                 "--settings", str(write_settings(root, **replace))])


def run_cli(root: Path, landing: Path, **replace: str) -> subprocess.CompletedProcess[str]:
    """The same as a separate process (output captured as text)."""
    return subprocess.run([sys.executable, "-m", "pipelines", "run", "--landing", str(landing),
                           "--settings", str(write_settings(root, **replace))],
                          cwd=PROJECT_ROOT, capture_output=True, text=True)
