"""Every relation between published figures that holds on the true figures is in the model.

The candidates are those an outsider tries from the public catalogue (tests/attacker.py,
`_split_families`: the variants of an entry adding up to another indicator); each is checked
on the true figures of the mart, as an attacker checks them on the shown ones. A new indicator
or variant that adds up to a published figure fails this test until the suppression model
(privacy.disclosure_relations) carries the relation.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from indicators.catalogue import load_catalogue
from privacy.disclosure_relations import CellSystem, build_system
from tests.attacker import _checked
from tests.attacker_knowledge import _split_families
from tests.conftest import SampleRun


def _truth(values: pd.DataFrame) -> pd.DataFrame:
    """The mart's figures as the attacker's cells: (values row, measure) -> one cell each."""
    frames = [pd.DataFrame({"measure": values["indicator_id"] + "." + measure,
                            "level": values["level"], "area_code": values["area_code"],
                            "period": values["period"], "value": values[measure].astype(float),
                            "row": values.index, "role": measure})
              for measure in ("numerator", "denominator")]
    cells = pd.concat(frames, ignore_index=True)
    cells["id"] = np.arange(len(cells))
    return cells


def missing_relations(values: pd.DataFrame, system: CellSystem) -> list[str]:
    """Candidate sums that hold exactly on the true figures and that no row of the model
    states (over the same published cells). Sums that hold only as `total <= sum` (members
    that overlap) are left out: most are implied by exact ones (duur_kort <= the soorten,
    which add up to all thuiszitters) or coincidences of the data (the 18-22-year-olds are
    fewer than twice the leerplichtigen); the overlap of a split the catalogue defines is in
    the model (privacy.disclosure_splits)."""
    truth = _truth(values)
    families = _split_families(truth)
    model_cell = np.array([system.indicator_cells.at[r, m] for r, m in
                           zip(truth["row"], truth["role"], strict=True)])
    virtual = system.cells["virtual"].to_numpy()
    rows = system.relations.tocsr()
    stated = {frozenset(c for c in rows.indices[rows.indptr[i]:rows.indptr[i + 1]]
                        if not virtual[c]) for i in range(rows.shape[0])}
    missing = []
    for name, family in families.items():
        equal, _ = _checked({name: family}, truth["value"].to_numpy(float), least=1)
        for row in equal:
            cells = frozenset(int(model_cell[i]) for i, _ in row)
            if -1 not in cells and len(cells) > 1 and cells not in stated:
                missing.append(f"{name}: {sorted(cells)}")
    return missing


@pytest.mark.slow
def test_every_split_that_holds_on_the_true_figures_is_in_the_model(
        sample_run: SampleRun) -> None:
    with duckdb.connect(str(sample_run.work_db), read_only=True) as con:
        values = con.sql("SELECT * FROM mart.indicator_values").df()
        breakdowns = con.sql("SELECT * FROM mart.breakdowns").df()
        areas = con.sql("SELECT * FROM mart.areas").df()
    system = build_system(values, breakdowns, areas, {i.id: i for i in load_catalogue()[0]},
                          set(values.loc[values["meerjarig"], "period"]))
    missing = missing_relations(values, system)
    assert not missing, missing[:5]
