"""Profiles of what holds a goal back, for the bench report: a pipeline stage or a page.

    python -m bench.bench_profile --landing DIR --stage disclosure --out profile.json

Runs the stage once more, in this process, with cProfile around only that stage's function
(the timed run stays unprofiled), and stops when it is done. A stage that reads only the work
database runs on the one the timed run left (its inputs are there; at national size this saves
a quarter of an hour); loading and publishing rerun the pipeline from the start. It writes the
functions that took longest: the project's own (cumulative, where the stage's time goes) and
any (self time: SQL in DuckDB, linear programs in HiGHS, pandas, Python). Work on thread pools
(the disclosure stage's components) is profiled per work item and added in, so those figures
are thread time summed, not wall time.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import io
import json
import pstats
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import thread as futures_thread
from pathlib import Path

import dash

import indicators.compute
import pipelines.runner
from bench.bench_dashboard import QUERIES
from dashboard.app import create_app
from dashboard.context import Viewer
from pipelines.__main__ import main as run_pipeline
from privacy.scope import Scope
from settings import PROJECT_ROOT, Settings, load_settings

# The function each stage is (how pipelines/runner.py calls it).
STAGE_FUNCTIONS = {"load": (pipelines.runner, "load_all"),
                   "validate": (pipelines.runner, "validate"),
                   "link": (pipelines.runner, "run_models"),
                   "indicators": (indicators.compute, "run"),
                   "disclosure": (pipelines.runner, "protect"),
                   "targets": (pipelines.runner, "evaluate"),
                   "publish": (pipelines.runner, "publish")}


def _profiled(function, profiler: cProfile.Profile, running: threading.Event):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        running.set()
        try:
            return profiler.runcall(function, *args, **kwargs)
        finally:
            running.clear()
    return wrapper


def _label(key: tuple[str, int, str]) -> str:
    """project/path.py:12 name, package/module.py:12 name (installed), or a built-in's name."""
    file, line, name = key
    path = Path(file)
    if path.is_relative_to(PROJECT_ROOT):
        return f"{path.relative_to(PROJECT_ROOT)}:{line} {name}"
    if file == "~":
        return name
    installed = file.rpartition("site-packages/")[2]
    return f"{installed or path.name}:{line} {name}"


def _own(file: str) -> bool:
    return Path(file).is_relative_to(PROJECT_ROOT) and "/tests/" not in file


def top_functions(profiler: cProfile.Profile, count: int,
                  threads: list[cProfile.Profile] = ()) -> dict[str, list[dict]]:
    """The project's functions by cumulative time, and all functions by self time; the work
    done on pool `threads` is added to the main thread's."""
    merged = pstats.Stats(profiler, stream=io.StringIO())
    for other in threads:
        merged.add(other)
    stats = merged.stats
    rows = [(key, {"functie": _label(key), "aanroepen": calls, "eigen_s": round(own, 3),
                   "cumulatief_s": round(cumulative, 3)})
            for key, (_, calls, own, cumulative, _) in stats.items()]
    own_code = [row for key, row in rows if _own(key[0])]
    return {"eigen_code_cumulatief": sorted(own_code, key=lambda r: -r["cumulatief_s"])[:count],
            "eigen_tijd": sorted((row for _, row in rows), key=lambda r: -r["eigen_s"])[:count]}


@contextlib.contextmanager
def profiling(module, name: str) -> Iterator[tuple[cProfile.Profile, list[cProfile.Profile]]]:
    """cProfile around `module.name` while inside; work items of thread pools started while it
    runs get a profiler each (cProfile sees only its own thread); pool work of other stages is
    left out. Yields (main profiler, pool profilers)."""
    profiler, threads, running = cProfile.Profile(), [], threading.Event()
    original, work_item = getattr(module, name), futures_thread._WorkItem.run

    def profiled_work(item) -> None:
        if not running.is_set():
            work_item(item)
            return
        threads.append(cProfile.Profile())
        threads[-1].runcall(work_item, item)

    setattr(module, name, _profiled(original, profiler, running))
    futures_thread._WorkItem.run = profiled_work
    try:
        yield profiler, threads
    finally:
        setattr(module, name, original)
        futures_thread._WorkItem.run = work_item


# The Run step that holds each stage, for stages that read only the work database.
RESUMABLE = {"validate": "_validate", "link": "_link", "indicators": "_indicators",
             "disclosure": "_indicators", "targets": "_targets"}
ORDER = tuple(STAGE_FUNCTIONS)


class StageProfiled(Exception):
    """Raised once the profiled stage is done: the stages after it are not needed."""


def _on_work_database(landing: Path, stage: str) -> None:
    """Run `stage`'s step on the timed run's work database; stage functions of the same step
    that come before it (their tables are there already) are skipped."""
    settings = load_settings()
    run = pipelines.runner.Run(settings, landing, echo=lambda *args, **kwargs: None)
    done_before = [STAGE_FUNCTIONS[s] for s in ORDER[:ORDER.index(stage)]
                   if RESUMABLE.get(s) == RESUMABLE[stage]]
    originals = [getattr(module, name) for module, name in done_before]
    for module, name in done_before:
        setattr(module, name, lambda *args, **kwargs: {})
    con = pipelines.runner.open_work_database(settings, settings.paths.work / "work.duckdb")
    try:
        getattr(run, RESUMABLE[stage])(con)
    finally:
        con.close()
        for (module, name), original in zip(done_before, originals, strict=True):
            setattr(module, name, original)


def profile_stage(landing: Path, stage: str, count: int) -> dict[str, list[dict]]:
    """Run `stage` once more, profiled, and stop after it; its top functions."""
    module, name = STAGE_FUNCTIONS[stage]
    stage_function = getattr(module, name)

    def then_stop(*args, **kwargs):
        stage_function(*args, **kwargs)
        raise StageProfiled

    setattr(module, name, then_stop)
    code = 0
    try:
        with profiling(module, name) as (profiler, threads), \
                contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()):
            if stage in RESUMABLE:
                _on_work_database(landing, stage)
            else:
                code = run_pipeline(["run", "--landing", str(landing)])
    except StageProfiled:
        pass
    finally:
        setattr(module, name, stage_function)
    if code != 0:
        raise RuntimeError(f"pijplijn voor het profiel stopte met code {code}")
    return top_functions(profiler, count, threads)


def profile_page(settings: Settings, path: str, count: int) -> dict[str, list[dict]]:
    """One warm render of the page at `path` (as the analyst, bench query), profiled."""
    analyst = Viewer("bench", "Bench", "gemeente", Scope("analist"))
    app = create_app(settings, viewer=lambda _request: analyst)
    layout = next(page["layout"] for page in dash.page_registry.values() if page["path"] == path)
    profiler = cProfile.Profile()
    with app.server.test_request_context("/"):
        layout(**QUERIES.get(path, {}))
        profiler.runcall(layout, **QUERIES.get(path, {}))
    return top_functions(profiler, count)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_profile")
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--stage", choices=sorted(STAGE_FUNCTIONS), required=True)
    parser.add_argument("--rows", type=int, default=8)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    result = profile_stage(args.landing, args.stage, args.rows)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
