"""One sparse linear program, minimised with HiGHS (highspy) directly.

scipy.optimize.linprog wraps the same solver but costs more per call than the solve itself on
the small LPs of secondary suppression. highspy releases the GIL while it solves, so the
independent components of the cell system can be solved on several threads. Every LP starts
cold (with presolve): warm starts from the previous basis were a third cheaper but landed on
optimal vertices that move more cells, hiding about 10% more on Almere.
"""

from __future__ import annotations

import highspy
import numpy as np
import scipy.sparse as sp


class LpFailed(RuntimeError):
    """HiGHS stopped without an optimum or a proof of infeasibility; the message says why."""


def minimise(cost: np.ndarray, equalities: sp.spmatrix, lower: np.ndarray,
             upper: np.ndarray, row_lower: np.ndarray | None = None,
             row_upper: np.ndarray | None = None, presolve: bool = True) -> np.ndarray | None:
    """argmin cost @ x subject to row_lower <= equalities @ x <= row_upper (default: = 0) and
    lower <= x <= upper; None: infeasible. presolve: HiGHS's presolve (off: another optimal
    vertex, twice as fast on some large LPs)."""
    matrix = sp.csc_matrix(equalities)
    rows, cols = matrix.shape
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = cols, rows
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, lower, upper
    lp.row_lower_ = np.zeros(rows) if row_lower is None else row_lower
    lp.row_upper_ = np.zeros(rows) if row_upper is None else row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = cols, rows
    lp.a_matrix_.start_, lp.a_matrix_.index_ = matrix.indptr, matrix.indices
    lp.a_matrix_.value_ = matrix.data.astype(float)
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("threads", 1)  # parallelism: components side by side
    solver.setOptionValue("presolve", "on" if presolve else "off")
    solver.passModel(lp)
    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return None
    if status != highspy.HighsModelStatus.kOptimal:
        raise LpFailed(solver.modelStatusToString(status))
    return np.asarray(solver.getSolution().col_value)


def minimise_mixed(cost: np.ndarray, matrix: sp.spmatrix, row_lower: np.ndarray,
                   row_upper: np.ndarray, lower: np.ndarray, upper: np.ndarray,
                   integer: np.ndarray, node_limit: int) -> tuple[np.ndarray | None, bool]:
    """argmin cost @ x subject to row_lower <= matrix @ x <= row_upper, lower <= x <= upper and
    x integer where `integer`; returns (x, proven optimal). x is None when infeasible or when
    no solution was found within `node_limit` branch-and-bound nodes (a count, not a clock:
    the same model gives the same answer on any machine)."""
    columns = sp.csc_matrix(matrix)
    rows, cols = columns.shape
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = cols, rows
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, lower, upper
    lp.row_lower_, lp.row_upper_ = row_lower, row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = cols, rows
    lp.a_matrix_.start_, lp.a_matrix_.index_ = columns.indptr, columns.indices
    lp.a_matrix_.value_ = columns.data.astype(float)
    lp.integrality_ = [highspy.HighsVarType.kInteger if flag else
                       highspy.HighsVarType.kContinuous for flag in integer]
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("threads", 1)  # parallelism: components side by side
    solver.setOptionValue("mip_max_nodes", int(node_limit))
    solver.passModel(lp)
    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return None, False
    if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kSolutionLimit):
        raise LpFailed(solver.modelStatusToString(status))
    if solver.getInfo().primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
        return None, False
    return (np.asarray(solver.getSolution().col_value),
            status == highspy.HighsModelStatus.kOptimal)
