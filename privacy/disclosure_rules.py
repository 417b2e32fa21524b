"""The covenant's disclosure policy ([disclosure] in monitor.toml) and the primary rule."""

from __future__ import annotations

import numpy as np

# The policy is the [disclosure] settings: one definition, one set of defaults and ranges.
from settings import Disclosure as DisclosurePolicy

PRIMARY, SECONDARY = "klein_aantal", "secundair"


class DisclosureError(RuntimeError):
    """Disclosure control could not finish; the run stops and publishes nothing."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"Onthullingsbeheer gestopt: {detail}. Er is niets gepubliceerd.")


def primary_suppressed(counts, policy: DisclosurePolicy) -> np.ndarray:
    """True where a person count is too small to show: below min_count, 0 only if hide_zero."""
    c = np.asarray(counts, dtype=float)
    small = c < policy.min_count
    return np.where(c == 0, small & policy.hide_zero, small)
