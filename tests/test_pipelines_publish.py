"""Publishing: a version that fails the privacy checks is never published."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipelines.publish import PublishError, _docs_leak, current_database, publish, store_frame

GOOD = pd.DataFrame({"area_code": ["WK003401"], "value": [0.25], "n_personen": [40]})


def _publish(tmp_path: Path, frame: pd.DataFrame) -> Path:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA publish")
    store_frame(con, "indicator_values", frame)
    published = tmp_path / "published"
    return publish(con, "publish", published, "run-1", None, {"run_id": "run-1"}, 5)


def test_a_clean_version_is_published_and_becomes_current(tmp_path: Path) -> None:
    database = _publish(tmp_path, GOOD)
    assert current_database(tmp_path / "published") == tmp_path / "published" / "current" / \
        "monitor.duckdb"
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.sql("SELECT value FROM indicator_values").fetchall() == [(0.25,)]


@pytest.mark.parametrize(("frame", "problem"), [
    (GOOD.assign(pseudoniem=["a" * 64]), "indicator_values.pseudoniem: kolomnaam"),
    (GOOD.assign(area_code=["111222333"]), "indicator_values.area_code: 1 cel(len) met een getal"),
    (GOOD.assign(area_code=["c" * 64]), "indicator_values.area_code: 1 cel(len) met iets dat"),
    (GOOD.assign(value=[float("inf")]), "indicator_values.value: 1 oneindige"),
])
def test_a_pseudonym_bsn_or_infinite_value_publishes_nothing(
        tmp_path: Path, frame: pd.DataFrame, problem: str) -> None:
    with pytest.raises(PublishError, match="Publicatie geweigerd") as refused:
        _publish(tmp_path, frame)
    assert problem in str(refused.value)
    published = tmp_path / "published"
    assert current_database(published) is None
    assert not (published / "current").exists()
    assert list((published / "versions").iterdir()) == []


def test_a_bsn_in_the_data_docs_is_a_leak_but_digits_inside_a_uuid_or_fingerprint_are_not(
        tmp_path: Path) -> None:
    page = tmp_path / "landing-diplomas.html"
    # 163630744 passes the elfproef; Great Expectations once drew it inside an element id.
    page.write_text('<a href="#body-7983ef62-a8b7-435e-aa41-3b163630744a">', encoding="utf-8")
    assert _docs_leak(tmp_path, []) == []
    # 205188461 too, inside a batch's pandas_data_fingerprint (a CI run was refused on it).
    page.write_text("<span>f4c57baddd415ec326f205188461d906</span>", encoding="utf-8")
    assert _docs_leak(tmp_path, []) == []
    for leak in ("<td>163630744</td>", "<td>bsn 205188461, klas 3b</td>"):
        page.write_text(leak, encoding="utf-8")
        assert _docs_leak(tmp_path, []) == ["landing-diplomas.html"], leak
