"""Datakwaliteit: the last run's manifest, the checks, freshness and the Data Docs."""

from __future__ import annotations

import datetime as dt
import json

import dash
import pandas as pd
from dash import html

from dashboard import format as fmt
from dashboard.components.blocks import download_button, table
from dashboard.context import published
from dashboard.data import NotPublished

dash.register_page(__name__, path="/datakwaliteit", name="Datakwaliteit",
                   title="Datakwaliteit – Jeugd & Onderwijs")


def layout(**_query) -> html.Div:
    data = published()
    try:
        runs = data.runs()
        checks = data.validation()
    except NotPublished as error:
        return html.Div([html.H1("Datakwaliteit"), html.P(str(error))])
    last = runs.iloc[0]
    inputs = pd.DataFrame(json.loads(last["inputs"]))
    until = dt.date.fromisoformat(str(last["gegevens_tot_en_met"])[:10])
    age = (dt.date.today() - until).days
    failed = checks[~checks["success"]]
    return html.Div([
        html.H1("Datakwaliteit"),
        html.Section([
            html.H2("Actualiteit"),
            html.P([f"Gegevens tot en met {until:%d-%m-%Y} ({fmt.number(age)} dagen geleden). ",
                    f"Laatste run {last['run_id']}, klaar op {str(last['finished_at'])[:19]} "
                    f"UTC, codeversie {last['code_version']}."]),
            html.A("Open het volledige controleverslag (Great Expectations Data Docs)",
                   href="/data-docs/index.html", target="_blank"),
        ], className="blok"),
        html.Section([
            html.H2("Aangeleverde bestanden"),
            table(inputs.rename(columns={"bron": "Bron", "bestand": "Bestand",
                                         "sha256": "SHA-256", "rijen": "Rijen",
                                         "in_quarantaine": "In quarantaine"}), "dq-bestanden"),
        ], className="blok"),
        html.Section([
            html.H2(f"Controles: {len(checks) - len(failed)} van {len(checks)} in orde"),
            table(checks[["source", "column", "expectation", "severity", "success",
                          "unexpected_count", "details"]].rename(columns={
                              "source": "Bron", "column": "Kolom", "expectation": "Controle",
                              "severity": "Ernst", "success": "In orde",
                              "unexpected_count": "Afwijkend", "details": "Toelichting"}),
                  "dq-controles"),
            download_button("controles"),
        ], className="blok"),
        html.Section([
            html.H2("Eerdere runs"),
            table(runs[["run_id", "finished_at", "code_version", "gegevens_tot_en_met"]]
                  .rename(columns={"run_id": "Run", "finished_at": "Klaar (UTC)",
                                   "code_version": "Codeversie",
                                   "gegevens_tot_en_met": "Gegevens t/m"}), "dq-runs"),
        ], className="blok"),
    ])
