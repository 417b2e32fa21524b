"""make bench: time and memory of generation, pipeline stages and dashboard callbacks.

    python -m tests.bench [--scale 1] [--gemeente GM0034]

--scale 65 generates about 3,5 million persons (national size). Results go to the terminal and
to test-artifacts/bench.json so runs can be compared.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from privacy.settings import PROJECT_ROOT
from tests.bench_dashboard import bench_callbacks
from tests.conftest import make_environment
from tests.fixtures import TEST_KEY

STAGE = re.compile(r"^\[(\d)/\d\] (\w+)")
SECONDS = re.compile(r"\((\d+(?:,\d+)?) s\)$")


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    began = time.monotonic()
    result = subprocess.run([sys.executable, "-m", *command], cwd=PROJECT_ROOT, env=env,
                            capture_output=True, text=True, check=True)
    return time.monotonic() - began, result.stdout


def _stage_seconds(output: str) -> dict[str, float]:
    """Per stage: the seconds printed on the stage's closing line."""
    stages, current = {}, None
    for line in output.splitlines():
        if match := STAGE.match(line):
            current = match[2]
        elif current and (match := SECONDS.search(line.strip())) and line.startswith("      "):
            stages[current] = float(match[1].replace(",", "."))
    return stages


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--gemeente", default="GM0034")
    args = parser.parse_args()
    results: dict[str, object] = {"scale": args.scale, "gemeente": args.gemeente}
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        root = Path(folder)
        _, env = make_environment(root)
        key = root / "demo.key"
        key.write_text(TEST_KEY, encoding="utf-8")
        results["genereren_s"], _ = _timed(
            ["sample_data", "--gemeente", args.gemeente, "--scale", str(args.scale), "--out",
             str(root / "sources")], env)
        results["pseudonimiseren_s"], _ = _timed(
            ["privacy.pseudonymise", "--key-file", str(key), "--in", str(root / "sources"),
             "--out", str(root / "data" / "landing")], env)
        results["pijplijn_s"], output = _timed(
            ["pipelines", "run", "--landing", str(root / "data" / "landing")], env)
        stages = _stage_seconds(output)
        results["stappen_s"] = stages
        results["aandeel_controleren"] = stages.get("Controleren", 0) / results["pijplijn_s"]
        results["piekgeheugen_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        results["dashboard_pagina_s"] = bench_callbacks(root / "monitor.toml")
    out = PROJECT_ROOT / "test-artifacts" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
