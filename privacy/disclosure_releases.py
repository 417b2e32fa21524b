"""One publication beside every earlier one still visible: what users combine stays protected.

Kept versions and meetings' frozen figures stay visible beside today's release, so an attacker
combines them: a figure that did not change is one figure in all of them. The rule, as
statistical offices freeze a pattern ("once hidden, hidden; once shown, known"), for every
figure whose true value is the same as in an earlier kept release:
- hidden then: hidden now (shown now, it would give its old hidden value away);
- shown then: known, so it cannot protect anything now: it stays shown and out of the model
  (its column in the relations is zero: a direction may not move it).
Figures that did change (the open schooljaar, the multi-year figure, a corrected year) are
protected jointly with their earlier versions: each earlier version that was hidden is a cell
of its own (one per figure and value, whichever releases hid it; free, non-negative, protected
again if it was a small group), tied to today's figures by its release's own relations. So the
joint system of all kept releases is what the LPs protect. The releases' cells (aggregates,
with the values of their hidden figures) are kept in the private work folder, never published,
the newest `[disclosure] joint_releases`; a run stores its own only once it is published
(`commit`), so a failed run leaves the kept ones as they were.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

KEYS = ["quantity", "level", "area_code", "period"]
# pending: this run's cells until it has published; versions: one folder per published release
# still protected jointly (oldest first); legacy: the one previous release of earlier versions.
PENDING, VERSIONS, LEGACY = "nieuw", "versies", "vorige"
KEEP_FILE = "bewaren.txt"


@dataclass(frozen=True)
class Joint:
    """The new cells (first n_new) and the earlier releases' changed hidden cells."""

    relations: sp.csr_matrix
    value: np.ndarray
    sensitive: np.ndarray
    hidden: np.ndarray
    weight: np.ndarray
    cells: pd.DataFrame  # level, area_code of every joint cell (for localities)
    n_new: int
    frozen: int          # new cells hidden because they were hidden before
    known: int           # new cells shown before and unchanged
    settled: np.ndarray | None = None  # joint cells of components wholly unchanged
    releases: int = 0    # earlier releases in the joint system


Release = tuple[pd.DataFrame, sp.csr_matrix]


def _folders(folder: Path) -> list[Path]:
    """The kept releases' folders, oldest first (a legacy `vorige` before every numbered one)."""
    numbered = sorted((folder / VERSIONS).glob("[0-9]*")) if (folder / VERSIONS).is_dir() else []
    return [f for f in [folder / LEGACY, *numbered] if (f / "cells.parquet").is_file()]


def load(folder: Path | None) -> list[Release]:
    """Every kept earlier release's cells and relations, oldest first (empty: first run)."""
    if folder is None:
        return []
    return [(pd.read_parquet(f / "cells.parquet"), sp.load_npz(f / "relations.npz"))
            for f in _folders(folder)]


def save(folder: Path | None, cells: pd.DataFrame, relations: sp.csr_matrix,
         hidden: np.ndarray, sensitive: np.ndarray, keep: int = 1) -> None:
    """Store this run's cells as pending; `commit` adds them to the kept releases, of which it
    keeps the newest `keep`."""
    if folder is None:
        return
    pending = folder / PENDING
    shutil.rmtree(pending, ignore_errors=True)
    pending.mkdir(parents=True)
    cells[KEYS + ["value", "virtual"]].assign(hidden=hidden, sensitive=sensitive).to_parquet(
        pending / "cells.parquet")
    sp.save_npz(pending / "relations.npz", relations.tocsr())
    (pending / KEEP_FILE).write_text(str(keep), encoding="utf-8")


def commit(folder: Path | None) -> None:
    """After a successful publication: the pending cells become the newest kept release; the
    oldest beyond the number `save` was given are dropped (a failed run drops nothing)."""
    if folder is None or not (folder / PENDING).is_dir():
        return
    keep = int((folder / PENDING / KEEP_FILE).read_text(encoding="utf-8"))
    kept = _folders(folder)
    number = int(kept[-1].name) + 1 if kept and kept[-1].name.isdigit() else 1
    (folder / VERSIONS).mkdir(exist_ok=True)
    (folder / PENDING).rename(folder / VERSIONS / f"{number:06d}")
    for old in _folders(folder)[:-keep]:
        shutil.rmtree(old)


def join(cells: pd.DataFrame, relations: sp.csr_matrix, value: np.ndarray,
         sensitive: np.ndarray, hidden: np.ndarray, weight: np.ndarray,
         previous: list[Release]) -> Joint:
    """The joint system of this release and the kept earlier ones (the module docstring)."""
    n_new = len(cells)
    if not previous:
        return Joint(relations.tocsr(), value, sensitive, hidden, weight,
                     cells[["level", "area_code"]], n_new, 0, 0)
    position = pd.Series(np.arange(n_new), index=pd.MultiIndex.from_frame(cells[KEYS]))
    frozen, known = np.zeros(n_new, bool), np.zeros(n_new, bool)
    extra: dict[tuple, int] = {}   # (key, value) of an earlier hidden version -> its column
    extra_rows, columns = [], []
    for old, _ in previous:
        match, same = _match(old, position, value)
        old_hidden = old["hidden"].to_numpy(bool)
        frozen[match[same & old_hidden].astype(int)] = True
        known[match[same & ~old_hidden].astype(int)] = True
        column = np.full(len(old), -1)
        column[same] = match[same].astype(int)
        rows = np.flatnonzero(~same & old_hidden)
        extra_rows.append(old.iloc[_extra_columns(old, rows, column, extra, n_new)])
        columns.append(column)
        # Settled is judged against the newest release, which was protected jointly with the
        # older ones: its changed figures and its own earlier versions of them are what moved.
        unchanged = np.zeros(n_new, bool)
        unchanged[match[same].astype(int)] = True
        moved = np.unique(column[rows])
    size = n_new + len(extra)
    mapped = sp.vstack([_remap(rel.tocsr(), column, size)
                        for (_, rel), column in zip(previous, columns, strict=True)])
    joint = sp.vstack([sp.csr_matrix((relations.data, relations.indices, relations.indptr),
                                     shape=(relations.shape[0], size)), mapped]).tocsc()
    keep = np.ones(size)
    keep[np.flatnonzero(known)] = 0.0  # shown before and unchanged: a constant, never moved
    joint = (joint @ sp.diags(keep)).tocsr()
    joint.eliminate_zeros()
    extra_cells = pd.concat(extra_rows, ignore_index=True)
    changed = np.r_[~unchanged, np.zeros(len(extra), bool)]
    changed[moved] = True
    changed[_new_relation_cells(joint, relations.shape[0])] = True
    return Joint(
        relations=joint, settled=_settled(joint, changed),
        value=np.r_[value, extra_cells["value"].to_numpy(float)],
        sensitive=np.r_[sensitive & ~known, extra_cells["sensitive"].to_numpy(bool)],
        hidden=np.r_[hidden | frozen, np.ones(len(extra), bool)],
        weight=np.r_[weight, np.zeros(len(extra))],
        cells=pd.concat([cells[["level", "area_code"]], extra_cells[["level", "area_code"]]],
                        ignore_index=True),
        n_new=n_new, frozen=int(frozen.sum()),
        known=int(known.sum()), releases=len(previous))


def _match(old: pd.DataFrame, position: pd.Series, value: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray]:
    """Per earlier cell: the new cell with its key (NaN: none), and whether the value is the
    same."""
    match = position.reindex(pd.MultiIndex.from_frame(old[KEYS])).to_numpy()
    matched = ~np.isnan(match)
    same = np.zeros(len(old), bool)
    same[matched] = np.abs(value[match[matched].astype(int)]
                           - old["value"].to_numpy(float)[matched]) < 1e-9
    return match, same


def _extra_columns(old: pd.DataFrame, rows: np.ndarray, column: np.ndarray,
                   extra: dict[tuple, int], n_new: int) -> list[int]:
    """Earlier versions of changed figures that were hidden (`rows`) get columns of their own,
    one per figure and value whichever releases hid it (the attacker knows them as one);
    returns the rows that opened a new column."""
    fresh = []
    keys = zip(*(old[k].to_numpy()[rows] for k in KEYS), old["value"].to_numpy(float)[rows],
               strict=True)
    for row, key in zip(rows, keys, strict=True):
        if key not in extra:
            extra[key] = n_new + len(extra)
            fresh.append(row)
        column[row] = extra[key]
    return fresh


def _remap(matrix: sp.csr_matrix, column: np.ndarray, size: int) -> sp.csr_matrix:
    """The previous relations over the joint cells; previous cells that were shown and changed
    are constants and drop out (column -1)."""
    coo = matrix.tocoo()
    target = column[coo.col]
    keep = target >= 0
    return sp.csr_matrix((coo.data[keep], (coo.row[keep], target[keep])),
                         shape=(matrix.shape[0], size))


def _settled(relations: sp.csr_matrix, changed: np.ndarray) -> np.ndarray:
    """Cells of components (linked by the joint relations) in which no figure changed: the
    previous release's pattern, frozen, protects them exactly as it did then."""
    incidence = abs(relations).astype(bool)
    n_rel = relations.shape[0]
    graph = sp.bmat([[None, incidence], [incidence.T, None]], format="csr")
    _, label = connected_components(graph, directed=False)
    label = label[n_rel:]
    moved = np.zeros(label.max() + 1 if len(label) else 0, bool)
    moved[label[changed]] = True
    return ~moved[label]


def _new_relation_cells(joint: sp.csr_matrix, n_new_rows: int) -> np.ndarray:
    """Cells of today's relations that the previous release did not have (a new indicator, a
    relation the model learnt since): the previous pattern was not protected against them."""
    def signature(row: int) -> bytes:
        start, end = joint.indptr[row], joint.indptr[row + 1]
        order = np.argsort(joint.indices[start:end])
        return (joint.indices[start:end][order].tobytes()
                + joint.data[start:end][order].tobytes())

    before = {signature(row) for row in range(n_new_rows, joint.shape[0])}
    fresh = [row for row in range(n_new_rows) if signature(row) not in before]
    return np.unique(joint[fresh].indices) if fresh else np.zeros(0, int)
