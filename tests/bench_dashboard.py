"""Time every page's main callback (the page render) on a published database, for make bench."""

from __future__ import annotations

import time
from pathlib import Path

import dash

from dashboard.app import create_app
from dashboard.context import Viewer
from privacy.scope import Scope
from privacy.settings import load_settings

QUERIES = {"/check": {"indicator": "vsv", "niveau": "school"},
           "/do": {"niveau": "school"}, "/school": {}, "/wijk": {}}


def bench_callbacks(settings_path: Path, repeats: int = 3) -> dict[str, dict[str, float]]:
    """Seconds per page: the first render (cold cache) and the best of `repeats` (warm)."""
    analyst = Viewer("bench", "Bench", "gemeente", Scope("analist"))
    app = create_app(load_settings(settings_path), viewer=lambda _request: analyst)
    timings = {}
    with app.server.test_request_context("/"):
        for page in dash.page_registry.values():
            query = QUERIES.get(page["path"], {})
            began = time.perf_counter()
            page["layout"](**query)
            cold = time.perf_counter() - began
            warm = []
            for _ in range(repeats):
                began = time.perf_counter()
                page["layout"](**query)
                warm.append(time.perf_counter() - began)
            timings[page["path"]] = {"koud_s": round(cold, 3), "warm_s": round(min(warm), 3)}
    return timings
