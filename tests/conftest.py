"""Shared fixtures: one end-to-end run on the sample data, reused by every integration test."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import Parameters, PasswordHasher, Type

from dashboard import clock, users
from settings import PROJECT_ROOT, Settings, load_settings
from tests.fixtures import TEST_KEY, write_settings

pytest_plugins = ["tests.postgres"]  # the throwaway PostgreSQL server for the notes tests

SAMPLE_GEMEENTE = "GM0034"
# The default sample (all of Almere): what `make run` shows, about 20 s on 2 cores.
SAMPLE_SCALE = "1"


@dataclass(frozen=True)
class SampleRun:
    root: Path
    settings_path: Path
    settings: Settings
    sources: Path
    landing: Path
    key_file: Path
    env: dict[str, str]

    @property
    def work_db(self) -> Path:
        return self.settings.paths.work / "work.duckdb"

    @property
    def published_db(self) -> Path:
        return self.settings.paths.published / "current" / "monitor.duckdb"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run `python -m <args>` with this run's settings; output captured as text."""
        return subprocess.run(
            [sys.executable, "-m", *args],
            cwd=PROJECT_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
        )


def make_environment(root: Path) -> tuple[Path, dict[str, str]]:
    settings_path = write_settings(root)
    env = {**os.environ, "MONITOR_SETTINGS": str(settings_path), "GX_ANALYTICS_ENABLED": "false"}
    return settings_path, env


def run_sample(root: Path, gemeente: str, scale: str) -> SampleRun:
    """Sample data for one gemeente → pseudonymised landing files → a full pipeline run."""
    settings_path, env = make_environment(root)
    key_file = root / "demo.key"
    key_file.write_text(TEST_KEY + "\n", encoding="utf-8")
    run = SampleRun(
        root=root,
        settings_path=settings_path,
        settings=load_settings(settings_path),
        sources=root / "sources",
        landing=root / "data" / "landing",
        key_file=key_file,
        env=env,
    )
    run.run("sample_data", "--gemeente", gemeente, "--out", str(run.sources), "--scale", scale)
    run.run("privacy.pseudonymise", "--key-file", str(key_file), "--in", str(run.sources),
            "--out", str(run.landing))
    result = run.run("pipelines", "run", "--landing", str(run.landing), check=False)
    if result.returncode != 0:
        pytest.fail(f"pipeline failed:\n{result.stdout}\n{result.stderr}")
    return run


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> SampleRun:
    """Sample data for Almere → pseudonymised landing files → a full pipeline run."""
    return run_sample(tmp_path_factory.mktemp("monitor"), SAMPLE_GEMEENTE, SAMPLE_SCALE)


# Tests that need a whole pipeline run on sample data, a generated sample of a whole gemeente
# or region (test_sample_data.py's almere, amsterdam and region) or a PostgreSQL server are
# `slow`, whoever writes them: `pytest -m "not slow"` gives the fast feedback, `make test` runs
# everything.
SLOW_FIXTURES = frozenset({"sample_run", "small_landing", "postgres_url"})
SLOW_IN_MODULE = {"test_sample_data.py": frozenset({"almere", "amsterdam", "region"})}


# With -n, modules that share a costly start run in one worker instead of paying it in each:
# Great Expectations takes 3 s of a core to import; the PostgreSQL server starts per worker.
SHARED_WORKER = {**dict.fromkeys(["test_pipelines_checks.py", "test_pipelines_failures.py",
                                  "test_deliveries.py", "test_landing_values.py",
                                  "test_runs.py"], "great_expectations"),
                 **dict.fromkeys(["test_notes_store.py", "test_notes_unavailable.py"],
                                 "postgresql")}


# The costliest units (`pytest -m "not slow" -n 2 --durations=0`, summed per unit) start first:
# xdist orders them by number of tests, and one costly unit left to the end keeps one worker
# busy while the other waits.
COSTLY_FIRST = ("great_expectations", "tests/test_privacy_disclosure_channels.py",
                "tests/test_indicators_definitions.py",
                "tests/test_indicators_definitions_national.py")


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """With -n: each module in one worker (its module fixtures are built once), the modules
    of SHARED_WORKER together, and the COSTLY_FIRST units first."""
    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::")[0]
            return SHARED_WORKER.get(Path(module).name, module)

        def _assign_work_unit(self, node: object) -> None:
            for scope in reversed(COSTLY_FIRST):
                if scope in self.workqueue:
                    self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

    return ByModule(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        slow = SLOW_FIXTURES | SLOW_IN_MODULE.get(item.path.name, frozenset())
        if slow & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def pytest_configure(config: pytest.Config) -> None:
    """Browser tests of several checkouts may run at once: start dash_duo's ports per process."""
    from dash.testing.application_runners import BaseDashRunner

    BaseDashRunner._next_port = 20000 + (os.getpid() % 2000) * 10


def pytest_setup_options():
    """Chromium flags for dash_duo on a machine without internet (Debian's chromium)."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    for flag in ("--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1300,1600"):
        options.add_argument(flag)
    if Path("/usr/bin/chromium").exists():
        os.environ.setdefault("DASH_TEST_CHROMEPATH", "/usr/bin/chromium")
    return options


@pytest.fixture(scope="session")
def demo_logins(sample_run: SampleRun) -> dict[str, tuple[str, str]]:
    """`python -m dashboard.demo` on the sample run: user name -> (password, role)."""
    result = sample_run.run("dashboard.demo")
    assert "Demo-gebruikers" in result.stdout, result.stderr
    lines = sample_run.settings.paths.demo_logins.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    return {name: (password, role) for name, password, role, _ in rows}


class FakeClock:
    """The dashboard's clock (dashboard.clock.now) standing still until the test moves it."""

    def __init__(self) -> None:
        self.start = self.now = time.time()

    def at(self, seconds: float) -> None:
        self.now = self.start + seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Sessions, login counters and account waits in the test's time: no real sleeps."""
    moved = FakeClock()
    monkeypatch.setattr(clock, "now", lambda: moved.now)
    return moved


@pytest.fixture
def quick_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at the lowest cost for tests that log in within this process, as Django's test
    settings swap in a fast hasher: each login otherwise costs 0,15 s of both cores. The floor
    for stored hashes moves with it; its own tests (test_dashboard_users) and servers in
    another process keep the real profile."""
    cheap = Parameters(type=Type.ID, version=19, salt_len=16, hash_len=32, time_cost=1,
                       memory_cost=8, parallelism=1)
    monkeypatch.setattr(users, "PROFILE", cheap)
    monkeypatch.setattr(users, "HASHER", PasswordHasher.from_parameters(cheap))
