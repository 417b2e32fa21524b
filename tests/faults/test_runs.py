"""Interrupted, concurrent and starved runs: the previous version keeps serving, always.

The kill test runs the real CLI on the tiny delivery as a separate process and SIGKILLs it at
every stage and at four moments inside publishing (tests/faults/killer.py); the disk-full test
publishes onto a tiny tmpfs.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.runner import _exclusive
from settings import PROJECT_ROOT
from tests.faults.landing import (
    PREVIOUS,
    assert_previous_kept,
    last_manifest,
    publish_previous,
    run,
    write_landing,
)
from tests.fixtures import write_settings

# Moment -> what it leaves in the published folder (checked before the next run cleans it).
KILL_POINTS = {"1": None, "2": None, "3": None, "4": None, "5": None, "6": None, "7": None,
               "data_docs": "versions/.{run}.tmp", "staged": "versions/.{run}.tmp",
               "renamed": "versions/{run}", "link": ".current.{run}.tmp"}


def _serves_previous(published: Path) -> None:
    assert (published / "current").resolve().name == PREVIOUS
    with duckdb.connect(str(published / "monitor.duckdb"), read_only=True) as con:
        assert con.sql("SELECT value FROM indicator_values").fetchall() == [(0.02,)]


@pytest.mark.slow
def test_a_run_killed_anywhere_leaves_the_previous_version_and_the_next_run_recovers(
        tmp_path: Path) -> None:
    landing = write_landing(tmp_path / "landing")
    settings = write_settings(tmp_path)
    publish_previous(tmp_path)
    published = tmp_path / "data" / "published"
    left = None
    for point, leftover in KILL_POINTS.items():
        killed = subprocess.run([sys.executable, "-m", "tests.faults.killer", point, "run",
                                 "--landing", str(landing), "--settings", str(settings)],
                                cwd=PROJECT_ROOT, capture_output=True, text=True)
        assert killed.returncode == -signal.SIGKILL, (point, killed.stdout, killed.stderr)
        if left:  # the run after a kill cleaned up what that kill left behind
            assert f"{Path(left).name} van een afgebroken run opgeruimd" in killed.stdout
            assert not (published / left).exists()
        _serves_previous(published)
        run_id = killed.stdout.split()[1]
        left = leftover and leftover.format(run=run_id)
        if left:
            assert (published / left).exists() or (published / left).is_symlink(), point
    assert run(tmp_path, landing) == 0
    current = (published / "current").resolve()
    assert current.name == last_manifest(tmp_path)["run_id"]
    assert sorted(p.name for p in (published / "versions").iterdir()) == \
        sorted([PREVIOUS, current.name])
    assert sorted(p.name for p in published.iterdir()) == ["current", "monitor.duckdb",
                                                          "versions"]


def test_a_second_run_while_one_is_running_refuses_and_tears_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    landing = write_landing(tmp_path / "landing")
    publish_previous(tmp_path)
    work = tmp_path / "data" / "work"
    with _exclusive(work):  # the first run holds the lock
        (work / "work.duckdb").write_bytes(b"van de eerste run")
        assert run(tmp_path, landing) == 1
        assert (work / "work.duckdb").read_bytes() == b"van de eerste run"
    error = capsys.readouterr().err
    assert "FOUT: Er draait al een pijplijn op deze werkmap; wacht tot die klaar is." in error
    assert last_manifest(tmp_path)["status"] == "mislukt"
    assert_previous_kept(tmp_path)


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """data/published on a 16 MB tmpfs (needs root, as on the CI machine; skipped otherwise)."""
    target = tmp_path / "data" / "published"
    target.mkdir(parents=True)
    if shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(target)],
            capture_output=True).returncode != 0:
        pytest.skip("kan hier geen tmpfs aankoppelen (root nodig)")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=True)


@pytest.mark.slow
def test_a_full_disk_while_publishing_stops_clearly_and_keeps_the_previous_version(
        tmp_path: Path, tiny_disk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    landing = write_landing(tmp_path / "landing")
    publish_previous(tmp_path)
    filler = tiny_disk / "vulling"
    with filler.open("wb") as handle:
        stats = os.statvfs(tiny_disk)
        os.posix_fallocate(handle.fileno(), 0, stats.f_bavail * stats.f_frsize - 64 * 1024)
    assert run(tmp_path, landing) == 1
    error = capsys.readouterr().err
    assert "FOUT: de schijf is vol (of de bestandsgrootte is begrensd) bij het schrijven" in error
    assert "Er is niets gepubliceerd; de vorige versie blijft in gebruik." in error
    assert last_manifest(tmp_path)["status"] == "mislukt"
    filler.unlink()
    assert_previous_kept(tmp_path)
    assert run(tmp_path, landing) == 0  # space again: the next run publishes
    assert (tiny_disk / "current").resolve().name == last_manifest(tmp_path)["run_id"]


def test_too_little_memory_for_duckdb_stops_in_dutch_naming_the_settings(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    landing = write_landing(tmp_path / "landing")
    publish_previous(tmp_path)
    assert run(tmp_path, landing, **{'memory_limit = "4GB"': 'memory_limit = "1MB"'}) == 1
    error = capsys.readouterr().err
    assert "FOUT: DuckDB had te weinig geheugen (Out of Memory Error" in error
    assert "Verhoog [pipeline] memory_limit (nu 1MB) of verlaag [pipeline] threads" in error
    assert "Er is niets gepubliceerd; de vorige versie blijft in gebruik." in error
    assert last_manifest(tmp_path)["status"] == "mislukt"
    assert_previous_kept(tmp_path)
