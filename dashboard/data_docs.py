"""The Great Expectations Data Docs, served self-contained: nothing is loaded from outside.

GX writes pages that load Bootstrap, jQuery, Font Awesome and more from public CDNs: offline
they are unstyled, online every visitor's address goes to third parties. The pages are static
HTML, so the server drops every external stylesheet, script and image (and the inline scripts
that need them) and adds the small local stylesheet below. The index page's tables are filled by
those scripts, so it gets a plain list of the report's pages instead.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import flask
from werkzeug.security import safe_join

from dashboard.context import current_scope, published

EXTERNAL = re.compile(
    r"<link\b[^>]*\bhref=[\"'](?:https?:)?//[^>]*>"
    r"|<script\b[^>]*>.*?</script>"
    r"|<img\b[^>]*\bsrc=[\"'](?:https?:)?//[^>]*>", re.IGNORECASE | re.DOTALL)
STYLESHEET = Path(__file__).resolve().parent / "static" / "data_docs.css"


def self_contained(html_text: str) -> str:
    """The page without anything from outside, with the local stylesheet inline."""
    text = EXTERNAL.sub("", html_text)
    text = re.sub(r"url\((['\"]?)(?:https?:)?//[^)]*\)", "none", text)
    style = f"<style>{STYLESHEET.read_text(encoding='utf-8')}</style>"
    text = re.sub(r"<html(?![^>]*\blang=)", '<html lang="en"', text, count=1)
    return text.replace("</head>", style + "</head>", 1)


def _parts(relative: Path) -> list[str]:
    return [part for part in relative.with_suffix("").parts if part != "__none__"]


def page_list(folder: Path) -> str:
    """Links to every validation result and expectation suite (what the index scripts show)."""
    sections = []
    for sub, title in (("validations", "Uitkomsten per bron en run"),
                       ("expectations", "Controles per bron")):
        pages = sorted((folder / sub).rglob("*.html")) if (folder / sub).is_dir() else []
        items = "".join(
            f'<li><a href="{html.escape(p.relative_to(folder).as_posix())}">'
            f"{html.escape(' · '.join(_parts(p.relative_to(folder / sub))))}"
            "</a></li>" for p in pages)
        sections.append(f"<h2>{title}</h2><ul>{items}</ul>")
    return '<section class="lokale-index" lang="nl">' + "".join(sections) + "</section>"


def inside(folder: Path, name: str) -> Path | None:
    """The file `name` under `folder`, or None when it is not there or leads out of it
    (`..`, an absolute path, or a symlink to anywhere outside the folder)."""
    joined = safe_join(str(folder), name)
    if joined is None:
        return None
    path = Path(joined).resolve()
    return path if path.is_relative_to(folder.resolve()) and path.is_file() else None


def serve(name: str = "index.html") -> flask.Response:
    """A Data Docs file of the current run; HTML rewritten, folders open their index."""
    try:
        folder = published().data_docs(current_scope())
    except PermissionError:
        flask.abort(403)
    if not name or name.endswith("/"):
        name += "index.html"
    path = inside(folder, name)
    if path is None:
        flask.abort(404)
    if not name.endswith(".html"):
        return flask.send_file(path)
    page = self_contained(path.read_text(encoding="utf-8"))
    if name == "index.html":
        page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + page_list(folder), page, count=1)
    return flask.Response(page, mimetype="text/html")


def register(server: flask.Flask) -> None:
    server.add_url_rule("/data-docs/", "data_docs_index", serve)
    server.add_url_rule("/data-docs/<path:name>", "data_docs", serve)
