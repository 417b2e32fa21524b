"""One place for what stands beside every figure: the agreed target with its status, and the
catalogue's caveat when it applies to that schooljaar. Plan, Check, Overzicht, Mijn bestuur and
the profiles all call this, so a target never shows on one page and is missing on another."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard import format as fmt

PROVISIONAL = "laatste schooljaar"  # a caveat naming this applies to the newest period only


def targets_for(targets: pd.DataFrame, indicator: str, level: str,
                area_code: str | None) -> pd.DataFrame:
    """The target rows (one per schooljaar) agreed for this indicator and area."""
    chosen = targets[(targets["indicator_id"] == indicator) & (targets["level"] == level)]
    if area_code is not None:
        chosen = chosen[chosen["area_code"] == area_code]
    return chosen.sort_values("period")


def target_text(rows: pd.DataFrame, period: str, unit: str) -> tuple[str, str | None]:
    """('Doel: … ; in 2024-2025 achter', status code) for the target rows of one area."""
    if rows.empty:
        return "Voor dit gebied is geen doel afgesproken.", None
    first = rows.iloc[0]
    now = rows[rows["period"] == period]
    code = now["status"].iat[0] if len(now) else None
    text = (f"Doel: {fmt.value(first['doel_waarde'], unit)} in {first['doel_periode']} "
            f"(afgesproken in {first['afgesproken_in']} op {fmt.date(first['afgesproken_op'])})")
    if code:
        text += f"; {period}: {fmt.status(code)}"
    return text + ".", code


def caveat(entry: pd.Series, period: str, periods: list[str]) -> str:
    """The catalogue's caveat; marked as applying now when it concerns the newest schooljaar."""
    text = str(entry.get("kanttekeningen") or "")
    if text and PROVISIONAL in text and periods and period == periods[-1]:
        return f"Let op, {period} is het laatste schooljaar: {text}"
    return f"Kanttekening: {text}" if text else ""


def notes(targets: pd.DataFrame, entry: pd.Series, level: str, area_code: str | None,
          period: str, periods: list[str]) -> html.Div:
    """Target, status and caveat for one figure, as shown on every page."""
    rows = targets_for(targets, entry.name, level, area_code)
    text, code = target_text(rows, period, entry["eenheid"])
    toelichting = rows["toelichting"].iat[0] if len(rows) and "toelichting" in rows else ""
    warning = caveat(entry, period, periods)
    return html.Div([
        html.P([html.Span(fmt.status(code), className=f"status status-{code}") if code else None,
                " ", text, " ", toelichting or ""], className="doel"),
        html.P(warning, className="kanttekening") if warning else None,
    ], className="bij-cijfer")
