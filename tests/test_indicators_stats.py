"""Intervals and limits against published reference values and their defining properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from indicators.stats import (
    bootstrap_mean_interval,
    funnel_limits,
    median_interval,
    round_to_multiple,
    wilson_interval,
    wilson_interval_clustered,
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


def test_the_cost_interval_never_goes_below_zero_where_a_t_interval_does() -> None:
    costs = np.array([0.0] * 9 + [100_000.0])  # one expensive verblijf among light help
    t_low = stats.t.interval(0.95, len(costs) - 1, loc=costs.mean(), scale=stats.sem(costs))[0]
    assert t_low < 0  # the old interval: a negative cost
    low, high = bootstrap_mean_interval(costs, np.ones(10), np.random.default_rng(1), 2000)
    assert 0 <= low < costs.mean() < high <= 100_000


def test_the_bootstrap_resamples_persons_so_repeated_years_widen_the_interval() -> None:
    rng = np.random.default_rng(7)
    costs = rng.lognormal(8, 1, 40)
    once = bootstrap_mean_interval(costs, np.ones(40), np.random.default_rng(2), 2000)
    # The same 40 persons counted in 3 years each: 120 person-years, but still 40 persons.
    thrice = bootstrap_mean_interval(costs * 3, np.full(40, 3.0), np.random.default_rng(2), 2000)
    assert thrice == pytest.approx(once)
    assert np.isnan(bootstrap_mean_interval([5.0], [1], rng, 100)).all()


def test_the_median_interval_uses_order_statistics() -> None:
    values = np.arange(1.0, 101.0)  # n = 100: ranks 50 -/+ 9,8 rounded up: 41 and 60
    assert median_interval(values, 100) == (41.0, 60.0)
    wider = median_interval(values, 25)  # 100 person-years of 25 persons
    assert wider[0] < 41 and wider[1] > 60
    assert np.isnan(median_interval([3.0], 1)).all()


def test_person_years_of_the_same_persons_do_not_narrow_a_proportion_interval() -> None:
    single = wilson_interval(np.array([30]), np.array([100]))
    # Five years of the same 100 pupils: 150 of 500 person-years, still 100 persons.
    pooled = wilson_interval_clustered(np.array([150]), np.array([500]), np.array([100]))
    assert (pooled[0][0], pooled[1][0]) == pytest.approx((single[0][0], single[1][0]))
    naive = wilson_interval(np.array([150]), np.array([500]))
    assert naive[1][0] - naive[0][0] < pooled[1][0] - pooled[0][0]


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
