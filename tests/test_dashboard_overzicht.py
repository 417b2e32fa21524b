"""Overzicht: the cards stand in sections per catalogue block, in the block order, by name."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
from dash import html

from dashboard.components.sections import block_sections
from tests.conftest import SampleRun
from tests.test_dashboard_server import _analyst, _render


def _walk(node):
    if isinstance(node, dict):
        yield node
        for child in node.get("props", node).values():
            yield from _walk(child)
    elif isinstance(node, list):
        for child in node:
            yield from _walk(child)


def _text(node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return "".join(_text(child) for child in node)
    if isinstance(node, dict):
        return _text(node.get("props", {}).get("children", ""))
    return ""


def _sections(tree) -> list[tuple[str, list[str]]]:
    """(heading, card titles) for every Overzicht block section, in page order."""
    found = []
    for node in _walk(tree):
        props = node.get("props", {})
        if node.get("type") == "Section" and "overzicht-blok" in props.get("className", ""):
            inner = list(_walk(props["children"]))
            heading = next(n for n in inner if n.get("type") == "H3")
            cards = [_text(n) for n in inner if n.get("type") == "H4"]
            found.append((_text(heading), cards))
    return found


def test_blocks_follow_the_block_order_and_sort_cards_by_name() -> None:
    catalogue = pd.DataFrame({
        "naam": ["vsv", "Thuiszitters", "Absoluut verzuim", "Jeugdhulp"],
        "blok": ["Onderwijs", "Verzuim", "Verzuim", "Jeugdhulp"],
        "blok_volgorde": [1, 2, 2, 3]}, index=["a", "b", "c", "d"])
    shuffled = catalogue.loc[["d", "b", "a", "c"]]
    tree = json.loads(json.dumps(
        html.Div(block_sections(shuffled, lambda entry: html.H4(entry["naam"]))).to_plotly_json(),
        default=lambda component: component.to_plotly_json()))
    assert _sections(tree) == [("Onderwijs", ["vsv"]),
                               ("Verzuim", ["Absoluut verzuim", "Thuiszitters"]),
                               ("Jeugdhulp", ["Jeugdhulp"])]


def test_overzicht_groups_every_indicator_under_its_block(sample_run: SampleRun) -> None:
    from dashboard.app import create_app

    app = create_app(sample_run.settings, viewer=_analyst)
    page = json.loads(_render(app.server.test_client(), "/"))
    sections = _sections(page["response"])
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        catalogue = con.sql("SELECT naam, blok, blok_volgorde FROM indicators").df()
    order = catalogue.drop_duplicates("blok").sort_values("blok_volgorde")["blok"].tolist()
    assert [heading for heading, _ in sections] == order
    for heading, cards in sections:
        expected = catalogue.loc[catalogue["blok"] == heading, "naam"]
        assert cards == sorted(expected, key=str.casefold), heading
