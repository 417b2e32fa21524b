"""Releases side by side, as the attacker combines them (tests/attacker.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from tests.attacker import Attack, relation_matrix


def joint_attack(attacks: list[Attack]) -> Attack:
    """Releases side by side (a kept version, a meeting's frozen figures and today's): each
    release's cells and relations, and one figure where a figure of a closed schooljaar (not
    the newest single year of the earlier release, not multi-year) appears in both, unless
    both show it and it differs (a correction). The attacker cannot see which hidden figures
    changed; closed schooljaren mostly do not."""
    frames, offset = [], 0
    for number, attack in enumerate(attacks):
        frames.append(attack.cells.assign(release=number, id=attack.cells["id"] + offset))
        offset += len(attack.cells)
    cells = pd.concat(frames, ignore_index=True)
    links = []
    keys = ["measure", "level", "area_code", "period"]
    for earlier, later in zip(frames, frames[1:], strict=False):
        single = sorted(p for p in earlier["period"].unique() if " t/m " not in p)
        closed = earlier[earlier["period"].isin(single[:-1])]
        both = closed.merge(later, on=keys, suffixes=("", "_later"))
        differs = (both["value"] - both["value_later"]).abs() > 1e-9
        both = both[~differs.fillna(False)]
        links += [[(int(a), 1.0), (int(b), -1.0)]
                  for a, b in zip(both["id"], both["id_later"], strict=True)]
    equalities = sp.vstack([sp.block_diag([a.equalities for a in attacks], format="csr"),
                            relation_matrix(links, len(cells))]).tocsr()
    limits = np.concatenate([np.zeros(a.inequalities.shape[0]) if a.limits is None
                             else a.limits for a in attacks])
    return Attack(cells, equalities, sp.block_diag([a.inequalities for a in attacks],
                                                   format="csr"), limits)
