"""Plan – Kwaliteitskompas blok 1 en 2: ambities, indicatoren en afgesproken doelen."""

from __future__ import annotations

import dash
from dash import html

from dashboard import format as fmt
from dashboard.components.blocks import download_button, table
from dashboard.components.page import published_page
from dashboard.context import current_scope, published
from dashboard.tables import target_table

dash.register_page(__name__, path="/plan", name="Plan", order=1,
                   title="Plan – Jeugd & Onderwijs")


def _indicator_card(entry) -> html.Article:
    rows = (("Vraag", entry["vraag"]), ("Definitie", entry["definitie"]),
            ("Teller", entry["teller"]), ("Noemer", entry["noemer"]),
            ("Eenheid", fmt.unit_label(entry["eenheid"])),
            ("Richting", fmt.DIRECTIONS[entry["richting"]]),
            ("Populatie", entry["populatie"]), ("Niveaus", entry["niveaus"]),
            ("Bron", entry["bron"]), ("Definitie volgens", entry["definitie_bron"]),
            ("Kanttekeningen", entry["kanttekeningen"]))
    return html.Article([
        html.H3(entry["naam"], id=f"indicator-{entry['indicator_id']}"),
        html.Dl([item for label, text in rows for item in (html.Dt(label), html.Dd(text))]),
    ], className="blok")


@published_page("Plan")
def layout(**_query) -> html.Div:
    data, scope = published(), current_scope()
    catalogue, targets = data.catalogue(), data.targets(scope)
    agreed = targets.drop_duplicates("doel_id")
    names = catalogue.set_index("indicator_id")["naam"]
    ambitions = [html.Li([html.Strong(row["toelichting"] or names.get(row["indicator_id"], "")),
                          f" — {names.get(row['indicator_id'], '')}, "
                          f"{fmt.LEVELS[row['level']].lower()} {row['area_name'] or ''}; "
                          f"afgesproken in {row['afgesproken_in']} op "
                          f"{fmt.date(row['afgesproken_op'])}"])
                 for _, row in agreed.iterrows()]
    return html.Div([
        html.H1("Plan"),
        html.H2("1 Monitoring & ambities: Hoe gaat het met onze jeugd en wat zijn onze "
                "ambities?"),
        html.Ul(ambitions) if ambitions else html.P("Er zijn nog geen doelen afgesproken."),
        html.H2("2 Maatschappelijk resultaat: Hoe maken we onze ambities meetbaar?"),
        html.Section([html.H3("Afgesproken doelen per schooljaar"),
                      table(target_table(targets, catalogue), "plan-doelen"),
                      download_button("doelen")], className="blok"),
        html.Div([_indicator_card(entry) for _, entry in catalogue.iterrows()]),
    ])
