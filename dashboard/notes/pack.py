"""The meeting pack: one printable document per meeting, as HTML (print CSS) and PDF.

Built from the same `view.MeetingView` as the meeting page, so it holds only what the
requesting viewer's scope may see and only disclosure-controlled figures. User text is
escaped by Jinja's autoescaping; the small SVG charts are built from numbers only.
"""

from __future__ import annotations

from pathlib import Path

import flask
import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from dashboard import format as fmt
from dashboard import period_marks
from dashboard.context import current_scope, notes, published
from dashboard.notes import view as meeting_view
from dashboard.notes.pack_chart import chart

TEMPLATES = Path(__file__).resolve().parent / "templates"
ENVIRONMENT = Environment(loader=FileSystemLoader(TEMPLATES),
                          autoescape=select_autoescape(["html"]))


def scores(meeting_id: int) -> list[dict]:
    """Per NJi building block (in order): the average over the parties that scored it, and
    each party's score where that party agreed to be shown."""
    frame = notes().scores()
    frame = frame[frame["meeting_id"] == meeting_id]
    rows = []
    for number, name in enumerate(meeting_view.BLOCKS, start=1):
        part = frame[frame["block"] == number]
        shown = part[part["shown_as_party"].astype(bool)]
        rows.append({"block": f"{number}. {name}", "parties": len(part),
                     "average": fmt.number(part["score"].mean(), 1) if len(part) else "–",
                     "named": ", ".join(f"{p} {s}" for p, s in zip(
                         shown["party"], shown["score"], strict=True))})
    return rows


def _marks_of(marks: pd.DataFrame | None):
    """For the template: the time marks of one indicator in the years its trend shows."""
    empty = pd.DataFrame(columns=["indicator_id", "period", "mark", "toelichting"])
    return lambda ind: period_marks.of(empty if marks is None else marks, ind.indicator_id,
                                       ind.trend["period"])


def render_html(built: meeting_view.MeetingView, scope_label: str = "",
                collaboration: list[dict] | None = None,
                marks: pd.DataFrame | None = None) -> str:
    """`marks`: the published period_marks (onvolledig/voorlopig years), None for none."""
    return ENVIRONMENT.get_template("pack.html").render(
        view=built, scope_label=scope_label, questions=meeting_view.QUESTIONS,
        marks_of=_marks_of(marks), mark_label=period_marks.label, mark_lines=period_marks.lines,
        cell=meeting_view.cell, target=meeting_view.target, fmt=fmt, chart=chart,
        hidden_note=meeting_view.HIDDEN_NOTE, collaboration=collaboration or [],
        css=Markup((TEMPLATES / "pack.css").read_text(encoding="utf-8")))  # ours: not escaped


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: pango is needed only when a PDF is asked

    # PDF/UA-1: a tagged PDF (structure, reading order, language) for screen readers.
    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf(pdf_variant="pdf/ua-1")


def response(meeting_id: int, kind: str) -> flask.Response:
    """The pack for the requesting viewer (route /overleg/<id>/pakket.html|pdf)."""
    meeting = notes().meeting(meeting_id)
    if meeting is None or kind not in ("html", "pdf"):
        flask.abort(404)
    scope = current_scope()
    html = render_html(meeting_view.build(notes(), published(), meeting, scope), scope.label,
                       scores(meeting_id), published().period_marks())
    if kind == "html":
        return flask.Response(html, mimetype="text/html")
    name = f"overleg-{meeting['held_on']}-{meeting_id}.pdf"
    return flask.Response(render_pdf(html), mimetype="application/pdf",
                          headers={"Content-Disposition": f'attachment; filename="{name}"'})
