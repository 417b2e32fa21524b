"""Everything the dashboard relies on that Dash does not promise as public API, in one place.

- the page registry (`dash.page_registry`): the menu is read from it (pages registered with an
  `order` are menu items, in that order), and every page's layout is wrapped with the role
  check by replacing its registry entry's `layout`;
- the wire format of a callback request (`POST /_dash-update-component`, JSON with `output`)
  and the id of the pages router's output (`_pages_content.children`): the page cache keys on
  them.

`tests/test_dash_internals.py` pins each of these against the installed Dash: when an upgrade
changes one, that test fails before a page silently loses its role check or its cache.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import dash

UPDATE_PATH = "/_dash-update-component"  # where the renderer posts every callback
ROUTER_OUTPUT = "_pages_content.children"  # what the pages router renders


def menu_pages() -> list[tuple[str, str]]:
    """(path, name) of the pages registered with an `order`, in that order."""
    pages = [page for page in dash.page_registry.values() if page.get("order") is not None]
    return [(page["path"], page["name"])
            for page in sorted(pages, key=lambda page: page["order"])]


def wrap_layouts(wrap: Callable[[Callable | object, str], Callable]) -> None:
    """Replace every registered page's layout by `wrap(layout, path)`, once per page."""
    for page in dash.page_registry.values():
        if getattr(page["layout"], "wrapped", False):
            continue
        wrapped = wrap(page["layout"], page["path"])
        wrapped.wrapped = True
        page["layout"] = wrapped


def renders_page(body: bytes) -> bool:
    """Is this callback request body the pages router rendering a page?"""
    if ROUTER_OUTPUT.encode() not in body:  # most callbacks: no JSON parsing on their path
        return False
    try:
        output = json.loads(body).get("output", "")
    except (ValueError, AttributeError):
        return False
    return ROUTER_OUTPUT in str(output)
