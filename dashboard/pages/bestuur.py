"""Mijn bestuur: a board's own schools × indicators beside the peer median and the gemeente,
with the board's own targets and status (in the manner of the DfE LAIT own-versus-neighbours
table). A board sees its own board only, whatever the URL says; an analyst chooses a board."""

from __future__ import annotations

import dash
import pandas as pd
from dash import dcc, html

from dashboard import format as fmt
from dashboard.components import charts
from dashboard.components.blocks import bar_block, hidden_footnote, table
from dashboard.components.controls import choose, dropdown, indicator_options, location, url_sync
from dashboard.components.page import published_page
from dashboard.context import current_scope, published
from dashboard.figure_notes import target_text, targets_for
from dashboard.tables import value_table
from dashboard.totals import top, top_name

dash.register_page(__name__, path="/bestuur", name="Mijn bestuur",
                   title="Mijn bestuur – Jeugd & Onderwijs")
PAGE, FIELDS = "bestuur", ("bestuur", "schooljaar", "indicator")
url_sync(PAGE, FIELDS)


def _board_table(catalogue, everything: pd.DataFrame, board: str, targets,
                 period: str, total_level: str) -> pd.DataFrame:
    """Per indicator: the board, the median of the other boards, the total (the gemeente, or
    the region when several gemeenten deliver), the target."""
    rows = []
    for key, entry in catalogue.iterrows():
        unit = entry["eenheid"]
        values = everything[everything["indicator_id"] == key]
        boards = values[values["level"] == "bestuur"]
        own = boards[boards["area_code"] == board]
        others = boards.loc[boards["area_code"] != board, "value"].dropna()
        town = values.loc[values["level"] == total_level, "value"]
        rows.append({
            "Indicator": entry["naam"],
            "Bestuur": fmt.cell(own["value"].iat[0], unit, own["suppressed"].iat[0])
            if len(own) else "–",
            "Andere besturen (mediaan)": fmt.value(others.median(), unit) if len(others)
            else "–",
            fmt.LEVELS[total_level]: fmt.value(town.iat[0], unit) if len(town) else "–",
            "Doel en status": target_text(targets_for(targets, key, "bestuur", board), period,
                                          unit)[0],
        })
    return pd.DataFrame(rows)


def _school_matrix(catalogue, schools: pd.DataFrame, at_school: pd.DataFrame) -> pd.DataFrame:
    """Own schools × indicators, each cell beside the median of the school's peer group."""
    groups = schools.set_index("vestigingscode")["peer_group"]
    at_school = at_school.assign(peer_group=at_school["area_code"].map(groups))
    medians = at_school.dropna(subset=["value"]).groupby(["indicator_id", "peer_group"])[
        "value"].median()
    frame = pd.DataFrame({"School": [fmt.school_label(n, c) for n, c in
                                     zip(schools["naam"], schools["vestigingscode"],
                                         strict=True)]})
    for key, entry in catalogue.iterrows():
        values = at_school[at_school["indicator_id"] == key].set_index("area_code")
        unit = entry["eenheid"]
        frame[entry["naam"]] = [
            (fmt.cell(values.at[c, "value"], unit, values.at[c, "suppressed"])
             if c in values.index else "–")
            + ("" if fmt.missing(medians.get((key, g)))
               else f" (mediaan {fmt.value(medians.get((key, g)), unit)})")
            for c, g in zip(schools["vestigingscode"], schools["peer_group"], strict=True)]
    return frame


def _choose_board(scope, schools: pd.DataFrame, asked: str | None) -> str | None:
    if scope.role == "bestuur":
        return scope.bestuur
    if scope.role != "analist":
        return None
    largest = schools["bevoegd_gezag"].value_counts()  # default: the board with most schools
    return choose(asked, largest.index.tolist(), largest.index[0] if len(largest) else None)


@published_page("Mijn bestuur")
def layout(bestuur: str | None = None, schooljaar: str | None = None,
           indicator: str | None = None, **_query) -> html.Div:
    data, scope = published(), current_scope()
    schools, periods = data.schools(scope), data.periods()
    catalogue = data.catalogue().set_index("indicator_id")
    board = _choose_board(scope, schools, bestuur)
    boards = schools.drop_duplicates("bevoegd_gezag").sort_values("bevoegd_gezag_naam")
    if board is None:
        return html.Div([html.H1("Mijn bestuur"), html.P(
            "Deze pagina is er voor schoolbesturen (hun eigen scholen) en voor analisten.")])
    if scope.role == "bestuur":
        boards = boards[boards["bevoegd_gezag"] == board]
    period = choose(schooljaar, periods)
    indicator = choose(indicator, list(catalogue.index), catalogue.index[0])
    own = schools[schools["bevoegd_gezag"] == board]
    everything = data.values(scope, period=period)
    at_school = everything[everything["level"] == "school"]
    targets, total = data.targets(scope), top(data, scope)[0]
    name = own["bevoegd_gezag_naam"].iat[0] if len(own) else board
    return html.Div([
        location(PAGE),
        html.H1(f"Mijn bestuur: {name}"),
        html.P(f"Bevoegd gezag {board}, {fmt.number(len(own))} "
               f"{'school' if len(own) == 1 else 'scholen'}. Oranje in elke grafiek: de eigen "
               "scholen."),
        html.Div([
            dropdown(PAGE, "bestuur", "Bestuur", list(zip(
                boards["bevoegd_gezag"], boards["bevoegd_gezag_naam"], strict=True)), board),
            dropdown(PAGE, "schooljaar", "Schooljaar", [(p, p) for p in periods], period),
            dropdown(PAGE, "indicator", "Indicator",
                     indicator_options(catalogue.reset_index()), indicator),
        ], className="filters"),
        html.Section([html.H2(f"Het bestuur naast de andere besturen en {top_name(total)}, "
                              f"{period}"),
                      table(_board_table(catalogue, everything, board, targets, period, total),
                            "bestuur-tabel", page_size=20, footnote=hidden_footnote(
                                everything[(everything["level"] == "bestuur")
                                           & (everything["area_code"] == board)]))],
                     className="blok"),
        html.Section([html.H2(f"Eigen scholen, alle indicatoren, {period}"),
                      html.P("Tussen haakjes: de mediaan van de vergelijkbare scholen.",
                             className="toelichting"),
                      table(_school_matrix(catalogue, own, at_school), "bestuur-scholen",
                            page_size=50, footnote=hidden_footnote(at_school[
                                at_school["area_code"].isin(own["vestigingscode"])]))],
                     className="blok"),
        _schools_block(catalogue, indicator, period, at_school, own),
        dcc.Link("Naar Check op bestuursniveau",
                 href=f"/check?indicator={indicator}&niveau=bestuur&schooljaar={period}"
                      f"&gebied={board}"),
    ])


def _schools_block(catalogue, indicator: str, period: str, at_school: pd.DataFrame,
                   own: pd.DataFrame) -> html.Section:
    unit = catalogue.loc[indicator, "eenheid"]
    frame = at_school[at_school["indicator_id"] == indicator]
    return bar_block("bestuur-balken", f"{catalogue.loc[indicator, 'naam']}: alle scholen, "
                                       f"eigen scholen oranje, {period}",
                     charts.bar_rows(frame, frozenset(own["vestigingscode"])), unit,
                     value_table(frame, unit), f"waarden|{indicator}|school|{period}",
                     footnote=hidden_footnote(frame))
