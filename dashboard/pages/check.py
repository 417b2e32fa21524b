"""Check – Kwaliteitskompas blok 5: value against target, peers, funnel plot, intervals.

The page opens on a level and schooljaar where the indicator has visible values; when every
area of the chosen level is hidden, a sentence says why and links to where it is visible.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import dcc, html

from dashboard import format as fmt
from dashboard import peers, period_marks
from dashboard.compare import PEERS, area_comparison, area_label, own_codes
from dashboard.components import charts
from dashboard.components.blocks import bar_block, chart_block, empty_block, hidden_footnote
from dashboard.components.controls import (
    choose,
    dropdown,
    indicator_options,
    level_options,
    location,
    url_sync,
)
from dashboard.components.notes import level_notes, toelichtingen
from dashboard.components.page import published_page
from dashboard.context import current_scope, published
from dashboard.figure_notes import notes, target_text, targets_for
from dashboard.tables import comparison_table, pooled_value, value_table
from dashboard.totals import GEMEENTE, REGION, area_levels, top, top_name
from dashboard.visible import alternatives, hidden_sentence, open_on

dash.register_page(__name__, path="/check", name="Check", order=3,
                   title="Check – Jeugd & Onderwijs")
PAGE, FIELDS = "check", ("indicator", "niveau", "schooljaar", "gebied")
url_sync(PAGE, FIELDS)


def _trend_block(data, scope, entry, period: str, periods: list[str], targets) -> html.Section:
    """The total over the years (the gemeente, or the region with each gemeente beside it)."""
    indicator, unit = entry.name, entry["eenheid"]
    level, code = top(data, scope)
    total = data.values(scope, indicator, level)
    references = data.reference(indicator)
    lines = references[references["reference"] == "landelijk"]
    if level == REGION:
        towns = data.values(scope, indicator, GEMEENTE)
        lines = pd.concat([lines, towns.assign(reference=towns["area_name"])])
    marks = period_marks.of(data.period_marks(), indicator, total["period"])
    return html.Div([chart_block(
        "check-trend", f"{entry['naam']} in {top_name(level)}: waarde, doel en landelijk",
        charts.trend(total, unit, targets_for(targets, indicator, level, code), lines,
                     period_labels=period_marks.labels(marks)),
        value_table(period_marks.relabel(total, marks), unit), f"waarden|{indicator}|{level}|",
        footnote=hidden_footnote(total)),
        period_marks.caption(marks),
        notes(targets, entry, level, code, period, periods)])


def _level_targets(targets, entry, level: str, period: str) -> html.Div | None:
    """Every target agreed at this level for this indicator (the same as on Plan)."""
    rows = targets_for(targets, entry.name, level, None)
    if rows.empty:
        return None
    items = [html.Li(f"{group['area_name'].iat[0] or code}: "
                     f"{target_text(group, period, entry['eenheid'])[0]}")
             for code, group in rows.groupby("area_code")]
    return html.Div([html.H3(f"Afgesproken doelen per {fmt.LEVELS[level].lower()}"),
                     html.Ul(items)], className="blok")


def _areas_block(data, scope, entry, level: str, period: str, everything: pd.DataFrame,
                 highlight: frozenset[str]) -> html.Section:
    indicator, unit = entry.name, entry["eenheid"]
    areas = data.values(scope, indicator, level, period)
    title = f"{entry['naam']} per {fmt.LEVELS[level].lower()}, {period}"
    if areas["value"].notna().sum() == 0:
        return empty_block("check-trechter", title, hidden_sentence(
            entry["naam"], level, period, areas["suppression_reason"],
            alternatives(everything, indicator, area_levels(data, scope, fmt.AREA_LEVELS),
                         period), dcc.Link))
    table, key = value_table(areas, unit), f"waarden|{indicator}|{level}|{period}"
    hidden = int(areas["suppressed"].sum())
    total_level, _ = top(data, scope)
    centre = everything.loc[(everything["level"] == total_level)
                            & (everything["period"] == period), "value"].dropna()
    counted = f"{fmt.plural(hidden, 'gebied', 'gebieden')} {fmt.HIDDEN}."
    if unit in fmt.UNIT_FACTOR and len(centre):
        placed = peers.place(areas, data.anonymous_sizes(scope, level))
        return chart_block(
            "check-trechter", f"Trechterdiagram per {fmt.LEVELS[level].lower()}, {period}",
            charts.funnel(placed, float(centre.iat[0]), unit, highlight, top_name(total_level)),
            table, key,
            note="Punten buiten de stippellijnen (95% en 99,8%) wijken meer af van de "
                 f"{top_name(total_level)} dan toeval verklaart; kleine gebieden krijgen zo "
                 f"een eerlijke beoordeling. {_anonymous_note(placed, data.k)}{counted}",
            footnote=hidden_footnote(areas))
    return bar_block("check-trechter", title, charts.bar_rows(areas, highlight), unit, table,
                     key, note=counted, footnote=hidden_footnote(areas))


def _anonymous_note(placed: pd.DataFrame, k: int) -> str:
    if not placed["anoniem"].any():
        return ""
    return ("Grijze punten: de andere, anoniem; ieder staat bij het midden van een "
            f"grootteklasse die het met minstens {k} anderen deelt, zodat geen punt een school "
            "of bestuur aanwijst. ")


def _area_block(data, scope, entry, level: str, code: str) -> html.Section:
    """The chosen area beside its peers and the total, with its all-years figure."""
    indicator, unit = entry.name, entry["eenheid"]
    frame = area_comparison(data, scope, indicator, level, code)
    peers, total_level = PEERS[level], top(data, scope)[0]
    lines = pd.concat([
        frame.assign(reference=f"{peers.lower()} (mediaan)", value=frame["peers_median"]),
        frame.assign(reference=total_level, value=frame["totaal"])])
    pooled = pooled_value(data.pooled(scope, level, code), indicator, unit)
    return chart_block(
        "check-gebied", f"{area_label(frame, code)}: {entry['naam']} naast {peers.lower()} "
                        f"en {top_name(total_level)}",
        charts.trend(frame, unit, references=lines),
        comparison_table(frame, unit, peers, fmt.LEVELS[total_level]),
        f"vergelijking|{indicator}|{level}|{code}", note=f"Alle schooljaren samen: {pooled}.",
        footnote=hidden_footnote(frame))


@published_page("Check")
def layout(indicator: str | None = None, niveau: str | None = None,
           schooljaar: str | None = None, gebied: str | None = None, **_query) -> html.Div:
    data, scope = published(), current_scope()
    catalogue, periods = data.catalogue(), data.periods()
    ids = catalogue["indicator_id"].tolist()
    indicator = choose(indicator, ids, ids[0])
    entry = catalogue.set_index("indicator_id").loc[indicator]
    everything = data.values(scope, indicator)
    levels = area_levels(data, scope, fmt.AREA_LEVELS)
    level, period = open_on(everything, levels, niveau, schooljaar, periods)
    choices = data.areas(scope, level)
    code = gebied if gebied in set(choices["area_code"]) else None
    targets = data.targets(scope)
    highlight = own_codes(data, scope, level) | ({code} if code else set())
    labels = fmt.area_labels(choices.assign(level=level))
    total_level, total_code = top(data, scope)
    return html.Div([
        location(PAGE),
        html.H1("Check"),
        html.H2("5 Outcome: Welke directe outcome leveren de voorzieningen?"),
        html.Div([
            dropdown(PAGE, "indicator", "Indicator", indicator_options(catalogue), indicator),
            dropdown(PAGE, "niveau", "Niveau", level_options(levels), level),
            dropdown(PAGE, "schooljaar", "Schooljaar", [(p, p) for p in periods], period),
            dropdown(PAGE, "gebied", "Vergelijk een gebied",
                     [("", "geen"), *zip(choices["area_code"], labels, strict=True)],
                     code or ""),
        ], className="filters"),
        html.P([html.Strong("Definitie: "), entry["definitie"], " ",
                html.Em(fmt.DIRECTIONS[entry["richting"]])]),
        _trend_block(data, scope, entry, period, periods, targets),
        _areas_block(data, scope, entry, level, period, everything, frozenset(highlight)),
        _level_targets(targets, entry, level, period),
        _area_block(data, scope, entry, level, code) if code else html.P(
            "Kies hierboven een gebied om het door de jaren te vergelijken met "
            f"{PEERS[level].lower()} en {top_name(total_level)}.", className="toelichting"),
        toelichtingen(indicator, total_level, total_code, period) if total_code else None,
        level_notes(indicator, level, period),
    ])
