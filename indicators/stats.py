"""Intervals and control limits for the published figures (vectorised; NaN where undefined)."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

Z95 = 1.959963984540054


def _arrays(*values) -> list[np.ndarray]:
    return [np.asarray(v, dtype=float) for v in values]


def wilson_interval(numerator, denominator, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion, as fractions 0..1."""
    x, n = _arrays(numerator, denominator)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    valid = n > 0
    return (np.where(valid, np.clip(centre - half, 0, 1), np.nan),
            np.where(valid, np.clip(centre + half, 0, 1), np.nan))


def wilson_interval_clustered(numerator, denominator, persons, z: float = Z95
                              ) -> tuple[np.ndarray, np.ndarray]:
    """Wilson interval when units repeat persons (person-years, several records of one person).

    The same person counted several times carries less information than as many persons:
    the proportion is kept, the interval uses the number of distinct persons as sample size
    (conservative when a person's units are alike, which they mostly are).
    """
    x, n, k = _arrays(numerator, denominator, persons)
    effective = np.where((k > 0) & (k < n), k, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = x / n
    return wilson_interval(share * effective, effective, z)


def bootstrap_mean_interval(person_totals, person_counts, rng: np.random.Generator,
                            resamples: int, confidence: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap of sum/count, resampling persons (each with all their units).

    Amounts are never negative, so neither is either limit. NaN below two persons.
    """
    totals, counts = _arrays(person_totals, person_counts)
    if len(totals) < 2:
        return np.nan, np.nan
    ratios = []
    for size in np.diff(np.r_[0:resamples:100, resamples]):  # bounded memory per batch
        picks = rng.integers(0, len(totals), size=(size, len(totals)))
        ratios.append(totals[picks].sum(axis=1) / counts[picks].sum(axis=1))
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(np.concatenate(ratios), [tail, 100 - tail])
    return float(low), float(high)


def median_interval(sorted_values, persons: int, z: float = Z95) -> tuple[float, float]:
    """Distribution-free interval for a median: the order statistics at ranks n/2 ± z·√n/2,
    each rounded up (Conover, Practical Nonparametric Statistics, 3rd ed. 1999, §3.2).

    With units repeating persons the rank spread uses the number of persons as sample size.
    The limits are observed values, so never below the smallest (non-negative) amount.
    """
    (values,) = _arrays(sorted_values)
    n = len(values)
    if n < 2 or persons < 1:
        return np.nan, np.nan
    spread = n * z / (2 * np.sqrt(persons))
    low = max(int(np.ceil(n / 2 - spread)), 1)
    high = min(int(np.ceil(n / 2 + spread)), n)
    return float(values[low - 1]), float(values[high - 1])


def funnel_limits(target_proportion: float, denominators, confidence: float
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Control limits of a proportion funnel plot around `target_proportion` (0..1).

    Normal approximation p ± z·sqrt(p(1-p)/n), clipped to 0..1; use 0.95 and 0.998.
    """
    (n,) = _arrays(denominators)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)  # the standard library's: no SciPy to load
    p = target_proportion
    with np.errstate(divide="ignore", invalid="ignore"):
        half = np.where(n > 0, z * np.sqrt(p * (1 - p) / n), np.nan)
    return np.clip(p - half, 0, 1), np.clip(p + half, 0, 1)


def round_to_multiple(values, base: int) -> np.ndarray:
    """Round half up to multiples of `base` (CBS practice: counts to 5); NaN stays NaN."""
    (v,) = _arrays(values)
    step = max(base, 1)
    return np.floor(v / step + 0.5) * step
