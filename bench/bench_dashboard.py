"""The dashboard under load: gunicorn on a free loopback port, demo logins, cold pass, Locust.

Every page's main callback is its render by the Dash pages router (pathname + query): a filter
only rewrites the URL, after which the page renders again. The floor is the trivial callback
of bench/bench_server.py on the same server. First a cold pass (empty cache, one request per
role and page, one at a time), then Locust in headless mode with N users of the demo roles,
bounded in seconds and requests; p50/p95 per page ÷ the floor's p95.
"""

from __future__ import annotations

import csv
import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import requests

from bench.bench_memory import TreeSampler
from bench.bench_server import FLOOR_INPUT, FLOOR_OUTPUT
from dashboard.app import create_app
from dashboard.dash_internals import menu_pages
from dashboard.roles import may_open
from privacy.scope import Scope
from settings import PROJECT_ROOT, Settings

LOCUST = PROJECT_ROOT / ".cache" / "locust" / "bin" / "locust"
LOCUSTFILE = PROJECT_ROOT / "bench" / "bench_locustfile.py"
QUERIES = {"/check": {"indicator": "vsv", "niveau": "school"}, "/do": {"niveau": "school"}}
ROUTER = ".._pages_content.children..._pages_store.data.."
MIB = 1024 * 1024
# gunicorn's access log during the bench: request line, status and microseconds in the worker.
ACCESS_FORMAT = "bench %(m)s %(U)s %(s)s %(D)s"
ACCESS_LINE = re.compile(r"^bench POST /_dash-update-component 200 (\d+)$")

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    """A port nobody listens on now (never 8050, the dashboard's own)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _body(output: str, outputs, inputs: list[dict]) -> dict:
    return {"output": output, "outputs": outputs, "inputs": inputs, "state": [],
            "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs]}


def render_body(path: str) -> dict:
    """What the pages router posts to render `path` with its bench query."""
    query = QUERIES.get(path)
    return _body(ROUTER, [{"id": "_pages_content", "property": "children"},
                          {"id": "_pages_store", "property": "data"}],
                 [{"id": "_pages_location", "property": "pathname", "value": path},
                  {"id": "_pages_location", "property": "search",
                   "value": "?" + urlencode(query) if query else ""}])


def menu_paths(settings: Settings) -> tuple[str, ...]:
    """The menu's pages (Dash's page registry, filled by making the app) and a school profile."""
    create_app(settings)
    return (*(path for path, _ in menu_pages()), "/school")


def plan(logins: dict[str, tuple[str, str]], max_requests: int,
         paths: tuple[str, ...]) -> dict:
    """The Locust plan: accounts, each role's page renders, the floor callback."""
    accounts = [{"gebruiker": name, "wachtwoord": password, "rol": role}
                for name, (password, role) in logins.items()]
    per_role = {}
    for account in accounts:
        scope = Scope.parse(account["rol"], False)
        per_role[account["rol"]] = [{"naam": f"pagina {path}", "body": render_body(path)}
                                    for path in paths if may_open(scope, path)]
    floor = {"naam": "vloer", "body": _body(f"{FLOOR_OUTPUT}.children",
                                            {"id": FLOOR_OUTPUT, "property": "children"},
                                            [{"id": FLOOR_INPUT, "property": "n_clicks",
                                              "value": 1}])}
    return {"accounts": accounts, "requests": per_role, "floor": floor,
            "max_requests": max_requests, "wait_s": [0.5, 1.5]}


@contextmanager
def serving(env: dict[str, str], settings: Settings, log: Path,
            interval: float) -> Iterator[TreeSampler]:
    """gunicorn with the bench factory and monitor.toml's gunicorn settings, until done."""
    url = f"http://{settings.dashboard.host}:{settings.dashboard.port}"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "dashboard/gunicorn.conf.py",
             "--access-logformat", ACCESS_FORMAT, "bench.bench_server:create_bench_server()"],
            cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(url, server, log)
        with TreeSampler(server.pid, interval) as sampler:
            yield sampler
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_up(url: str, server: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopte:\n{log.read_text(encoding='utf-8')[-3000:]}")
        try:
            if requests.get(f"{url}/inloggen", timeout=30).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn antwoordt niet binnen {seconds:.0f} s op {url}")


def cold_pass(url: str, bench_plan: dict) -> dict[str, list[float]]:
    """Milliseconds of the first render of every page for every account, one at a time."""
    timings: dict[str, list[float]] = {}
    for account in bench_plan["accounts"]:
        session = requests.Session()
        form = session.get(f"{url}/inloggen").text  # the form's CSRF token (dashboard.csrf)
        login = session.post(f"{url}/inloggen", allow_redirects=False,
                             data={"gebruiker": account["gebruiker"],
                                   "wachtwoord": account["wachtwoord"],
                                   "csrf_token": CSRF_FIELD.search(form).group(1)})
        if login.status_code != 302:
            raise RuntimeError(f"inloggen als {account['gebruiker']}: {login.status_code}")
        session.headers["X-CSRFToken"] = session.cookies["_csrf_token"]  # as Dash sends it
        for request in bench_plan["requests"][account["rol"]]:
            began = time.perf_counter()
            response = session.post(f"{url}/_dash-update-component", json=request["body"])
            response.raise_for_status()
            timings.setdefault(request["naam"], []).append(
                (time.perf_counter() - began) * 1000)
    return timings


def run_locust(url: str, plan_path: Path, out: Path, users: int, seconds: int) -> list[dict]:
    """Locust headless against `url`; its per-request-name statistics (milliseconds)."""
    if not LOCUST.is_file():
        raise RuntimeError(f"Locust ontbreekt ({LOCUST}): draai eerst `make locust`.")
    prefix = out / "locust"
    subprocess.run([str(LOCUST), "-f", str(LOCUSTFILE), "--headless", "-u", str(users),
                    "-r", str(users), "--run-time", f"{seconds}s", "--host", url,
                    "--csv", str(prefix), "--only-summary", "--stop-timeout", "5",
                    "--loglevel", "WARNING"],
                   cwd=out, env={"BENCH_PLAN": str(plan_path), "PATH": "/usr/bin:/bin"},
                   check=True, capture_output=True, text=True, timeout=seconds + 120)
    with (out / "locust_stats.csv").open(encoding="utf-8") as handle:
        return [{"naam": row["Name"], "verzoeken": int(row["Request Count"]),
                 "fouten": int(row["Failure Count"]), "p50_ms": float(row["50%"]),
                 "p95_ms": float(row["95%"]), "gemiddeld_ms": float(row["Average Response Time"])}
                for row in csv.DictReader(handle) if row["Name"] != "Aggregated"]


def server_time(log: Path, offset: int, seconds: float, workers: int) -> dict:
    """Time the workers spent on callbacks after `offset` in the access log: p50/p95 per
    request and the share of `seconds` × `workers` they were busy (1 = always busy)."""
    with log.open(encoding="utf-8") as handle:
        handle.seek(offset)
        micros = sorted(int(match[1]) for line in handle
                        if (match := ACCESS_LINE.match(line.strip())))
    if not micros:
        return {"verzoeken": 0}
    # Cached pages answer in about a millisecond: keep enough digits that a light load is
    # not reported as zero.
    return {"verzoeken": len(micros), "p50_ms": round(micros[len(micros) // 2] / 1000, 1),
            "p95_ms": round(micros[int(len(micros) * 0.95)] / 1000, 1),
            "bezetting": round(sum(micros) / 1e6 / (seconds * workers), 4)}


def bench_dashboard(env: dict[str, str], settings: Settings, logins: dict[str, tuple[str, str]],
                    scale: dict, out: Path, interval: float) -> dict:
    """Cold pass and Locust run on one server; latencies per page against the floor."""
    url = f"http://{settings.dashboard.host}:{settings.dashboard.port}"
    bench_plan = plan(logins, scale["max_verzoeken"], menu_paths(settings))
    plan_path = out / "plan.json"
    plan_path.write_text(json.dumps(bench_plan), encoding="utf-8")
    log = out / "gunicorn.log"
    with serving(env, settings, log, interval) as sampler:
        cold = cold_pass(url, bench_plan)
        offset, began = log.stat().st_size, time.monotonic()
        stats = run_locust(url, plan_path, out, scale["gebruikers"], scale["seconden"])
        seconds = time.monotonic() - began
        peak = sampler.peak()
    floor = next((row for row in stats if row["naam"] == "vloer"), None)
    if floor is None:
        raise RuntimeError("Locust heeft de vloer-callback niet aangeroepen: langer meten.")
    pages = {row["naam"].removeprefix("pagina "): {
        **row, "p95_x_vloer": round(row["p95_ms"] / floor["p95_ms"], 1),
        "koud_mediaan_ms": round(sorted(cold[row["naam"]])[len(cold[row["naam"]]) // 2]),
        "koud_max_ms": round(max(cold[row["naam"]]))}
        for row in stats if row["naam"].startswith("pagina ")}
    return {"gebruikers": scale["gebruikers"], "seconden": scale["seconden"],
            "rollen": sorted({a["rol"].split(":")[0] for a in bench_plan["accounts"]}),
            "vloer": floor, "paginas": pages, "piekgeheugen_mib": round(peak / MIB),
            "workers": settings.dashboard.workers,
            "in_de_workers": server_time(log, offset, seconds, settings.dashboard.workers),
            "inloggen": next((row for row in stats if row["naam"] == "inloggen"), None)}
