"""Wall time and sampled peak memory of a whole process tree, for make bench.

`ru_maxrss` only knows finished children and counts each process on its own; the bench wants
the resident memory of the pipeline (or the dashboard) with every child it starts, over time.
A thread samples the sum of RSS of a process and all its descendants (psutil) every interval.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import psutil

from settings import PROJECT_ROOT


def tree_rss(process: psutil.Process) -> int:
    """Bytes resident in `process` and all its descendants (0 once it has ended)."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


class TreeSampler:
    """Samples tree_rss(pid) every `interval` s in a thread: (monotonic time, bytes)."""

    def __init__(self, pid: int, interval: float) -> None:
        self.process = psutil.Process(pid)
        self.interval = interval
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.monotonic(), tree_rss(self.process)))
            self._stop.wait(self.interval)

    def peak(self, start: float = 0.0, end: float = float("inf")) -> int:
        """Highest sample between `start` and `end` (monotonic seconds); for a span shorter
        than the sampling interval, the higher of the samples just before and just after it."""
        inside = [rss for when, rss in self.samples if start <= when <= end]
        if inside or not self.samples:
            return max(inside, default=0)
        before = [rss for when, rss in self.samples if when < start][-1:]
        after = [rss for when, rss in self.samples if when > end][:1]
        return max(before + after)


@dataclass
class Measured:
    """A finished command: wall seconds, peak tree memory, output lines with their time."""

    seconds: float
    peak_bytes: int
    began: float
    ended: float
    lines: list[tuple[float, str]] = field(default_factory=list)
    sampler: TreeSampler | None = None


def run_measured(module: list[str], env: dict[str, str], interval: float) -> Measured:
    """`python -m <module...>`, its output read line by line; stops the bench when it fails."""
    began = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", *module], cwd=PROJECT_ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               bufsize=1)
    lines = []
    with TreeSampler(process.pid, interval) as sampler:
        for line in process.stdout:
            lines.append((time.monotonic(), line.rstrip("\n")))
        code = process.wait()
    ended = time.monotonic()
    if code != 0:
        tail = "\n".join(text for _, text in lines[-30:])
        raise RuntimeError(f"python -m {' '.join(module)} stopte met code {code}:\n{tail}")
    return Measured(ended - began, sampler.peak(), began, ended, lines, sampler)
