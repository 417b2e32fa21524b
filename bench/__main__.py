"""make bench: the pipeline and the dashboard against their measured floors.

    python -m bench [--scale gemeente|regio|nationaal|klein] [--out bench]

Orchestration only; each part has its own module: bench_memory (process-tree memory),
bench_floor (DuckDB read floor), bench_pipeline (stages), bench_dashboard (gunicorn, cold
pass, Locust; users in bench_locustfile, floor callback in bench_server), bench_profile and
bench_verdict (goals, what holds them back), bench_report (JSON + Markdown). Scales, goals and
proposed fixes are in bench/bench.yaml. Everything runs in a temporary folder: sample data
(generation and pseudonymisation timed on their own), pipeline, demo logins, dashboard.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from bench import bench_report
from bench.bench_dashboard import LOCUST, bench_dashboard, free_port
from bench.bench_floor import measure_floor
from bench.bench_memory import run_measured
from bench.bench_pipeline import MIB, run_pipeline
from bench.bench_profile import profile_page
from bench.bench_verdict import goals, holdups, slowest_page, slowest_stage
from settings import PROJECT_ROOT, load_settings
from tests.fixtures import TEST_KEY, write_settings

CONFIG = Path(__file__).with_name("bench.yaml")


def _environment(root: Path) -> tuple[Path, dict[str, str]]:
    """Settings in `root`: a free dashboard port; login throttling out of the measurement."""
    settings_path = write_settings(root, **{
        "port = 8050": f"port = {free_port()}",
        'throttle = "20 per minute"': 'throttle = "10000 per minute"'})
    return settings_path, {**os.environ, "MONITOR_SETTINGS": str(settings_path),
                           "GX_ANALYTICS_ENABLED": "false"}


def _step(module: list[str], env: dict[str, str], interval: float) -> dict:
    measured = run_measured(module, env, interval)
    return {"seconden": round(measured.seconds, 2),
            "piekgeheugen_mib": round(measured.peak_bytes / MIB)}


def _demo_logins(env: dict[str, str], path: Path) -> dict[str, tuple[str, str]]:
    subprocess.run([sys.executable, "-m", "dashboard.demo"], cwd=PROJECT_ROOT, env=env,
                   check=True, capture_output=True)
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    return {name: (password, role) for name, password, role, _ in rows}


def _profiles(results: dict, root: Path, env: dict[str, str], settings, rows: int) -> dict:
    """Profiles of the slowest stage and page, only for goals that were missed."""
    missed = {goal["doel"].split()[0] for goal in results["doelen"] if not goal["gehaald"]}
    profiles = {}
    if "pijplijn" in missed:
        out = root / "profiel.json"
        subprocess.run([sys.executable, "-m", "bench.bench_profile", "--landing",
                        str(root / "data" / "landing"), "--stage",
                        slowest_stage(results["pijplijn"]), "--rows", str(rows), "--out",
                        str(out)], cwd=PROJECT_ROOT, env=env, check=True, capture_output=True)
        profiles["pijplijn"] = json.loads(out.read_text(encoding="utf-8"))
    if "p95" in missed:
        profiles["pagina"] = profile_page(settings, slowest_page(results["dashboard"]), rows)
    return profiles


def measure(scale_name: str, config: dict, root: Path) -> dict:
    """Every figure of the report for one scale, measured in `root`."""
    scale, interval = config["scales"][scale_name], config["memory_sample_s"]
    settings_path, env = _environment(root)
    settings = load_settings(settings_path)
    sources, landing = root / "sources", root / "data" / "landing"
    key = root / "bench.key"
    key.write_text(TEST_KEY, encoding="utf-8")
    results = {"schaal": scale_name, "gemeente": scale["gemeente"], "factor": scale["factor"],
               "gemeten_op": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
               "belasting_voor": bench_report.load_average()}
    results["genereren"] = _step(["sample_data", "--gemeente", scale["gemeente"], "--scale",
                                  str(scale["factor"]), "--out", str(sources)], env, interval)
    results["pseudonimiseren"] = _step(["privacy.pseudonymise", "--key-file", str(key), "--in",
                                        str(sources), "--out", str(landing)], env, interval)
    results["vloer"] = measure_floor(landing, settings, root / "vloer.duckdb")
    results["pijplijn"] = run_pipeline(landing, env, results["vloer"]["rijen"], interval)
    logins = _demo_logins(env, settings.paths.demo_logins)
    results["dashboard"] = bench_dashboard(env, settings, logins, scale, root, interval)
    results["belasting_na"] = bench_report.load_average()
    results["machine"] = bench_report.machine(LOCUST)
    results["doelen"] = goals(results, config)
    profiles = _profiles(results, root, env, settings, config["profile_rows"])
    results["houdt_tegen"] = holdups(results, profiles, config)
    return results


def main(argv: list[str] | None = None) -> int:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=list(config["scales"]), default="gemeente")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench",
                        help="map voor <schaal>.json en <schaal>.md")
    parser.add_argument("--werkmap", type=Path, help="werkmap (standaard een tijdelijke map "
                        "die na een geslaagde bench verdwijnt); kies een schijf met ruimte "
                        "voor nationaal")
    args = parser.parse_args(argv)
    if args.werkmap:
        args.werkmap.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="bench-", dir=args.werkmap))
    try:
        results = measure(args.scale, config, folder)
    except BaseException:
        # A national run takes an hour: keep its run report and databases to read.
        print(f"Bench mislukt; de werkmap blijft staan: {folder}", file=sys.stderr)
        raise
    shutil.rmtree(folder)
    json_path, md_path = bench_report.write(results, args.out)
    print(bench_report.markdown(results))
    print(f"\nRapport: {md_path} en {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
