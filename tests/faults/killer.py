"""`python -m tests.faults.killer POINT run --landing …`: the real pipeline CLI, SIGKILLed at POINT.

POINT is a stage number 1-7 (killed as that stage starts) or a moment inside publishing:
`data_docs` (database and Parquet written, Data Docs being copied), `staged` (the new version
complete but not yet renamed), `renamed` (renamed, `current` not yet switched) or `link` (the
new `current` link made, not yet swapped in). Test-side patches only: production code has no
kill hook.
"""

from __future__ import annotations

import os
import signal
import sys

import pipelines.publish
from pipelines.__main__ import main
from pipelines.console import Console


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _after(function, point: str):
    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        print(f"gedood na {point}", flush=True)
        _die()
        return result
    return wrapper


def arm(point: str) -> None:
    if point.isdigit():
        stage = Console.stage

        def killing_stage(self: Console, number: int) -> None:
            stage(self, number)
            if number == int(point):
                _die()
        Console.stage = killing_stage
    elif point == "data_docs":
        pipelines.publish.shutil.copytree = lambda *_a, **_k: _die()
    elif point == "staged":
        pipelines.publish._write_version = _after(pipelines.publish._write_version, point)
    elif point == "renamed":
        pipelines.publish._swap = lambda *_a, **_k: _die()
    elif point == "link":
        replace = os.replace

        def killing_replace(source, target) -> None:
            if str(target).endswith("current"):
                _die()
            replace(source, target)
        pipelines.publish.os.replace = killing_replace
    else:
        raise SystemExit(f"onbekend punt {point}")


if __name__ == "__main__":
    arm(sys.argv[1])
    sys.exit(main(sys.argv[2:]))
