"""Overzicht's sections: the catalogue's blocks (domains of maatschappelijk resultaat and the
Kwaliteitskompas outcome block), each with a heading, in the published block order."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from dash import html


def block_sections(catalogue: pd.DataFrame, card: Callable[[pd.Series], html.Article]
                   ) -> list[html.Section]:
    """One section per block (catalogue columns blok, blok_volgorde) in its fixed order, a
    heading each, the cards sorted by name within."""
    sections = []
    for (number, title), entries in catalogue.groupby(["blok_volgorde", "blok"], sort=True):
        ordered = entries.sort_values("naam", key=lambda names: names.str.casefold())
        slug = f"blok-{int(number)}"
        sections.append(html.Section([
            html.H3(title, id=slug),
            html.Div([card(entry) for _, entry in ordered.iterrows()], className="kaarten"),
        ], className="blok overzicht-blok", **{"aria-labelledby": slug}))
    return sections
