"""The shared login counters: gunicorn's workers boot together on a new counters file."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from dashboard.counters import SQLiteStorage

WORKERS, ROUNDS = 8, 20


def _open(path: str, ready, errors) -> None:
    ready.wait()
    try:
        SQLiteStorage(f"sqlite://{path}")
    except Exception as error:  # noqa: BLE001 - the test reports what a worker would die of
        errors.put(repr(error))


@pytest.mark.slow  # forks 160 processes: about 2 s
def test_workers_booting_together_on_a_new_counters_file_all_start(tmp_path: Path) -> None:
    # make run once lost both workers this way: "database is locked" turning the file to WAL.
    context = multiprocessing.get_context("fork")  # as gunicorn starts its workers
    errors = context.Queue()
    for round_ in range(ROUNDS):
        path = tmp_path / f"tellers-{round_}.sqlite"
        ready = context.Barrier(WORKERS)
        workers = [context.Process(target=_open, args=(str(path), ready, errors))
                   for _ in range(WORKERS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(30)
        assert all(w.exitcode == 0 for w in workers)
    found = [errors.get() for _ in range(errors.qsize())]
    assert found == []
    storage = SQLiteStorage(f"sqlite://{tmp_path / 'tellers-0.sqlite'}")
    assert storage.incr("anna", 60) == 1 and storage.get("anna") == 1
