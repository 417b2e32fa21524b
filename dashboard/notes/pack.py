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
from dashboard.context import current_scope, notes, published
from dashboard.notes import view as meeting_view

TEMPLATES = Path(__file__).resolve().parent / "templates"
ENVIRONMENT = Environment(loader=FileSystemLoader(TEMPLATES),
                          autoescape=select_autoescape(["html"]))
WIDTH, HEIGHT, PAD = 360, 120, 12


def chart(trend: pd.DataFrame) -> Markup:
    """An SVG line per area over the periods (shown values only)."""
    shown = trend[~trend["suppressed"].astype(bool)].dropna(subset=["value"])
    periods = sorted(trend["period"].unique())
    if shown.empty or not periods:
        return Markup("")
    low, high = shown["value"].min(), shown["value"].max()
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(periods) - 1, 1)
    lines = []
    for index, (_, part) in enumerate(shown.groupby("area_code")):
        points = " ".join(
            f"{PAD + periods.index(p) * step:.1f},"
            f"{HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD):.1f}"
            for p, v in zip(part["period"], part["value"], strict=True))
        colour = "#1f4e79" if index == 0 else "#b35900"
        lines.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                     f'points="{points}"/>')
    return Markup(f'<svg class="grafiek" viewBox="0 0 {WIDTH} {HEIGHT}" role="img">'
                  f'{"".join(lines)}</svg>')


def render_html(built: meeting_view.MeetingView, scope_label: str = "") -> str:
    return ENVIRONMENT.get_template("pack.html").render(
        view=built, scope_label=scope_label, questions=meeting_view.QUESTIONS,
        cell=meeting_view.cell, target=meeting_view.target, fmt=fmt, chart=chart,
        css=Markup((TEMPLATES / "pack.css").read_text(encoding="utf-8")))  # ours: not escaped


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: pango is needed only when a PDF is asked

    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()


def response(meeting_id: int, kind: str) -> flask.Response:
    """The pack for the requesting viewer (route /overleg/<id>/pakket.html|pdf)."""
    meeting = notes().meeting(meeting_id)
    if meeting is None or kind not in ("html", "pdf"):
        flask.abort(404)
    scope = current_scope()
    html = render_html(meeting_view.build(notes(), published(), meeting, scope), scope.label)
    if kind == "html":
        return flask.Response(html, mimetype="text/html")
    name = f"overleg-{meeting['held_on']}-{meeting_id}.pdf"
    return flask.Response(render_pdf(html), mimetype="application/pdf",
                          headers={"Content-Disposition": f'attachment; filename="{name}"'})
