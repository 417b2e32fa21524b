"""Filter controls whose values live in the URL (shareable, bookmarkable).

A page renders its content from the query string; changing a control only rewrites the URL
(a navigation without reload), after which the page renders again from the new query.
"""

from __future__ import annotations

from urllib.parse import urlencode

from dash import Input, Output, callback, dcc, html

from dashboard import format as fmt

DROPDOWN_LABELS = {"search": "Zoeken", "clear_search": "Zoekterm wissen",
                   "clear_selection": "Keuze wissen", "no_options_found": "Niets gevonden",
                   "select_all": "Alles kiezen", "deselect_all": "Niets kiezen",
                   "selected_count": "{num_selected} gekozen"}


def dropdown(page: str, field: str, label: str, options: list[tuple[str, str]],
             value: str | None) -> html.Div:
    control_id = f"{page}-{field}"
    return html.Div([
        html.Label(label, htmlFor=control_id),
        dcc.Dropdown(id=control_id, options=[{"label": text, "value": key}
                                             for key, text in options],
                     value=value, clearable=False, searchable=True,
                     placeholder=f"Kies {label.lower()}", labels=DROPDOWN_LABELS),
    ])


def indicator_options(catalogue) -> list[tuple[str, str]]:
    return list(zip(catalogue["indicator_id"], catalogue["naam"], strict=True))


def level_options(levels: tuple[str, ...] = (*fmt.AREA_LEVELS, "gemeente")
                  ) -> list[tuple[str, str]]:
    return [(level, fmt.LEVELS[level]) for level in levels]


def profile_filters(page: str, area: tuple[str, str, list[tuple[str, str]], str],
                    periods: list[str], period: str, catalogue, indicator: str) -> html.Div:
    """The filter row of a profile page: the area, the schooljaar and the indicator."""
    field, label, options, value = area
    return html.Div([
        dropdown(page, field, label, options, value),
        dropdown(page, "schooljaar", "Schooljaar", [(p, p) for p in periods], period),
        dropdown(page, "indicator", "Indicator", indicator_options(catalogue), indicator),
    ], className="filters")


def url_sync(page: str, fields: tuple[str, ...]) -> None:
    """Register: any control of `page` changed -> the page URL carries all their values."""
    @callback(Output(f"{page}-adres", "search"),
              [Input(f"{page}-{field}", "value") for field in fields],
              prevent_initial_call=True)
    def _to_url(*values):
        return "?" + urlencode({f: v for f, v in zip(fields, values, strict=True) if v})


def location(page: str) -> dcc.Location:
    return dcc.Location(id=f"{page}-adres", refresh="callback-nav")


def choose(value: str | None, options: list[str], default: str | None = None) -> str | None:
    """A query value if it is one of the options, else the default (or the last option)."""
    if value in options:
        return value
    return default if default in options else (options[-1] if options else None)
