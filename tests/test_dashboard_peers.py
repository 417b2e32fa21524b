"""Anonymous means anonymous: a logged-in board names no more peers than chance (1 in k).

Through the dashboard server, as the board's own role: the school list, every indicator's
downloads at school, board and swv level, and the funnels (tests/peer_attack.py).
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from dashboard.app import create_app
from dashboard.context import Viewer, app_state
from dashboard.peers import place, size_classes
from privacy.scope import Scope
from tests.conftest import SampleRun
from tests.peer_attack import Facts, attack, funnel_points
from tests.test_dashboard_server import _download, _render


def _board_client(sample_run: SampleRun, board: str):
    viewer = Viewer("bestuur", "Bestuur", "bestuur", Scope("bestuur", board))
    app = create_app(sample_run.settings, viewer=lambda _request: viewer)
    return app.server.test_client(), app_state(app.server).published


def _truth(data, scope: Scope) -> dict[str, str]:
    """alias -> real code, as the server knows it (for scoring only)."""
    raw = data._schools_raw()
    boards = raw.drop_duplicates("bevoegd_gezag").reset_index(drop=True)
    truth = {}
    for frame, code, name, level in ((raw, "vestigingscode", "naam", "school"),
                                     (boards, "bevoegd_gezag", "bevoegd_gezag_naam", "bestuur")):
        shown = data.mask(scope, frame, code_column=code, name_column=name, level=level)
        truth.update({a: c for a, c in zip(shown[code], frame[code], strict=True) if a != c})
    return truth


@pytest.mark.parametrize("board", ["largest", "smallest"])
def test_a_board_names_no_more_anonymous_peers_than_chance(sample_run: SampleRun,
                                                           board: str) -> None:
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        schools = con.sql("SELECT * FROM schools").df()
        values = con.sql("SELECT * FROM indicator_values").df()
    counts = schools["bevoegd_gezag"].value_counts()
    own = counts.index[0] if board == "largest" else counts.index[-1]
    client, data = _board_client(sample_run, own)
    scope = Scope("bestuur", own)
    truth = _truth(data, scope)
    assert len(truth) > 5 * data.k  # many anonymous peers to name
    named = attack(Facts(schools, values, own), data.k, lambda key: _download(client, key),
                   lambda path, query: _render(client, path, query),
                   data.catalogue()["indicator_id"].tolist(), data.periods()[-1:], truth)
    for level, share in named.items():
        assert share <= 1 / data.k, f"{level}: {share:.1%} van de anonieme peers benoemd"


def test_a_funnel_places_every_anonymous_peer_in_a_class_of_at_least_k(
        sample_run: SampleRun) -> None:
    with duckdb.connect(str(sample_run.published_db), read_only=True) as con:
        own = con.sql("SELECT bevoegd_gezag FROM schools GROUP BY 1 ORDER BY count(*) DESC "
                      "LIMIT 1").fetchall()[0][0]
        sizes = con.sql("SELECT area_code, max(denominator) AS size FROM indicator_values "
                        "WHERE level = 'school' AND area_code NOT IN (SELECT vestigingscode "
                        f"FROM schools WHERE bevoegd_gezag = '{own}') GROUP BY 1").df()
    client, data = _board_client(sample_run, own)
    points = funnel_points(_render(client, "/check", "?indicator=jeugdhulp_leerlingen"
                                                     "&niveau=school"))
    assert len(points) > data.k
    classes = size_classes(sizes.set_index("area_code")["size"], data.k)
    members = classes.value_counts()
    for x, _ in points:
        assert members[x] >= data.k  # every x is a class middle that k peers share


def test_size_classes_are_consecutive_and_hold_at_least_k() -> None:
    sizes = pd.Series([12, 15, 40, 41, 90, 95, 97, 300, 310, 1200, 1300],
                      index=[f"s{i}" for i in range(11)], dtype=float)
    classes = size_classes(sizes, 3)
    assert classes.value_counts().min() >= 3
    assert classes.is_monotonic_increasing  # consecutive by size
    assert size_classes(sizes.head(2), 3).isna().all()  # fewer than k: no class at all


def test_an_analyst_funnel_has_no_anonymous_peers_and_keeps_its_sizes() -> None:
    frame = pd.DataFrame({"area_code": ["01AB00", "02CD00"], "value": [1.0, 2.0],
                          "denominator": [40.0, 90.0]})
    empty = pd.DataFrame({"area_code": pd.Series([], dtype=str),
                          "midden": pd.Series([], dtype=float)})
    placed = place(frame, empty)
    assert not placed["anoniem"].any() and placed["denominator"].tolist() == [40.0, 90.0]
    placed = place(frame, pd.DataFrame({"area_code": ["02CD00"], "midden": [100.0]}))
    assert placed["anoniem"].tolist() == [False, True]
    assert placed["denominator"].tolist() == [40.0, 100.0]
