"""Intervals and limits against published reference values."""

from __future__ import annotations

import numpy as np
import pytest

from indicators.stats import (
    funnel_limits,
    mean_interval,
    poisson_rate_interval,
    round_to_multiple,
    wilson_interval,
)


@pytest.mark.parametrize(("x", "n", "low", "high"), [
    (81, 263, 0.2553, 0.3662),  # Newcombe (1998), table I
    (0, 10, 0.0, 0.2775),
    (5, 10, 0.2366, 0.7634),
])
def test_wilson_interval_matches_the_literature(x: int, n: int, low: float, high: float) -> None:
    lo, hi = wilson_interval(np.array([x]), np.array([n]))
    assert lo[0] == pytest.approx(low, abs=5e-5)
    assert hi[0] == pytest.approx(high, abs=5e-5)


def test_wilson_is_undefined_without_a_denominator() -> None:
    lo, hi = wilson_interval(np.array([0]), np.array([0]))
    assert np.isnan(lo[0]) and np.isnan(hi[0])


def test_garwood_interval_for_a_count_of_zero_and_ten() -> None:
    lo, hi = poisson_rate_interval(np.array([0, 10]), np.array([1.0, 1.0]))
    assert lo[0] == 0 and hi[0] == pytest.approx(3.689, abs=1e-3)
    assert lo[1] == pytest.approx(4.795, abs=1e-3) and hi[1] == pytest.approx(18.390, abs=1e-3)


def test_mean_interval_from_aggregates_equals_the_t_interval_of_the_data() -> None:
    data = np.array([1200.0, 3400.0, 800.0, 56000.0, 2500.0])
    lo, hi = mean_interval(data.sum(), len(data), (data ** 2).sum())
    from scipy import stats

    expected = stats.t.interval(0.95, len(data) - 1, loc=data.mean(), scale=stats.sem(data))
    assert (lo, hi) == pytest.approx(expected)


def test_funnel_limits_narrow_as_the_denominator_grows() -> None:
    n = np.array([20, 100, 1000])
    low95, high95 = funnel_limits(0.1, n, 0.95)
    low998, high998 = funnel_limits(0.1, n, 0.998)
    assert np.all(np.diff(high95 - low95) < 0)
    assert np.all(high998 > high95) and np.all(low998 <= low95)


def test_counts_round_half_up_to_fives() -> None:
    assert list(round_to_multiple([0, 2, 3, 7, 8, 12.5, np.nan], 5)[:6]) == [0, 0, 5, 5, 10, 15]
