"""Datakwaliteit: the last run's manifest, the checks in Dutch, freshness and the Data Docs."""

from __future__ import annotations

import datetime as dt
import json

import dash
import pandas as pd
from dash import html

from dashboard import format as fmt
from dashboard.components.blocks import download_button, table
from dashboard.components.page import published_page
from dashboard.context import published

dash.register_page(__name__, path="/datakwaliteit", name="Datakwaliteit", order=8,
                   title="Datakwaliteit – Jeugd & Onderwijs")

CHECKS = {  # Great Expectations check -> (Dutch name, what it means)
    "expect_column_values_to_not_be_null": (
        "Verplicht veld gevuld", "Elke rij heeft een waarde in deze kolom."),
    "expect_column_values_to_be_in_set": (
        "Waarde uit de codelijst", "Alleen codes die in de afgesproken lijst staan."),
    "expect_column_values_to_match_regex": (
        "Juiste vorm", "De waarde heeft de vorm van de landelijke code (zoals WK003401)."),
    "expect_column_values_to_be_between": (
        "Binnen de grenzen", "De waarde ligt tussen de afgesproken onder- en bovengrens."),
    "expect_column_pair_values_a_to_be_greater_than_b": (
        "Volgorde klopt", "De eerste datum of waarde ligt niet vóór de tweede."),
    "expect_compound_columns_to_be_unique": (
        "Geen dubbele rijen", "Elke combinatie van deze kolommen komt één keer voor."),
    "expect_column_values_to_be_unique": (
        "Geen dubbele waarden", "Elke waarde in deze kolom komt één keer voor."),
}
SEVERITY = {"blokkerend": "blokkerend (run stopt)", "critical": "blokkerend (run stopt)",
            "waarschuwing": "waarschuwing", "warning": "waarschuwing"}


def check_table(checks: pd.DataFrame) -> pd.DataFrame:
    """The checks in Dutch: name, explanation, result in words, counts in Dutch format."""
    known = [CHECKS.get(str(e), (str(e), "")) for e in checks["expectation"]]
    return pd.DataFrame({
        "Bron": checks["source"], "Kolom": checks["column"],
        "Controle": [name for name, _ in known],
        "Uitleg": [" ".join(p for p in (text, str(d or "")) if p)
                   for (_, text), d in zip(known, checks["details"], strict=True)],
        "Ernst": [SEVERITY.get(str(s), str(s)) for s in checks["severity"]],
        "Uitkomst": ["in orde" if ok else "afwijking" for ok in checks["success"]],
        "Afwijkende rijen": [fmt.number(n) for n in checks["unexpected_count"]],
    })


def _inputs(last: pd.Series) -> pd.DataFrame:
    inputs = pd.DataFrame(json.loads(last["inputs"]))
    for column in ("rijen", "in_quarantaine"):
        if column in inputs:
            inputs[column] = inputs[column].map(fmt.number)
    return inputs.rename(columns={"bron": "Bron", "bestand": "Bestand", "sha256": "SHA-256",
                                  "rijen": "Rijen", "in_quarantaine": "In quarantaine"})


@published_page("Datakwaliteit")
def layout(**_query) -> html.Div:
    data = published()
    runs, checks = data.runs(), data.validation()
    last = runs.iloc[0]
    until = dt.date.fromisoformat(str(last["gegevens_tot_en_met"])[:10])
    age = (dt.date.today() - until).days
    failed = checks[~checks["success"].astype(bool)]
    return html.Div([
        html.H1("Datakwaliteit"),
        html.Section([
            html.H2("Actualiteit"),
            html.P([f"Gegevens tot en met {fmt.date(until)} ({fmt.number(age)} dagen geleden). ",
                    f"Laatste run {last['run_id']}, klaar op {fmt.date(last['finished_at'])} "
                    f"UTC, codeversie {last['code_version']}."]),
            html.A("Open het volledige controleverslag (Great Expectations Data Docs, Engels)",
                   href="/data-docs/", target="_blank"),
        ], className="blok"),
        html.Section([html.H2("Aangeleverde bestanden"), table(_inputs(last), "dq-bestanden")],
                     className="blok"),
        html.Section([
            html.H2(f"Controles: {fmt.number(len(checks) - len(failed))} van "
                    f"{fmt.number(len(checks))} in orde"),
            table(check_table(checks), "dq-controles"),
            download_button("controles"),
        ], className="blok"),
        html.Section([
            html.H2("Eerdere runs"),
            table(pd.DataFrame({"Run": runs["run_id"],
                                "Klaar (UTC)": runs["finished_at"].map(fmt.date),
                                "Codeversie": runs["code_version"],
                                "Gegevens t/m": runs["gegevens_tot_en_met"].map(fmt.date)}),
                  "dq-runs"),
        ], className="blok"),
    ])
