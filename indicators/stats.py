"""Intervals and control limits for the published figures (vectorised; NaN where undefined)."""

from __future__ import annotations

import numpy as np
from scipy import stats

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


def mean_interval(total, n, sum_of_squares, confidence: float = 0.95
                  ) -> tuple[np.ndarray, np.ndarray]:
    """t interval for a mean known only by its aggregates (sum, count, sum of squares).

    NaN where n < 2: one observation says nothing about the spread.
    """
    s, k, q = _arrays(total, n, sum_of_squares)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = s / k
        variance = np.maximum((q - k * mean * mean) / (k - 1), 0.0)
        half = stats.t.ppf(0.5 + confidence / 2, k - 1) * np.sqrt(variance / k)
    valid = k > 1
    return np.where(valid, mean - half, np.nan), np.where(valid, mean + half, np.nan)


def funnel_limits(target_proportion: float, denominators, confidence: float
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Control limits of a proportion funnel plot around `target_proportion` (0..1).

    Normal approximation p ± z·sqrt(p(1-p)/n), clipped to 0..1; use 0.95 and 0.998.
    """
    (n,) = _arrays(denominators)
    z = stats.norm.ppf(0.5 + confidence / 2)
    p = target_proportion
    with np.errstate(divide="ignore", invalid="ignore"):
        half = np.where(n > 0, z * np.sqrt(p * (1 - p) / n), np.nan)
    return np.clip(p - half, 0, 1), np.clip(p + half, 0, 1)


def round_to_multiple(values, base: int) -> np.ndarray:
    """Round half up to multiples of `base` (CBS practice: counts to 5); NaN stays NaN."""
    (v,) = _arrays(values)
    step = max(base, 1)
    return np.floor(v / step + 0.5) * step
