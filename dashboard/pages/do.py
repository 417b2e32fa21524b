"""Do – Kwaliteitskompas blok 3 en 4: jeugdhulp inzet per school en wijk, mix, kosten, kaart."""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from dashboard import format as fmt
from dashboard.components import charts
from dashboard.components.blocks import chart_block
from dashboard.components.controls import choose, dropdown, level_options, location, url_sync
from dashboard.context import current_scope, published
from dashboard.data import NotPublished
from dashboard.tables import breakdown_table, value_table

dash.register_page(__name__, path="/do", name="Do", title="Do – Jeugd & Onderwijs")
PAGE, FIELDS = "do", ("schooljaar", "niveau", "uitsplitsing")
LEVELS = ("school", "bestuur", "swv", "wijk", "gemeente")
DIMENSIONS = (("hulpvorm", "Hulpvorm"), ("verwijzer", "Verwijzer"),
              ("productcategorie", "Productcategorie"))
url_sync(PAGE, FIELDS)


def _shares(frame: pd.DataFrame) -> pd.DataFrame:
    """Share of records per category within each area (shown cells only)."""
    shown = frame[~frame["suppressed"] & (frame["category"] != "totaal")].copy()
    totals = frame[frame["category"] == "totaal"].set_index("area_code")["count"]
    shown["share"] = 100 * shown["count"] / shown["area_code"].map(totals)
    return shown.dropna(subset=["share"])


def layout(schooljaar: str | None = None, niveau: str | None = None,
           uitsplitsing: str | None = None, **_query) -> html.Div:
    data, scope = published(), current_scope()
    try:
        periods = data.periods()
    except NotPublished as error:
        return html.Div([html.H1("Do"), html.P(str(error))])
    period = choose(schooljaar, periods)
    level = choose(niveau, list(LEVELS), "wijk")
    dimension = choose(uitsplitsing, [d for d, _ in DIMENSIONS], "hulpvorm")
    care = data.values(scope, "jeugdhulp_leerlingen", level, period)
    wijken = data.values(scope, "jeugdhulp_leerlingen", "wijk", period)
    costs = data.values(scope, "jeugdhulp_kosten_per_traject", level, period)
    mix = data.breakdowns(scope, level, period, dimension)
    shown_mix = _shares(mix)
    schools = data.schools(scope)
    return html.Div([
        location(PAGE),
        html.H1("Do"),
        html.H2("3 Activiteiten: Welke voorzieningen, partners en burgers helpen onze ambities "
                "waar te maken?"),
        html.Div([
            dropdown(PAGE, "schooljaar", "Schooljaar", [(p, p) for p in periods], period),
            dropdown(PAGE, "niveau", "Niveau", level_options(LEVELS), level),
            dropdown(PAGE, "uitsplitsing", "Uitsplitsing", list(DIMENSIONS), dimension),
        ], className="filters"),
        chart_block("do-kaart", f"Leerlingen met jeugdhulp per wijk (woonadres), {period}",
                    charts.wijk_map(data.wijk_geometry(), wijken, "%", schools),
                    value_table(wijken, "percentage"),
                    f"waarden|jeugdhulp_leerlingen|wijk|{period}",
                    note="Wijken zonder kleur: niet zichtbaar wegens kleine aantallen. "
                         "Ruiten: scholen. Kaart: Kadaster / CBS, 2024."),
        chart_block("do-leerlingen",
                    f"Leerlingen met jeugdhulp per {fmt.LEVELS[level].lower()}, {period}",
                    charts.bars(care.dropna(subset=["value"]).sort_values("value"),
                                "area_name", "value", "%"),
                    value_table(care, "percentage"),
                    f"waarden|jeugdhulp_leerlingen|{level}|{period}"),
        html.H2("4 Input kwaliteit: Hoe zorgen voorzieningen voor kwaliteit?"),
        chart_block("do-mix", f"Jeugdhulptrajecten naar {dimension} per "
                              f"{fmt.LEVELS[level].lower()}, {period}",
                    charts.mix(shown_mix, "% van de trajecten"), breakdown_table(mix),
                    f"uitsplitsing|{level}|{period}|{dimension}",
                    note="Trajecten die in het schooljaar begonnen. Aantallen afgerond op 5; "
                         "kleine aantallen zijn niet zichtbaar."),
        chart_block("do-kosten", f"Kosten per traject per {fmt.LEVELS[level].lower()}, {period}",
                    charts.bars(costs.dropna(subset=["value"]).sort_values("value"),
                                "area_name", "value", "euro"),
                    value_table(costs, "euro"),
                    f"waarden|jeugdhulp_kosten_per_traject|{level}|{period}"),
    ])
