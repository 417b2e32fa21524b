"""The one shape of a form callback: a button in one instance of a repeated form (ids
`{"type": ..., "key": ...}`), the fields beside it, what it updates. Pattern-matched, so a click
reaches only its own instance; the key comes from the server-rendered id of the button."""

from __future__ import annotations

from collections.abc import Callable

from dash import MATCH, Input, Output, State, callback


def _same(kind: str) -> dict:
    return {"type": kind, "key": MATCH}


def on_submit(outputs: list[tuple[str, str]], button: str, fields: list[str],
              first_output_shared: bool = False) -> Callable:
    """A callback on `button`'s clicks: called with (clicks, button id, *field values) and
    returning `outputs` ((type, property) pairs); `first_output_shared` when another callback
    writes the first output too (Dash's allow_duplicate)."""
    targets = [Output(_same(kind), prop, allow_duplicate=first_output_shared and index == 0)
               for index, (kind, prop) in enumerate(outputs)]
    return callback(*targets, Input(_same(button), "n_clicks"), State(_same(button), "id"),
                    *[State(_same(kind), "value") for kind in fields],
                    prevent_initial_call=True)
