"""What each role may open beyond its data scope: pages, downloads and the Data Docs.

The data itself is scoped by privacy/scope.py; this module decides which menu items, pages
and downloads exist for a role at all. The server asks it for every request; the menu only
shows what it allows.
"""

from __future__ import annotations

from privacy.scope import Scope

# Pages, downloads and routes only the municipal analyst uses (docs/security.md).
ANALYST_ONLY_PAGES = ("/datakwaliteit",)
ANALYST_ONLY_DOWNLOADS = ("controles",)


def may_open(scope: Scope, path: str) -> bool:
    """May this role open the page at `path` (a pathname, without query)?"""
    return scope.role == "analist" or path.rstrip("/") not in ANALYST_ONLY_PAGES


def may_download(scope: Scope, key: str) -> bool:
    return scope.role == "analist" or key.split("|")[0] not in ANALYST_ONLY_DOWNLOADS


def may_read_data_docs(scope: Scope) -> bool:
    return scope.role == "analist"
