"""Schoolprofiel: everything about one school, beside its bestuur, its peers, the gemeente and
(when several gemeenten deliver) the region.

The same page serves every role: an analyst sees peer schools by name; a school board sees its
own schools by name and other schools as anonymous peers (a distribution), as the scope says.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import dcc, html

from dashboard import compare
from dashboard import format as fmt
from dashboard.components import charts
from dashboard.components.blocks import bar_block, hidden_footnote
from dashboard.components.controls import choose, url_sync
from dashboard.components.notes import toelichtingen
from dashboard.components.page import published_page
from dashboard.components.profile import Area, hidden_reasons, profile, summary, values_text
from dashboard.context import current_scope, published
from dashboard.peers import median_row
from dashboard.peers import median_text as peers_text
from dashboard.tables import value_table
from dashboard.totals import comparison_rows, gemeente_of_wijk

dash.register_page(__name__, path="/school", name="Schoolprofiel",
                   title="Schoolprofiel – Jeugd & Onderwijs")
PAGE, FIELDS = "school", ("vestigingscode", "schooljaar", "indicator")
url_sync(PAGE, FIELDS)


def _peer_texts(peers: pd.DataFrame, catalogue: pd.DataFrame, k: int) -> dict[str, pd.Series]:
    """Median (with its n) and spread of the comparison group; only over at least k."""
    units = catalogue.set_index("indicator_id")["eenheid"]
    shown = peers.dropna(subset=["value"]).groupby("indicator_id")["value"]
    low, high = shown.min(), shown.max()
    enough = shown.size()[shown.size() >= k].index
    return {"Vergelijkbare scholen (mediaan)": pd.Series(
                {i: peers_text(group, units[i], k) for i, group in shown}, dtype=object),
            "Spreiding scholen": pd.Series({i: fmt.interval(low[i], high[i], units[i])
                                            for i in enough}, dtype=object)}


def _heading(school: pd.Series, code: str, indicator: str, period: str, groups) -> list:
    return [
        html.H1(fmt.school_label(school["naam"], code)),
        html.P([f"{school['school_soort']} · vestiging {code} · ",
                dcc.Link(f"bestuur {school['bevoegd_gezag_naam']}",
                         href=f"/bestuur?bestuur={school['bevoegd_gezag']}"
                              f"&indicator={indicator}&schooljaar={period}"),
                f" · samenwerkingsverband {school['swv'] or '–'} · vergelijkingsgroep "
                f"{school['peer_group']}"]),
        html.P(f"Vergelijkbare scholen: {groups.get(school['peer_group'], '')}",
               className="toelichting")]


@published_page("Schoolprofiel")
def layout(vestigingscode: str | None = None, schooljaar: str | None = None,
           indicator: str | None = None, **_query) -> html.Div:
    data, scope = published(), current_scope()
    schools, catalogue, periods = data.schools(scope), data.catalogue(), data.periods()
    openable = schools[schools["vestigingscode"].str.fullmatch(r"\d{2}[A-Z]{2}\d{2}")]
    codes = openable["vestigingscode"].tolist()
    # A code the viewer may not open says so; it never falls back to another school.
    code = vestigingscode if vestigingscode else (codes[0] if codes else None)
    if code is None or code not in codes or not scope.may_open_school(code, schools):
        return html.Div([html.H1("Schoolprofiel"),
                         html.P("Deze school kunt u met uw rol niet bij naam bekijken.")])
    period = choose(schooljaar, periods)
    ids = catalogue["indicator_id"].tolist()
    indicator = choose(indicator, ids, ids[0])
    school = schools.set_index("vestigingscode").loc[code]
    everything = data.values(scope, period=period)
    at_school = everything[everything["level"] == "school"]
    own = at_school[at_school["area_code"] == code]
    peers = at_school[at_school["area_code"].isin(compare.peer_codes(data, scope, "school",
                                                                     code))]
    pooled = data.pooled(scope, "school", code)
    comparisons = {**_peer_texts(peers, catalogue, data.k),
                   "Bestuur": values_text(everything[(everything["level"] == "bestuur") & (
                       everything["area_code"] == school["bevoegd_gezag"])], catalogue),
                   **{label: values_text(rows, catalogue) for label, rows in comparison_rows(
                       everything, gemeente_of_wijk(school["wijkcode"])).items()}}
    area = Area(PAGE, "school", code, school["naam"], "vestigingscode", "School", [
        (c, fmt.school_label(n, c)) for c, n in zip(codes, openable["naam"], strict=True)])
    groups = data.peer_groups().set_index("peer_group")["omschrijving"]
    return profile(area, _heading(school, code, indicator, period, groups), data, scope,
                   catalogue, (indicator, period, periods),
                   summary(area, catalogue, own, pooled, comparisons),
                   hidden_reasons(own, pooled), data.targets(scope),
                   extra=(toelichtingen(indicator, "school", code, period),
                          _peer_block(catalogue, indicator, period, own, peers, school, scope,
                                      data.k),))


def _peer_block(catalogue, indicator: str, period: str, own: pd.DataFrame, peers: pd.DataFrame,
                school: pd.Series, scope, k: int) -> html.Section:
    unit = catalogue.set_index("indicator_id").loc[indicator, "eenheid"]
    frame = pd.concat([own, peers])
    frame = frame[frame["indicator_id"] == indicator]
    if not scope.names_schools():
        # Anonymous peers of one comparison group would tell their group (soort and size)
        # beside a value that other pages tie to their alias: only their median, over k.
        frame = median_row(frame, own["area_code"], unit, k)
    return bar_block(
        "school-peers", f"{catalogue.set_index('indicator_id').loc[indicator, 'naam']}: "
                        f"vergelijkbare scholen ({school['peer_group']}), {period}",
        charts.bar_rows(frame, frozenset(own["area_code"])), unit, value_table(frame, unit),
        f"waarden|{indicator}|school|{period}",
        note="Oranje: deze school. " + ("Andere scholen staan er anoniem in, tenzij het "
                                        "convenant namen toestaat."
                                        if not scope.names_schools() else ""),
        footnote=hidden_footnote(frame))
