"""One explained mark per reason a cell of a board's tables holds no figure.

"–" used to mean three things. Now a row that can never apply to a school type is left out
(`applies`), and every remaining empty cell says why, in words the page's legend explains:
nog geen cijfer · afgeschermd, with where the figure *is* visible (all schooljaren together,
the board as a whole, the samenwerkingsverband).
"""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard import format as fmt

NOT_APPLICABLE = "n.v.t."
NO_FIGURE = "nog geen cijfer"
HIDDEN = fmt.HIDDEN
WHERE = {"meerjarig": "alle schooljaren samen", "bestuur": "het bestuur",
         "swv": "het swv"}
LEGEND = {
    NOT_APPLICABLE: "niet van toepassing: de indicator geldt niet voor dit soort school of "
                    "bestuur (zulke rijen staan er niet in).",
    NO_FIGURE: "er is (nog) geen cijfer voor dit schooljaar: geen leerlingen in de "
               "doelgroep, of de gegevens zijn nog niet aangeleverd.",
    HIDDEN: "het cijfer bestaat, maar is niet getoond om kleine aantallen te beschermen "
            "(convenant). Waar het cijfer wel te zien is, staat erachter: "
            + ", ".join(f"“{word}” = {text}" for word, text in WHERE.items()) + ".",
}


def applies(applicable: pd.DataFrame, soorten: set[str]) -> set[str]:
    """Indicator ids that apply to at least one of these school types."""
    return set(applicable.loc[applicable["school_soort"].isin(soorten), "indicator_id"])


def cell(row: pd.Series | dict | None, unit: str, visible_at: list[str]) -> str:
    """A value, 'nog geen cijfer', or 'afgeschermd · zichtbaar: …'."""
    if row is None or (fmt.missing(row["value"]) and not row["suppressed"]):
        return NO_FIGURE
    if row["suppressed"]:
        return HIDDEN + (f" · zichtbaar: {', '.join(visible_at)}" if visible_at else "")
    return fmt.value(row["value"], unit)


def legend() -> html.Section:
    """The explanation of every mark, on the page beside the tables that use them."""
    return html.Section([
        html.H2("Zo leest u de tabellen"),
        html.Dl([part for mark, text in LEGEND.items()
                 for part in (html.Dt(mark), html.Dd(text))]),
    ], className="blok tekens", id="bestuur-tekens")
