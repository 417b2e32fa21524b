"""A throwaway PostgreSQL server for the notes tests (pytest plugin, see conftest.py).

Started from Debian's binaries with initdb in a temporary folder, on a free port, listening on
loopback only; as root it runs as the `postgres` system user (PostgreSQL refuses root). The
tests that need it are skipped with the reason only when it truly cannot start.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _bindir() -> Path | None:
    found = shutil.which("initdb") or next(
        iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)), None)
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_owner() -> tuple[list[str], int | None]:
    """The command prefix and uid to run the server as (never root)."""
    if os.getuid() != 0:
        return [], None
    try:
        user = pwd.getpwnam("postgres")
    except KeyError as error:
        raise RuntimeError("als root gestart en er is geen gebruiker 'postgres'") from error
    return ["runuser", "-u", "postgres", "--"], user.pw_uid


def start(folder: Path) -> tuple[str, list[str]]:
    """Start a cluster in `folder`; (SQLAlchemy URL, command that stops it)."""
    bindir = _bindir()
    if bindir is None:
        raise RuntimeError("initdb niet gevonden (Debian-pakket postgresql ontbreekt)")
    prefix, uid = _as_owner()
    if uid is not None:
        os.chown(folder, uid, -1)
    data, port = folder / "data", _free_port()
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8", "--no-locale"], **run)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l",
                    str(folder / "server.log"), "-w", "-o", options, "start"], **run)
    stop = [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", stop


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    folder = Path(tempfile.mkdtemp(prefix="notities-pg-"))
    try:
        url, stop = start(folder)
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        detail = getattr(error, "stderr", "") or ""
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"PostgreSQL kon niet starten: {error} {detail}".strip())
    try:
        yield url
    finally:
        subprocess.run(stop, capture_output=True, check=False, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
