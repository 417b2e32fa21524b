"""The sample generator's parts on tiny inputs: neighbours, school choice across the border,
chunked writing, example targets (the whole generated sample: test_sample_data.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sample_data.choice import SchoolChooser
from sample_data.population import Window
from sample_data.reference import neighbours
from sample_data.targets import example_besturen, gemeente_doelen
from sample_data.writers import DeliveryWriter


def test_neighbours_are_gemeenten_whose_polygons_touch_and_islands_take_the_nearest() -> None:
    assert {"GM0995", "GM0050", "GM1942"} <= set(neighbours("GM0034"))
    assert "GM0034" in neighbours("GM0995")
    assert len(neighbours("GM0448")) == 2  # Texel touches no other gemeente


def test_residents_near_the_border_cross_it_and_outsiders_only_come_to_the_region() -> None:
    """Gemeente A (region) with a wijk at the border and one far away; gemeente B next door."""
    schools = pd.DataFrame({"gemeentecode": ["GMA", "GMA", "GMB"], "region": [True, True, False],
                            "lon": [5.00, 5.20, 5.25], "lat": [52.0, 52.0, 52.0],
                            "size": [100.0, 100.0, 100.0]})
    origins = pd.DataFrame({"gemeentecode": ["GMA", "GMA", "GMB"], "inside": [True, True, False],
                            "lon": [5.00, 5.22, 5.30], "lat": [52.0, 52.0, 52.0]})
    chooser = SchoolChooser(schools, origins, {"GMA": {"GMB"}, "GMB": {"GMA"}})
    rng = np.random.default_rng(1)
    origin = np.repeat([0, 1, 2], 20_000)
    chosen = chooser.choose(origin, np.ones(3, bool), 4.0, np.full(origin.size, 0.1), rng)
    crossed = pd.Series(chosen == 2).groupby(origin).mean()
    assert crossed[1] > 3 * crossed[0] > 0  # the border wijk crosses far more often
    assert 0.07 <= (chosen[origin < 2] == 2).mean() <= 0.13  # about the share on average
    outsiders = chosen[origin == 2]
    assert 0.07 <= (outsiders != 2).mean() <= 0.13 and set(outsiders) == {0, 1, 2}


def test_a_chunk_without_rows_for_a_file_writes_nothing_and_the_next_chunk_writes_text(
        tmp_path: Path) -> None:
    # At national size a 100.000-person chunk can hold no youth care for a small gemeente.
    writer = DeliveryWriter(tmp_path / "jeugdhulp.csv", {
        "encoding": "utf-8", "delimiter": ";", "newline": "\n", "decimal": ",",
        "date_format": "%d-%m-%Y"})
    writer.write(pd.DataFrame({"bsn": pd.Series([], dtype=object),
                               "kosten": pd.Series([], dtype=float)}))
    writer.write(pd.DataFrame({"bsn": ["111222333", "123456782"], "kosten": [195.625, None]}))
    writer.close()
    assert (tmp_path / "jeugdhulp.csv").read_text(encoding="utf-8").splitlines() == [
        "bsn;kosten", "111222333;195,62", "123456782;"]


def test_a_bestuur_spanning_gemeenten_gets_one_example_target() -> None:
    # Nationally the largest primary-school bestuur of two gemeenten can be the same one; its
    # target id would then occur twice and the targets stage refuses the whole doelen.yaml.
    schools = pd.DataFrame({"gemeentecode": ["GM0001"] * 2 + ["GM0002"] * 3 + ["GM0003"],
                            "kind": ["BAO"] * 5 + ["VO"],
                            "bevoegd_gezag": ["41631", "41631", "41631", "41631", "20000",
                                              "30000"]})
    chosen = example_besturen(schools, ["GM0001", "GM0002", "GM0003"])
    assert chosen == {"GM0001": "41631", "GM0002": "20000"}
    window = Window(first_year=2021, last_year=2025)
    doelen = [doel for code, bestuur in chosen.items()
              for doel in gemeente_doelen(code, code, window, bestuur)]
    ids = [doel["id"] for doel in doelen]
    assert len(ids) == len(set(ids))
