"""Fast checks of what every screen and download relies on: Dutch formats, shares that add up
to 100%, numeric downloads safe to open in a spreadsheet, Data Docs without outside requests."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard import downloads
from dashboard import format as fmt
from dashboard.components import charts
from dashboard.data_docs import page_list, self_contained
from dashboard.tables import shares, value_table
from dashboard.visible import open_on


def test_numbers_use_a_decimal_comma_and_a_thousands_point() -> None:
    assert fmt.number(8000) == "8.000"
    assert fmt.number(1234.56, 1) == "1.234,6"
    assert fmt.value(12.345, "percentage") == "12,3%"
    assert fmt.value(6262.4, "euro") == "€ 6.262"
    assert fmt.value(None, "percentage") == "–"


def test_dates_are_written_out_in_dutch_without_microseconds() -> None:
    assert fmt.date("2022-03-15") == "15 maart 2022"
    assert fmt.date(pd.Timestamp("2026-11-27 06:01:02.123456")) == "27 november 2026, 06:01"


def test_a_hidden_cell_gets_one_marker_and_the_table_one_footnote() -> None:
    assert fmt.cell(None, "percentage", True) == "afgeschermd"
    note = fmt.footnote(pd.Series(["afgeschermd", "afgeschermd", None]))
    assert note.count("kleine aantallen") == 1


def test_frozen_figures_with_the_old_two_reasons_read_alike() -> None:
    # Meeting figures frozen before the one marker carry klein_aantal or secundair: printed
    # apart they would tell which side of the threshold each hidden count lies on.
    old = {code: (fmt.footnote(pd.Series([code])), fmt.reason(code))
           for code in ("klein_aantal", "secundair", "afgeschermd")}
    assert len(set(old.values())) == 1
    assert fmt.footnote(pd.Series(["klein_aantal", "secundair"])) == old["afgeschermd"][0]


def test_schools_that_share_a_name_get_separate_bars_with_their_codes() -> None:
    frame = pd.DataFrame({"level": "school", "area_name": ["Het Samenspel", "Het Samenspel"],
                          "area_code": ["12AB01", "12AB02"], "value": [10.0, 20.0]})
    figure = charts.bars(charts.bar_rows(frame), "percentage")
    assert list(figure.data[0].y) == ["Het Samenspel (12AB02)", "Het Samenspel (12AB01)"]
    assert list(figure.data[0].x) == [20.0, 10.0]


def test_chart_axes_and_hovers_use_dutch_separators_without_si_suffixes() -> None:
    rows = pd.DataFrame({"label": ["a", "b"], "value": [8000.0, 12000.0], "own": [True, False]})
    figure = charts.bars(rows, "euro")
    assert figure.layout.separators == ",."
    assert figure.layout.xaxis.tickformat == ",~f"  # 8.000, never 8k
    assert "€ %{x:,.0f}" in figure.data[0].hovertemplate
    assert list(figure.data[0].marker.color) == [charts.BLUE, charts.ORANGE]  # own: orange


def _breakdown(rows: list[tuple[str, str, float | None, bool]]) -> pd.DataFrame:
    return pd.DataFrame([{"level": "wijk", "area_code": code, "area_name": code,
                          "category": cat, "category_label": cat, "count": count,
                          "suppressed": hidden, "suppression_reason":
                              "klein_aantal" if hidden else None}
                         for code, cat, count, hidden in rows])


@pytest.mark.parametrize("with_total_rows", [True, False])
def test_hidden_categories_become_one_part_so_shares_add_up_to_100(with_total_rows) -> None:
    rows = [("WK1", "01", 60.0, False), ("WK1", "02", 25.0, False), ("WK1", "11", None, True),
            ("WK2", "01", 40.0, False), ("WK2", "02", None, True)]
    if with_total_rows:
        rows += [("WK1", "totaal", 95.0, False), ("WK2", "totaal", 50.0, False)]
    totals = pd.Series({"WK1": 93.0, "WK2": 52.0})  # exact, from the indicator cells
    parts = shares(_breakdown(rows), totals)
    assert parts.groupby("area_code")["share"].sum().round(9).tolist() == [100.0, 100.0]
    other = parts[parts["category_label"] == fmt.OTHER].set_index("area_code")["share"]
    assert other["WK1"] == pytest.approx(100 - 100 * 85 / 93)
    assert "totaal" not in set(parts["category"])


def test_an_area_with_only_its_total_row_left_is_one_grey_part() -> None:
    """The wijk profile of Almere's WK003449 crashed: every category hidden, only 'totaal'."""
    rows = [("WK1", "totaal", 27.0, False)]
    frame = _breakdown(rows).astype({"area_code": "str", "category": "str"})
    parts = shares(frame, pd.Series({"WK1": 27.0}))
    assert parts.empty or parts["share"].sum() == pytest.approx(100.0)


def test_a_page_opens_on_the_first_level_and_newest_year_with_visible_values() -> None:
    values = pd.DataFrame({"level": ["school", "bestuur", "bestuur", "wijk"],
                           "period": ["2024-2025", "2023-2024", "2024-2025", "2024-2025"],
                           "value": [None, 1.0, None, 2.0]})
    periods = ["2023-2024", "2024-2025"]
    assert open_on(values, fmt.AREA_LEVELS, None, None, periods) == ("bestuur", "2023-2024")
    assert open_on(values, fmt.AREA_LEVELS, None, "2024-2025", periods) == ("wijk", "2024-2025")
    assert open_on(values, fmt.AREA_LEVELS, "school", None, periods) == ("school", "2024-2025")


def _values() -> pd.DataFrame:
    return pd.DataFrame({
        "level": ["school", "school"], "area_name": ["=HYPERLINK(\"x\")", "School B"],
        "area_code": ["12AB01", "12AB02"], "period": "2024-2025", "value": [12.3456, None],
        "ci_low": [10.0, None], "ci_high": [15.0, None], "numerator_afgerond": [15.0, None],
        "denominator_afgerond": [120.0, None], "suppressed": [False, True],
        "suppression_reason": [None, "klein_aantal"]})


def test_downloads_have_numeric_columns_and_neutralise_formulas() -> None:
    table = downloads.numeric_values(_values(), "percentage")
    assert table["waarde"].tolist()[0] == 12.35
    assert table["teller"].dtype.kind == "f" and table["eenheid"].iat[0] == "%"
    assert downloads.neutralise("=1+1") == "'=1+1" and downloads.neutralise("@x") == "'@x"
    assert downloads.neutralise("\tx") == "'\tx" and downloads.neutralise(-3.5) == -3.5
    text = table.map(downloads.neutralise).to_csv(sep=";", decimal=",", index=False)
    parsed = pd.read_csv(io.StringIO(text), sep=";", decimal=",")
    assert parsed["waarde"].dtype.kind == "f" and parsed["gebied"].iat[0].startswith("'=")


class _Published:
    run_id = "20261127T000000Z-test"

    def catalogue(self) -> pd.DataFrame:
        return pd.DataFrame([{"indicator_id": "vsv", "naam": "Voortijdig schoolverlaten",
                              "definitie": "d", "teller": "t", "noemer": "n",
                              "eenheid": "percentage", "bron": "DUO (BRON)",
                              "kanttekeningen": "-let op"}])

    def values(self, *_args) -> pd.DataFrame:
        return _values()


def test_csv_has_a_bom_the_real_source_and_the_run_and_xlsx_the_same_numbers() -> None:
    name, text = downloads.build(_Published(), None, "waarden|vsv|school|2024-2025")
    assert name == "vsv_school_2024-2025.csv" and text.startswith("\ufeff# Indicator")
    assert "# Bron: DUO (BRON)" in text and "# Run: 20261127T000000Z-test" in text
    assert "# Kanttekeningen: '-let op" in text
    name, content = downloads.build_xlsx(_Published(), None, "waarden|vsv|school|2024-2025")
    sheet = load_workbook(io.BytesIO(content))["gegevens"]
    rows = list(sheet.values)
    assert rows[0][:5] == ("niveau", "gebied", "code", "schooljaar", "waarde")
    assert rows[1][4] == 12.35 and rows[1][1].startswith("'=") and rows[2][4] is None


def test_data_docs_pages_load_nothing_from_outside() -> None:
    page = ('<html><head><link href="https://cdn.example/bootstrap.css" rel="stylesheet">'
            '<script src="https://code.jquery.com/jquery.js"></script>'
            '<script>$(function(){})</script><style>.a{background:url(https://x/y.png)}</style>'
            '</head><body><img src="//cdn.example/logo.png"><p>Data Docs</p></body></html>')
    local = self_contained(page)
    assert "https://" not in local and "//cdn" not in local and "<script" not in local
    assert "Data Docs" in local and "<style>" in local


def test_the_data_docs_index_lists_every_report_page_without_scripts(tmp_path) -> None:
    run = tmp_path / "validations" / "personen" / "__none__" / "20261127T063553Z"
    run.mkdir(parents=True)
    (run / "landing-personen.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "expectations").mkdir()
    (tmp_path / "expectations" / "personen.html").write_text("<html></html>", encoding="utf-8")
    listed = page_list(tmp_path)
    assert ('href="validations/personen/__none__/20261127T063553Z/landing-personen.html">'
            "personen · 20261127T063553Z · landing-personen<") in listed
    assert 'href="expectations/personen.html">personen<' in listed


def test_school_youth_care_figures_say_how_many_pupils_they_cover_when_published() -> None:
    assert "Dekking" not in value_table(_values(), "percentage")  # column not published yet
    covered = value_table(_values().assign(coverage=[0.64, None]), "percentage")
    assert covered["Dekking"].tolist() == [
        "gebaseerd op 64% van de leerlingen: zij wonen in de gemeente", ""]
    note = fmt.footnote(pd.Series(["lage_dekking"]))
    assert "lage dekking" in note


def test_the_targets_download_is_numeric() -> None:
    import pandas as pd

    from dashboard.downloads import numeric_targets

    targets = pd.DataFrame({"indicator_id": ["vsv"], "level": ["gemeente"],
                            "area_name": ["Almere"], "area_code": ["GM0034"],
                            "period": ["2024-2025"], "value": [2.4567],
                            "trajectory_value": [2.1], "doel_waarde": [1.8],
                            "doel_periode": ["2025-2026"], "status": ["achter"],
                            "afgesproken_in": ["OOGO"], "afgesproken_op": ["2022-03-15"]})
    catalogue = pd.DataFrame({"indicator_id": ["vsv"], "eenheid": ["percentage"]})
    row = numeric_targets(targets, catalogue).iloc[0]
    assert (row["waarde"], row["traject"], row["doelwaarde"]) == (2.46, 2.1, 1.8)
    assert (row["status"], row["eenheid"], row["afgesproken_op"]) == ("achter", "%",
                                                                      "2022-03-15")
