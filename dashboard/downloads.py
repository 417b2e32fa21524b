"""Downloads analysts can compute with, rebuilt on the server from a key and the viewer's scope.

A browser only sends which table it wants (`waarden|vsv|school|2024-2025`); the rows always
come from the server-side query for the viewer's own scope, so a forged key cannot widen it.
Figures are numeric columns (value, lower and upper bound, numerator and denominator rounded as
the disclosure rules say) with a unit column. CSV files are `;`-separated with decimal commas
and a UTF-8 BOM (Dutch Excel) and start with '#' rows giving definition, unit, source and run;
the Excel file has the same rows on a second sheet. Text cells that a spreadsheet would run as
a formula are neutralised (OWASP CSV injection, `dashboard.spreadsheet`).
"""

from __future__ import annotations

import io
import re

import pandas as pd
from openpyxl import Workbook

from dashboard import board_download
from dashboard import format as fmt
from dashboard.compare import PEERS, area_comparison, area_label
from dashboard.data import Published
from dashboard.spreadsheet import neutralise
from dashboard.tables import comparison_table, school_table
from dashboard.totals import top
from privacy.scope import Scope

SAFE = re.compile(r"[^\w-]")  # file names: letters, digits, _ and - only (no path parts)
DECIMALS = fmt.DECIMALS


def numeric_values(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Indicator values as numbers: hidden cells empty with their reason in a text column."""
    places = DECIMALS.get(unit, 2)
    table = pd.DataFrame({
        "niveau": frame["level"].map(fmt.LEVELS), "gebied": frame["area_name"],
        "code": frame["area_code"], "schooljaar": frame["period"],
        "waarde": frame["value"].astype(float).round(places),
        "ondergrens": frame["ci_low"].astype(float).round(places),
        "bovengrens": frame["ci_high"].astype(float).round(places),
        "teller": frame["numerator_afgerond"].astype(float),
        "noemer": frame["denominator_afgerond"].astype(float),
        "eenheid": fmt.unit_label(unit),
        "afgeschermd": [fmt.reason(r) if s else "" for s, r in
                        zip(frame["suppressed"], frame["suppression_reason"], strict=True)],
    })
    if "coverage" in frame:
        table["dekking"] = frame["coverage"].astype(float).round(3)
    return table


def numeric_breakdown(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "gebied": frame["area_name"], "code": frame["area_code"],
        "categorie": frame["category_label"], "trajecten": frame["count"].astype(float),
        "jeugdigen": frame["personen"].astype(float), "kosten_euro": frame["kosten"].round(0),
        "afgeschermd": [fmt.reason(r) if s else "" for s, r in
                        zip(frame["suppressed"], frame["suppression_reason"], strict=True)],
    })


def numeric_targets(targets: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Targets as numbers an analyst computes with: value, trajectory and target numeric with
    a unit column, the status as its code, dates as ISO dates."""
    units = catalogue.set_index("indicator_id")["eenheid"]
    places = targets["indicator_id"].map(units).map(lambda u: DECIMALS.get(u, 2))
    return pd.DataFrame({
        "indicator": targets["indicator_id"], "niveau": targets["level"].map(fmt.LEVELS),
        "gebied": targets["area_name"].fillna(targets["area_code"]),
        "code": targets["area_code"], "schooljaar": targets["period"],
        **{column: [None if fmt.missing(v) else round(float(v), int(p)) for v, p in
                    zip(targets[source], places, strict=True)]
           for column, source in (("waarde", "value"), ("traject", "trajectory_value"),
                                  ("doelwaarde", "doel_waarde"))},
        "doeljaar": targets["doel_periode"],
        "eenheid": targets["indicator_id"].map(units).map(fmt.unit_label),
        "status": targets["status"], "afgesproken_in": targets["afgesproken_in"],
        "afgesproken_op": targets["afgesproken_op"]})


def _entry(data: Published, indicator: str) -> pd.Series:
    catalogue = data.catalogue().set_index("indicator_id")
    if indicator not in catalogue.index:
        raise ValueError(f"Onbekende indicator {indicator!r}.")
    return catalogue.loc[indicator]


def _indicator_meta(entry: pd.Series) -> list[tuple[str, str]]:
    return [("Indicator", f"{entry['naam']} ({entry.name})"), ("Definitie", entry["definitie"]),
            ("Teller", entry["teller"]), ("Noemer", entry["noemer"]),
            ("Eenheid", fmt.unit_label(entry["eenheid"])), ("Bron", entry["bron"]),
            ("Kanttekeningen", entry["kanttekeningen"])]


def _indicator_file(data: Published, scope: Scope, kind: str, args: list[str]):
    if kind == "waarden":
        indicator, level, period = args
        entry = _entry(data, indicator)
        frame = numeric_values(data.values(scope, indicator, level or None, period or None),
                               entry["eenheid"])
        return f"{indicator}_{level or 'alle'}_{period or 'alle-jaren'}", frame, \
            _indicator_meta(entry)
    indicator, level, code = args
    entry = _entry(data, indicator)
    if level not in PEERS:
        raise ValueError(f"Onbekend niveau {level!r}.")
    compared = area_comparison(data, scope, indicator, level, code)
    meta = [*_indicator_meta(entry), ("Gekozen gebied", f"{area_label(compared, code)} ({level})")]
    return (f"{indicator}_{level}_{SAFE.sub('_', code)}_vergelijking",
            comparison_table(compared, entry["eenheid"], PEERS[level],
                             fmt.LEVELS[top(data, scope)[0]]), meta)


def table_for(data: Published, scope: Scope, key: str):
    """(file stem, frame, header lines) for a download key; ValueError for an unknown key."""
    kind, *args = key.split("|")
    if kind in ("waarden", "vergelijking") and len(args) == 3:
        return _indicator_file(data, scope, kind, args)
    if kind == "uitsplitsing" and len(args) == 3:
        level, period, dimension = args
        return (f"jeugdhulp_{dimension}_{level}_{period}",
                numeric_breakdown(data.breakdowns(scope, level, period, dimension)),
                [("Uitsplitsing", f"jeugdhulptrajecten naar {dimension}, {period}"),
                 ("Eenheid", "aantallen afgerond volgens de afspraken; kosten in euro")])
    if kind == "doelen" and not args:
        return "doelen", numeric_targets(data.targets(scope), data.catalogue()), [
            ("Inhoud", "doelen uit het OOGO met traject en status per schooljaar; status: "
                       "gehaald, op_koers, binnen_marge, achter of geen_data")]
    if kind in ("bestuur", "bestuur-scholen") and len(args) == 2:
        return board_download.table(data, scope, kind, *args)
    if kind == "scholen" and not args:
        return "scholen", school_table(data.schools(scope), links=False), []
    if kind == "controles" and not args:
        return "controles", data.validation(), [
            ("Inhoud", "uitkomsten van de controles van de laatste run")]
    raise ValueError(f"Onbekende download {key!r}.")


def _with_run(data: Published, meta: list[tuple[str, str]]) -> list[tuple[str, str]]:
    source = [("Bron", "Jeugd & Onderwijs Monitor")] if not any(k == "Bron" for k, _ in meta) \
        else []
    return [*meta, *source, ("Run", data.run_id)]


def _file_name(stem: str, suffix: str) -> str:
    """A plain file name whatever a forged key held: no separators, dots or control chars."""
    return SAFE.sub("_", stem)[:150] + suffix


def build(data: Published, scope: Scope, key: str) -> tuple[str, str]:
    """(file name, CSV text with BOM) for a download key."""
    stem, frame, meta = table_for(data, scope, key)
    # One line per header row: a line break in a (school) name would start a new row.
    header = "".join(f"# {label}: {neutralise(' '.join(str(text).split()))}\n"
                     for label, text in _with_run(data, meta) if text)
    body = frame.map(neutralise).to_csv(sep=";", decimal=",", index=False)
    return _file_name(stem, ".csv"), "\ufeff" + header + body


def build_xlsx(data: Published, scope: Scope, key: str) -> tuple[str, bytes]:
    """(file name, .xlsx bytes): the table on sheet 'gegevens', the description on 'bron'."""
    stem, frame, meta = table_for(data, scope, key)
    book = Workbook()
    sheet = book.active
    sheet.title = "gegevens"
    sheet.append([neutralise(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        sheet.append([None if fmt.missing(v) else neutralise(v.item() if hasattr(v, "item")
                                                             else v) for v in row])
    about = book.create_sheet("bron")
    for label, text in _with_run(data, meta):
        about.append([label, neutralise(str(text))])
    buffer = io.BytesIO()
    book.save(buffer)
    return _file_name(stem, ".xlsx"), buffer.getvalue()
