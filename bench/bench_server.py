"""The dashboard as gunicorn serves it, plus one trivial callback: the bench's floor.

`gunicorn 'bench.bench_server:create_bench_server()'` serves the production app with one
extra callback that does nothing (no data, no cache): its latency under the same load is what
Dash, Flask, the login check and gunicorn cost on their own. Only this factory registers it,
so the production server (`dashboard.app:create_server()`) has no such route.
"""

from __future__ import annotations

import dash
import flask
from dash import Input, Output

from dashboard.app import create_app

FLOOR_OUTPUT, FLOOR_INPUT = "bench-vloer", "bench-vloer-knop"


def create_bench_app() -> dash.Dash:
    """The production app from monitor.toml ($MONITOR_SETTINGS) plus the floor callback."""
    app = create_app()

    @app.callback(Output(FLOOR_OUTPUT, "children"), Input(FLOOR_INPUT, "n_clicks"))
    def floor(clicks: int | None) -> str:
        return f"vloer {clicks}"

    return app


def create_bench_server() -> flask.Flask:
    return create_bench_app().server
