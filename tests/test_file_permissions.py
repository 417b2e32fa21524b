"""Files only their owner reads: what `make run` creates under data/ and .secrets/ is 0600
(folders 0700) whatever the shell's umask, and a data folder others can read is named at start.
"""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from privacy.files import warn_if_shared
from settings import PROJECT_ROOT, load_settings
from tests.conftest import make_environment
from tests.fixtures import write_settings
from tests.test_dashboard_workers import Browser, gunicorn


def _modes(root: Path) -> dict[str, str]:
    """Every path under `root` whose mode is not owner-only, with its mode."""
    return {str(p.relative_to(root)): oct(stat.S_IMODE(p.lstat().st_mode))
            for p in [root, *root.rglob("*")]
            if not p.is_symlink() and stat.S_IMODE(p.lstat().st_mode) & 0o077}


@pytest.mark.slow
def test_everything_make_run_writes_is_owner_only(tmp_path: Path) -> None:
    settings_path, env = make_environment(tmp_path)
    settings = load_settings(settings_path)
    key, sources = tmp_path / ".secrets" / "demo-sleutel.key", tmp_path / "data" / "sources"

    def command(*args: str) -> None:  # a shell whose umask shares everything it can
        result = subprocess.run([sys.executable, "-m", *args], cwd=PROJECT_ROOT, env=env,
                                capture_output=True, text=True, preexec_fn=lambda: os.umask(0))
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    command("privacy.pseudonymise", "--new-key", str(key))
    command("sample_data", "--gemeente", "GM0034", "--scale", "0.05", "--out", str(sources))
    command("privacy.pseudonymise", "--key-file", str(key), "--in", str(sources),
            "--out", str(settings.paths.landing))
    command("pipelines", "run")
    command("dashboard.demo")
    password = next(line.split("\t")[1] for line in settings.paths.demo_logins.read_text(
        encoding="utf-8").splitlines() if line.startswith("analist"))
    with gunicorn(settings_path, umask=0) as port:  # sessions, counters, cache, notes, audit
        browser = Browser(port, "127.0.0.41")
        assert browser.login("analist", password)[0] == 302
        assert browser.send("GET", "/_dash-layout")[0] == 200
    command("dashboard.notes", "export", "--out", str(tmp_path / "data" / "backup"))
    for expected in (settings.paths.notes, settings.paths.audit, settings.paths.session_secret,
                     settings.paths.published / "current" / "monitor.duckdb",
                     settings.paths.work, settings.paths.cache, sources, key):
        assert expected.exists(), expected
    assert _modes(tmp_path / "data") == {}
    assert _modes(tmp_path / ".secrets") == {}


def test_a_data_folder_others_can_read_is_named_at_start(tmp_path: Path) -> None:
    settings = load_settings(write_settings(tmp_path))
    landing = settings.paths.landing
    landing.mkdir(parents=True, mode=0o700)
    (landing / "personen.csv").touch(mode=0o600)
    assert warn_if_shared(settings, io.StringIO()) == []
    (landing / "personen.csv").chmod(0o644)
    settings.paths.work.mkdir(parents=True)
    settings.paths.work.chmod(0o755)
    out = io.StringIO()
    assert set(warn_if_shared(settings, out)) == {landing / "personen.csv", settings.paths.work}
    assert "leesbaar voor andere accounts" in out.getvalue()
    assert "chmod -R go-rwx" in out.getvalue()
