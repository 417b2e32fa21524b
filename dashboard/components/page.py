"""The page decorator: every page says the same thing when nothing is published yet."""

from __future__ import annotations

import functools
from collections.abc import Callable

from dash import html

from dashboard.data import NotPublished


def published_page(title: str) -> Callable[[Callable[..., html.Div]], Callable[..., html.Div]]:
    """Wrap a page layout: before the first pipeline run it shows `title` and why it is empty."""
    def decorate(layout: Callable[..., html.Div]) -> Callable[..., html.Div]:
        @functools.wraps(layout)
        def wrapped(**query) -> html.Div:
            try:
                return layout(**query)
            except NotPublished as error:
                return html.Div([html.H1(title), html.P(str(error))])
        return wrapped
    return decorate
