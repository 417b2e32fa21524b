"""The pipeline under measurement: per stage wall time, landing rows per second, peak memory.

The pipeline runs as its own process (`python -m pipelines run`), exactly as `make pipeline`
runs it; its progress lines are read as they come, so each stage spans from its own
`[n/7] Naam` line to the next one, and the process tree's memory samples are split the same
way. The SQL models' own timings (stage 3) come from the same lines.
"""

from __future__ import annotations

import re
from pathlib import Path

from bench.bench_memory import Measured, run_measured
from pipelines.console import STAGES

STAGE_KEYS = ("load", "validate", "link", "indicators", "disclosure", "targets", "publish")
STAGE_LINE = re.compile(r"^\[(\d)/\d\] ")
SUMMARY_LINE = re.compile(r"^Pijplijnrun \S+: ")
MODEL_LINE = re.compile(r"^\s+(\w+\.\w+)\s+([\d.]+) rijen \((\d+(?:,\d+)?) s\)$")
MIB = 1024 * 1024


def stage_spans(measured: Measured) -> list[tuple[str, float, float]]:
    """(key, start, end) per stage, in monotonic seconds, from the progress lines."""
    starts = [(int(match[1]), when) for when, text in measured.lines
              if (match := STAGE_LINE.match(text))]
    spans = []
    for i, (number, start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else _summary_time(measured)
        spans.append((STAGE_KEYS[number - 1], start, end))
    return spans


def _summary_time(measured: Measured) -> float:
    """When the closing summary began (the last stage ends there), else the process end."""
    return next((when for when, text in measured.lines if SUMMARY_LINE.match(text)),
                measured.ended)


def slowest_models(measured: Measured, count: int) -> list[dict]:
    """The stage-3 SQL models that took longest, from their progress lines."""
    models = [{"model": match[1], "rijen": int(match[2].replace(".", "")),
               "seconden": float(match[3].replace(",", "."))}
              for _, text in measured.lines if (match := MODEL_LINE.match(text))]
    return sorted(models, key=lambda m: -m["seconden"])[:count]


def run_pipeline(landing: Path, env: dict[str, str], rows: int, interval: float) -> dict:
    """One measured pipeline run on `landing`; `rows` = landing rows (for rows per second)."""
    measured = run_measured(["pipelines", "run", "--landing", str(landing)], env, interval)
    stages = {}
    for key, start, end in stage_spans(measured):
        seconds = end - start
        stages[key] = {"naam": STAGES[STAGE_KEYS.index(key)], "seconden": round(seconds, 2),
                       "rijen_per_s": round(rows / seconds) if seconds > 0 else None,
                       "piekgeheugen_mib": round(measured.sampler.peak(start, end) / MIB)}
    first = min(start for _, start, _ in stage_spans(measured))
    return {"seconden": round(measured.seconds, 2),
            "opstarten_s": round(first - measured.began, 2),
            "piekgeheugen_mib": round(measured.peak_bytes / MIB),
            "rijen": rows, "stappen": stages,
            "koppelen_modellen": slowest_models(measured, 50)}
