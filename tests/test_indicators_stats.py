"""Intervals and limits against published reference values and their defining properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from indicators.stats import (
    funnel_limits,
    mean_interval,
    round_to_multiple,
    wilson_interval,
)


@pytest.mark.parametrize(("x", "n", "low", "high"), [
    (81, 263, 0.2553, 0.3662),  # Newcombe (1998), Stat Med 17:857, table II, method 3
    (15, 148, 0.0624, 0.1605),  # idem
    (0, 20, 0.0, 0.1611),  # idem
    (1, 29, 0.0061, 0.1718),  # idem
    (0, 10, 0.0, 0.2775),  # by hand: z²/(n+z²)
    (5, 10, 0.2366, 0.7634),  # by hand: symmetric around 0.5
])
def test_wilson_interval_matches_the_literature(x: int, n: int, low: float, high: float) -> None:
    lo, hi = wilson_interval(np.array([x]), np.array([n]))
    assert lo[0] == pytest.approx(low, abs=5e-5)
    assert hi[0] == pytest.approx(high, abs=5e-5)


def test_wilson_limits_are_the_proportions_whose_score_test_is_exactly_significant() -> None:
    x, n = np.array([3, 40, 97]), np.array([17, 90, 100])
    z = stats.norm.ppf(0.975)
    for limit in wilson_interval(x, n):
        score = (x / n - limit) / np.sqrt(limit * (1 - limit) / n)
        assert np.abs(score) == pytest.approx(z, rel=1e-6)


def test_wilson_is_undefined_without_a_denominator_and_accepts_series() -> None:
    lo, hi = wilson_interval(pd.Series([0, 3, 2]), pd.Series([0, np.nan, 4]))
    assert np.isnan(lo[:2]).all() and np.isnan(hi[:2]).all()
    assert 0 < lo[2] < 0.5 < hi[2] < 1


def test_mean_interval_from_aggregates_equals_the_t_interval_of_the_data() -> None:
    data = np.array([1200.0, 3400.0, 800.0, 56000.0, 2500.0])
    lo, hi = mean_interval(data.sum(), len(data), (data ** 2).sum())
    expected = stats.t.interval(0.95, len(data) - 1, loc=data.mean(), scale=stats.sem(data))
    assert (lo, hi) == pytest.approx(expected)


def test_mean_interval_needs_two_observations() -> None:
    lo, hi = mean_interval(np.array([0.0, 5.0]), np.array([0, 1]), np.array([0.0, 25.0]))
    assert np.isnan(lo).all() and np.isnan(hi).all()


def test_funnel_limits_narrow_as_the_denominator_grows() -> None:
    n = np.array([20, 100, 1000])
    low95, high95 = funnel_limits(0.1, n, 0.95)
    low998, high998 = funnel_limits(0.1, n, 0.998)
    assert np.all(np.diff(high95 - low95) < 0)
    assert np.all(high998 > high95) and np.all(low998 <= low95)
    assert high95[2] == pytest.approx(0.1 + 1.959964 * np.sqrt(0.09 / 1000))


def test_funnel_limits_stay_between_zero_and_one_and_need_a_denominator() -> None:
    low, high = funnel_limits(0.05, np.array([5, 0]), 0.998)
    assert low[0] == 0 and high[0] < 1
    assert np.isnan(low[1]) and np.isnan(high[1])


def test_counts_round_half_up_to_multiples_and_missing_stays_missing() -> None:
    rounded = round_to_multiple(pd.Series([0, 2, 2.5, 3, 7, 8, 12.5, np.nan]), 5)
    assert rounded[:7].tolist() == [0, 0, 5, 5, 5, 10, 15] and np.isnan(rounded[7])
    assert round_to_multiple([0.5, 1.5, 2.5], 1).tolist() == [1, 2, 3]
