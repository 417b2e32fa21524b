"""Files only their owner reads: the umask every command sets, and the check at start-up.

Landing files, the work and published databases, the notes, caches, sessions, the audit log and
the demo sources hold (pseudonymised) person data or secrets. Every command of the monitor
calls `owner_only()` first, so whatever it creates is 0600 (folders 0700) whatever the shell's
umask; `warn_if_shared()` names files or folders that others can still read (made before this
rule, or by hand) with the command that fixes them.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from settings import Settings

OWNER_ONLY = 0o077  # the umask: no bits for group and others
_SHOWN = 5  # paths named in the warning; the count is always complete


def owner_only() -> None:
    """Files and folders this process creates are readable by its owner only."""
    os.umask(OWNER_ONLY)


def shared_paths(roots: Iterable[Path]) -> list[Path]:
    """Every file or folder under `roots` that group or others may read, write or enter."""
    found: list[Path] = []
    for root in roots:
        if not root.exists():
            continue
        paths = [root] if root.is_file() else [root, *root.rglob("*")]
        found += [p for p in paths if not p.is_symlink()
                  and stat.S_IMODE(p.lstat().st_mode) & OWNER_ONLY]
    return found


def data_roots(settings: Settings) -> list[Path]:
    """The folders and files of [paths] that hold data or secrets."""
    paths = settings.paths
    return [paths.landing, paths.work, paths.published, paths.quarantine, paths.cache,
            paths.notes.parent, paths.users, paths.audit, paths.session_secret,
            paths.demo_logins]


def warn_if_shared(settings: Settings, stream=sys.stderr) -> list[Path]:
    """Print a Dutch warning naming data others can read; returns those paths."""
    shared = shared_paths(dict.fromkeys(data_roots(settings)))
    if shared:
        names = ", ".join(str(p) for p in shared[:_SHOWN])
        more = f" en nog {len(shared) - _SHOWN}" if len(shared) > _SHOWN else ""
        print(f"Let op: {len(shared)} gegevensbestanden of -mappen zijn leesbaar voor andere "
              f"accounts op deze server: {names}{more}. Maak ze alleen leesbaar voor de "
              f"eigenaar met `chmod -R go-rwx <map>` (zie docs/security.md).", file=stream)
    return shared
