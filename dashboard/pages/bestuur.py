"""Mijn bestuur: a board's own schools × indicators beside the peer median and the gemeente,
with the board's own targets and status (in the manner of the DfE LAIT own-versus-neighbours
table). A board sees its own board only, whatever the URL says; an analyst chooses a board."""

from __future__ import annotations

import dash
import pandas as pd
from dash import dcc, html

from dashboard import board_download, marks, peers
from dashboard import format as fmt
from dashboard.components import charts
from dashboard.components.blocks import bar_block, download_button, hidden_footnote, table
from dashboard.components.controls import choose, dropdown, indicator_options, location, url_sync
from dashboard.components.page import published_page
from dashboard.context import current_scope, published
from dashboard.figure_notes import target_text, targets_for
from dashboard.tables import value_table
from dashboard.totals import top, top_name

dash.register_page(__name__, path="/bestuur", name="Mijn bestuur", order=5,
                   title="Mijn bestuur – Jeugd & Onderwijs")
PAGE, FIELDS = "bestuur", ("bestuur", "schooljaar", "indicator")
url_sync(PAGE, FIELDS)


def _board_table(catalogue, everything: pd.DataFrame, own_rows: pd.DataFrame, board: str,
                 context: dict) -> pd.DataFrame:
    """Per indicator that applies to the board's schools: the board's own figure first, the
    median of the other boards (with its n, over at least k), the total, the target."""
    rows, total_level = [], context["total_level"]
    pooled = context["pooled_board"]
    for key in context["ids"]:
        entry, values = catalogue.loc[key], everything[everything["indicator_id"] == key]
        unit = entry["eenheid"]
        boards = values[values["level"] == "bestuur"]
        own = boards[boards["area_code"] == board]
        town = values.loc[values["level"] == total_level, "value"].dropna()
        if len(own):
            seen = ["meerjarig"] if _visible(pooled, key) else []
            figure = marks.cell(own.iloc[0], unit, seen)
        else:
            figure = _from_schools(own_rows[own_rows["indicator_id"] == key], unit)
        rows.append({
            "Indicator": entry["naam"],
            "Eigen bestuur": figure,
            "Andere besturen": peers.median_text(
                boards.loc[boards["area_code"] != board, "value"], unit, context["k"]),
            fmt.LEVELS[total_level]: fmt.value(town.iat[0], unit) if len(town)
            else marks.NO_FIGURE,
            "Doel en status": target_text(targets_for(context["targets"], key, "bestuur", board),
                                          context["period"], unit)[0],
        })
    return pd.DataFrame(rows)


def _from_schools(rows: pd.DataFrame, unit: str) -> str:
    """The board's figure computed from its own schools, or 'nog geen cijfer'."""
    computed = board_download.from_schools(rows, unit)
    if computed is None:
        return marks.NO_FIGURE
    return (f"{fmt.value(computed[0], unit)} (berekend uit "
            f"{fmt.plural(computed[1], 'eigen school', 'eigen scholen')})")


def _visible(frame: pd.DataFrame, key: str, code: str | None = None) -> bool:
    rows = frame[frame["indicator_id"] == key]
    if code is not None:
        rows = rows[rows["area_code"] == code]
    return bool(rows["value"].notna().any())


def _school_tables(catalogue, own: pd.DataFrame, everything: pd.DataFrame,
                   context: dict) -> list[html.Section]:
    """Per school type of the board: its schools × the indicators that apply to that type,
    each cell a value or an explained mark; below it the comparison groups' medians."""
    at_school = everything[everything["level"] == "school"]
    mine = {(row["area_code"], row["indicator_id"]): row for row in at_school[
        at_school["area_code"].isin(own["vestigingscode"])].to_dict("records")}
    sections = []
    for soort, schools in own.groupby("school_soort", sort=True):
        ids = [i for i in context["ids"]
               if i in marks.applies(context["applicable"], {soort})]
        frame = pd.DataFrame({"School": [fmt.markdown_link(fmt.school_label(n, c), "/school",
                                                           vestigingscode=c)
                                         for n, c in zip(schools["naam"],
                                                         schools["vestigingscode"],
                                                         strict=True)]})
        for key in ids:
            unit = catalogue.loc[key, "eenheid"]
            frame[catalogue.loc[key, "naam"]] = [
                marks.cell(mine.get((c, key)), unit, _where(context, c, swv, key))
                for c, swv in zip(schools["vestigingscode"], schools["swv"], strict=True)]
        sections.append(html.Section([
            html.H2(f"Eigen scholen: {fmt.SOORTEN.get(soort, soort)} "
                    f"({fmt.plural(len(schools), 'school', 'scholen')}), "
                    f"{context['period']}"),
            html.P("Alleen de indicatoren die voor dit soort school gelden.",
                   className="toelichting"),
            table(frame, {"type": "bestuur-scholen", "soort": soort}, markdown=("School",),
                  page_size=50),
            _group_medians(catalogue, ids, schools, at_school, context),
        ], className="blok"))
    return sections


def _where(context: dict, code: str, swv: str | None, key: str) -> list[str]:
    """Where a hidden school figure is visible: its multi-year figure, the board, its swv."""
    seen = context["visible"]
    places = [("meerjarig", ("school", code, key) in seen),
              ("bestuur", ("bestuur", context["board"], key) in seen),
              ("swv", ("swv", swv, key) in seen)]
    return [word for word, shown in places if shown]


def _visible_cells(everything: pd.DataFrame, pooled_schools: pd.DataFrame) -> set[tuple]:
    """(level, code, indicator) with a visible value: this year's board and swv figures, and
    the schools' multi-year figures (one set, so each cell is a lookup)."""
    shown = everything[everything["level"].isin(("bestuur", "swv"))].dropna(subset=["value"])
    pooled = pooled_schools.dropna(subset=["value"])
    return set(zip(shown["level"], shown["area_code"], shown["indicator_id"], strict=True)) | {
        ("school", c, i) for c, i in zip(pooled["area_code"], pooled["indicator_id"],
                                         strict=True)}


def _group_medians(catalogue, ids: list[str], schools: pd.DataFrame, at_school: pd.DataFrame,
                   context: dict) -> html.Div:
    """Per comparison group of the own schools: the median of all its schools (n ≥ k)."""
    groups = context["groups"]
    at_school = at_school.assign(group=at_school["area_code"].map(groups))
    rows = []
    for group in sorted(schools["peer_group"].dropna().unique()):
        members = at_school[at_school["group"] == group]
        rows.append({"Vergelijkingsgroep": group, **{
            catalogue.loc[key, "naam"]: peers.median_text(
                members.loc[members["indicator_id"] == key, "value"],
                catalogue.loc[key, "eenheid"], context["k"]) for key in ids}})
    return html.Div([html.H3("Mediaan van de vergelijkbare scholen (alle scholen van de groep)"),
                     table(pd.DataFrame(rows), {"type": "bestuur-groepen",
                                                "soort": str(schools["school_soort"].iat[0])})])


def _choose_board(scope, schools: pd.DataFrame, asked: str | None) -> str | None:
    if scope.role == "bestuur":
        return scope.bestuur
    if scope.role != "analist":
        return None
    largest = schools["bevoegd_gezag"].value_counts()  # default: the board with most schools
    return choose(asked, largest.index.tolist(), largest.index[0] if len(largest) else None)


def _schools_download(board: str, period: str) -> html.Section:
    return html.Section([html.H2("De eigen scholen als bestand"),
                         html.P("Alle eigen scholen met de indicatoren die voor hun soort "
                                "gelden, als getallen met eenheid.", className="toelichting"),
                         download_button(f"bestuur-scholen|{board}|{period}")],
                        className="blok")


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
    total = top(data, scope)[0]
    applicable = data.applicable()
    ids = [i for i in catalogue.index
           if i in marks.applies(applicable, set(own["school_soort"].dropna()))]
    context = {"ids": ids, "period": period, "k": data.k, "total_level": total,
               "targets": data.targets(scope), "board": board, "applicable": applicable,
               "pooled_board": data.pooled(scope, "bestuur", board),
               "visible": _visible_cells(everything, data.pooled(scope, "school")),
               "groups": data.peer_group_of(scope)}
    name = own["bevoegd_gezag_naam"].iat[0] if len(own) else board
    return html.Div([
        location(PAGE),
        html.H1(f"Mijn bestuur: {name}"),
        html.P(f"Bevoegd gezag {board}, {fmt.plural(len(own), 'school', 'scholen')}. "
               "Oranje in elke grafiek: de eigen scholen; grijs: de andere, anoniem."),
        html.Div([
            dropdown(PAGE, "bestuur", "Bestuur", list(zip(
                boards["bevoegd_gezag"], boards["bevoegd_gezag_naam"], strict=True)), board),
            dropdown(PAGE, "schooljaar", "Schooljaar", [(p, p) for p in periods], period),
            dropdown(PAGE, "indicator", "Indicator",
                     indicator_options(catalogue.reset_index()), indicator),
        ], className="filters"),
        marks.legend(),
        html.Section([html.H2(f"Het eigen bestuur naast de andere besturen en "
                              f"{top_name(total)}, {period}"),
                      html.P("Alleen de indicatoren die voor de eigen scholen gelden. Een "
                             f"mediaan van andere besturen staat er alleen bij minstens "
                             f"{data.k} besturen met een cijfer, met hun aantal.",
                             className="toelichting"),
                      table(_board_table(catalogue, everything, at_school[
                          at_school["area_code"].isin(own["vestigingscode"])], board, context),
                          "bestuur-tabel", page_size=40),
                      download_button(f"bestuur|{board}|{period}")],
                     className="blok"),
        *_school_tables(catalogue, own, everything, context),
        _schools_download(board, period),
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
