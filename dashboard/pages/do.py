"""Do – Kwaliteitskompas blok 3 en 4: jeugdhulp inzet per school en wijk, mix, kosten, kaart."""

from __future__ import annotations

import dash
from dash import html

from dashboard import format as fmt
from dashboard.compare import own_codes
from dashboard.components import charts
from dashboard.components.blocks import bar_block, chart_block, hidden_footnote
from dashboard.components.controls import dropdown, level_options, location, url_sync
from dashboard.components.page import published_page
from dashboard.context import current_scope, published
from dashboard.figure_notes import caveat
from dashboard.tables import TRAJECT_TOTAL, share_table, shares, value_table
from dashboard.totals import with_region
from dashboard.visible import open_on

dash.register_page(__name__, path="/do", name="Do", order=2,
                   title="Do – Jeugd & Onderwijs")
PAGE, FIELDS = "do", ("schooljaar", "niveau", "uitsplitsing")
LEVELS = ("wijk", *(lv for lv in fmt.AREA_LEVELS if lv != "wijk"), "gemeente")
DIMENSIONS = (("hulpvorm", "Hulpvorm"), ("verwijzer", "Verwijzer"),
              ("productcategorie", "Productcategorie"))
url_sync(PAGE, FIELDS)


def _mix_block(data, scope, level: str, period: str, dimension: str) -> html.Section:
    """Stacked shares per area; hidden categories as one 'overig/afgeschermd' part (100%)."""
    totals = data.values(scope, TRAJECT_TOTAL, level, period)
    parts = shares(data.breakdowns(scope, level, period, dimension),
                   totals.set_index("area_code")["denominator"])
    parts = parts.assign(label=fmt.area_labels(parts)).sort_values(["label", "category"])
    return chart_block(
        "do-mix", f"Jeugdhulptrajecten naar {dimension} per {fmt.LEVELS[level].lower()}, "
                  f"{period}", charts.mix(parts), share_table(parts),
        f"uitsplitsing|{level}|{period}|{dimension}",
        note="Trajecten die in het schooljaar begonnen, als aandeel van alle trajecten van het "
             f"gebied. {fmt.OTHER}: categorieën die niet zichtbaar zijn (kleine aantallen), "
             "samengenomen, zodat elk gebied op 100% uitkomt.")


@published_page("Do")
def layout(schooljaar: str | None = None, niveau: str | None = None,
           uitsplitsing: str | None = None, **_query) -> html.Div:
    data, scope = published(), current_scope()
    periods, levels = data.periods(), with_region(data, scope, LEVELS)
    level, period = open_on(data.values(scope, "jeugdhulp_leerlingen"), levels, niveau,
                            schooljaar, periods)
    dimension = uitsplitsing if uitsplitsing in dict(DIMENSIONS) else "hulpvorm"
    care = data.values(scope, "jeugdhulp_leerlingen", level, period)
    wijken = data.values(scope, "jeugdhulp_leerlingen", "wijk", period)
    costs = data.values(scope, TRAJECT_TOTAL, level, period)
    mine = frozenset(own_codes(data, scope, level))
    per = fmt.LEVELS[level].lower()
    return html.Div([
        location(PAGE),
        html.H1("Do"),
        html.H2("3 Activiteiten: Welke voorzieningen, partners en burgers helpen onze ambities "
                "waar te maken?"),
        html.Div([
            dropdown(PAGE, "schooljaar", "Schooljaar", [(p, p) for p in periods], period),
            dropdown(PAGE, "niveau", "Niveau", level_options(levels), level),
            dropdown(PAGE, "uitsplitsing", "Uitsplitsing", list(DIMENSIONS), dimension),
        ], className="filters"),
        chart_block("do-kaart", f"Leerlingen met jeugdhulp per wijk (woonadres), {period}",
                    charts.wijk_map(data.wijk_geometry(), wijken, "percentage",
                                    data.schools(scope)),
                    value_table(wijken, "percentage"),
                    f"waarden|jeugdhulp_leerlingen|wijk|{period}",
                    note="Grijs: afgeschermd. Ruiten: scholen. Kaart: Kadaster / CBS, 2024.",
                    footnote=hidden_footnote(wijken)),
        bar_block("do-leerlingen", f"Leerlingen met jeugdhulp per {per}, {period}",
                  charts.bar_rows(care, mine), "percentage", value_table(care, "percentage"),
                  f"waarden|jeugdhulp_leerlingen|{level}|{period}",
                  footnote=hidden_footnote(care)),
        html.H2("4 Input kwaliteit: Hoe zorgen voorzieningen voor kwaliteit?"),
        _mix_block(data, scope, level, period, dimension),
        bar_block("do-kosten", f"Kosten per traject per {per}, {period}",
                  charts.bar_rows(costs, mine), "euro", value_table(costs, "euro"),
                  f"waarden|{TRAJECT_TOTAL}|{level}|{period}", footnote=hidden_footnote(costs),
                  note=caveat(data.catalogue().set_index("indicator_id").loc[TRAJECT_TOTAL],
                              period, periods)),
    ])
