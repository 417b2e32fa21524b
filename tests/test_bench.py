"""make bench: the tiny scale runs end to end, so the bench code cannot rot unnoticed.

The figures themselves depend on the machine; what is checked is that every figure the report
promises is there, positive, and consistent with the others.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import indicators.compute
from bench.bench_pipeline import STAGE_KEYS
from bench.bench_profile import profile_stage, profiling, top_functions
from bench.bench_server import FLOOR_OUTPUT, create_bench_app
from dashboard.app import create_app
from settings import PROJECT_ROOT, load_settings
from tests.conftest import SampleRun, run_sample
from tests.fixtures import write_settings


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    out = tmp_path_factory.mktemp("bench")
    result = subprocess.run([sys.executable, "-m", "bench", "--scale", "klein", "--out",
                             str(out)], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return (json.loads((out / "klein.json").read_text(encoding="utf-8")),
            (out / "klein.md").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_every_pipeline_stage_has_time_throughput_and_memory(report) -> None:
    results, _ = report
    pipeline, floor = results["pijplijn"], results["vloer"]
    assert list(pipeline["stappen"]) == list(STAGE_KEYS)
    for stage in pipeline["stappen"].values():
        assert stage["seconden"] > 0 and stage["rijen_per_s"] > 0
        assert 0 < stage["piekgeheugen_mib"] <= pipeline["piekgeheugen_mib"]
    stages = sum(stage["seconden"] for stage in pipeline["stappen"].values())
    assert stages + pipeline["opstarten_s"] <= pipeline["seconden"] + 0.1
    assert floor["rijen"] == pipeline["rijen"] > 0 and 0 < floor["seconden"] < stages
    ratio = next(g for g in results["doelen"] if g["doel"].startswith("pijplijn"))
    assert ratio["gemeten"] == round(pipeline["seconden"] / floor["seconden"], 1)
    for step in ("genereren", "pseudonimiseren"):
        assert results[step]["seconden"] > 0 and results[step]["piekgeheugen_mib"] > 0


@pytest.mark.slow
def test_every_page_has_latencies_against_the_floor_and_a_cold_figure(report) -> None:
    results, _ = report
    dashboard = results["dashboard"]
    floor = dashboard["vloer"]
    assert floor["verzoeken"] > 0 and floor["fouten"] == 0 and floor["p95_ms"] > 0
    assert dashboard["rollen"] == ["analist", "bestuur", "oogo"]
    busy = dashboard["in_de_workers"]
    assert busy["verzoeken"] > 0 and 0 < busy["p50_ms"] <= busy["p95_ms"]
    assert 0 < busy["bezetting"] <= 1.0
    assert dashboard["paginas"], "no page was rendered under load"
    for row in dashboard["paginas"].values():
        assert row["fouten"] == 0 and 0 < row["p50_ms"] <= row["p95_ms"]
        assert row["p95_x_vloer"] == round(row["p95_ms"] / floor["p95_ms"], 1)
        assert 0 < row["koud_mediaan_ms"] <= row["koud_max_ms"]
    pages = {g["doel"] for g in results["doelen"] if g["doel"].startswith("p95")}
    assert len(pages) == len(dashboard["paginas"])


@pytest.mark.slow
def test_a_missed_goal_names_what_holds_it_back_with_a_measured_profile(report) -> None:
    results, markdown = report
    missed = [g for g in results["doelen"] if not g["gehaald"]]
    assert len(results["houdt_tegen"]) >= min(1, len(missed))
    for item in results["houdt_tegen"]:
        if item["doel"].startswith("pijplijn"):
            stages = results["pijplijn"]["stappen"]
            assert stages[item["houdt_tegen"]]["seconden"] == max(
                s["seconden"] for s in stages.values())
        if "profiel" in item:
            assert item["profiel"]["eigen_tijd"] and item["oplossing"]
            assert all(row["eigen_s"] >= 0 for row in item["profiel"]["eigen_tijd"])
        assert f"`{item['houdt_tegen']}`" in markdown


@pytest.mark.slow
def test_the_report_states_the_machine_and_the_load(report) -> None:
    results, markdown = report
    machine = results["machine"]
    assert machine["kernen"] >= 1 and machine["geheugen_gib"] > 0
    assert machine["versies"]["duckdb"] and machine["versies"]["locust"]
    assert len(results["belasting_voor"]) == len(results["belasting_na"]) == 3
    for heading in ("## Doelen", "## Pijplijn", "## Dashboard", "## Wat houdt het tegen"):
        assert heading in markdown
    for stage in results["pijplijn"]["stappen"].values():
        assert f"| {stage['naam']} |" in markdown


def test_the_bench_floor_callback_exists_only_on_the_bench_server(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings_path = write_settings(tmp_path)
    monkeypatch.setenv("MONITOR_SETTINGS", str(settings_path))
    production = create_app(load_settings(settings_path))
    assert not any(FLOOR_OUTPUT in output for output in production.callback_map)
    bench = create_bench_app()
    assert any(FLOOR_OUTPUT in output for output in bench.callback_map)
    with bench.server.test_client() as client:  # no login: refused like every other callback
        assert client.post("/_dash-update-component", json={}).status_code == 401


def _spin(n: int) -> int:
    return sum(i * i for i in range(n))


def _stage_on_threads() -> int:
    with ThreadPoolExecutor(max_workers=2) as pool:
        return sum(pool.map(_spin, [200_000] * 4))


def test_the_stage_profile_includes_the_work_done_on_thread_pools() -> None:
    # The disclosure stage solves its components on threads, invisible to a plain cProfile.
    module = sys.modules[__name__]
    with profiling(module, "_stage_on_threads") as (profiler, threads):
        with ThreadPoolExecutor(max_workers=2) as pool:  # another stage's pool: not counted
            list(pool.map(_spin, [10] * 3))
        module._stage_on_threads()
    assert len(threads) == 4
    rows = top_functions(profiler, 10_000, threads)["eigen_tijd"]
    spin = [row for row in rows if row["functie"].endswith(" _spin")]
    assert spin and spin[0]["aanroepen"] == 4
    assert module._stage_on_threads.__name__ == "_stage_on_threads"  # put back afterwards
    assert not hasattr(module._stage_on_threads, "__wrapped__")


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> SampleRun:
    return run_sample(tmp_path_factory.mktemp("profiel"), "GM0088", "1")


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "function"), [("disclosure", "protect"),
                                                 ("load", "load_all")])
def test_a_stage_is_profiled_once_more_and_the_run_stops_after_it(
        small_run: SampleRun, stage: str, function: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITOR_SETTINGS", str(small_run.settings_path))
    published = sorted(small_run.settings.paths.published.iterdir())
    indicators_run: list[bool] = []
    monkeypatch.setattr(indicators.compute, "run",
                        lambda *args, **kwargs: indicators_run.append(True) or {})
    profile = profile_stage(small_run.landing, stage, 50)
    profiled = [row["functie"] for row in profile["eigen_code_cumulatief"]]
    assert any(name.endswith(f" {function}") for name in profiled), profiled
    # Disclosure reruns on the work database the run left, where the indicators already are.
    assert not indicators_run
    assert sorted(small_run.settings.paths.published.iterdir()) == published
