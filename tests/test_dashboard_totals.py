"""The totals a school or wijk is shown beside: its gemeente, and in a region also the region."""

from __future__ import annotations

import pandas as pd

from dashboard.totals import comparison_rows, gemeente_of_wijk


def _rows(*areas: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"level": [a[0] for a in areas], "area_code": [a[1] for a in areas],
                         "indicator_id": "vsv", "value": 1.0, "suppressed": False})


def test_one_gemeente_is_the_only_total() -> None:
    found = comparison_rows(_rows(("gemeente", "GM0034"), ("wijk", "WK003401")), "GM0034")
    assert list(found) == ["Gemeente"]
    assert found["Gemeente"]["area_code"].tolist() == ["GM0034"]


def test_in_a_region_an_area_is_shown_beside_its_own_gemeente_and_the_region() -> None:
    everything = _rows(("gemeente", "GM0034"), ("gemeente", "GM0995"),
                       ("regio", "GM0034+GM0995"), ("wijk", "WK099501"))
    found = comparison_rows(everything, gemeente_of_wijk("WK099501"))
    assert {k: v["area_code"].tolist() for k, v in found.items()} == {
        "Gemeente": ["GM0995"], "Regio": ["GM0034+GM0995"]}
    # A school outside the region (its wijk in another gemeente): the region only.
    assert list(comparison_rows(everything, gemeente_of_wijk("WK005001"))) == ["Regio"]
