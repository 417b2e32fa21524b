"""The covenant's disclosure policy ([disclosure] in monitor.toml) and the primary rule."""

from __future__ import annotations

import numpy as np

# The policy is the [disclosure] settings: one definition, one set of defaults and ranges.
from settings import Disclosure as DisclosurePolicy

# The one marker every disclosure-hidden figure carries, whatever hid it: a reason that told a
# small count from a secondary suppression would tell the attacker which side of min_count each
# hidden count lies on (so no count of either is published either, not even per level).
HIDDEN_REASON = "afgeschermd"


class DisclosureError(RuntimeError):
    """Disclosure control could not finish; the run stops and publishes nothing."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"Onthullingsbeheer gestopt: {detail}. Er is niets gepubliceerd.")


def dominated(total, largest, second, p: float) -> np.ndarray:
    """The p% rule for a sum of non-negative contributions (Hundepool et al., Statistical
    Disclosure Control, 2012, §4.2.2; tau-ARGUS): unsafe when the second-largest contributor,
    subtracting its own share from the published sum, learns the largest within p percent,
    i.e. total - largest - second < p/100 * largest. Rows without contributions are safe."""
    total, largest, second = (np.asarray(a, dtype=float) for a in (total, largest, second))
    rest = total - largest - np.nan_to_num(second)
    return (rest < p / 100 * largest) & (largest > 0) & (p > 0)


def primary_suppressed(counts, policy: DisclosurePolicy) -> np.ndarray:
    """True where a person count is too small to show: below min_count, 0 only if hide_zero."""
    c = np.asarray(counts, dtype=float)
    small = c < policy.min_count
    return np.where(c == 0, small & policy.hide_zero, small)
