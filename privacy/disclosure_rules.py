"""The covenant's disclosure policy ([disclosure] in monitor.toml) and the primary rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from settings import Disclosure as _Defaults

PRIMARY, SECONDARY = "klein_aantal", "secundair"
LEVELS = ("school", "bestuur", "swv", "wijk", "gemeente", "regio")


class DisclosureError(RuntimeError):
    """Disclosure control could not finish; the run stops and publishes nothing."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"Onthullingsbeheer gestopt: {detail}. Er is niets gepubliceerd.")


@dataclass(frozen=True)
class DisclosurePolicy:
    min_count: int
    hide_zero: bool
    round_to: int
    protection_level: int = _Defaults.protection_level
    lp_budget: int = _Defaults.lp_budget
    milp_max_size: int = _Defaults.milp_max_size
    milp_node_limit: int = _Defaults.milp_node_limit
    loss_weights: Mapping[str, float] | None = None
    multi_year_weight: float = 1.0

    @classmethod
    def from_mapping(cls, settings: Mapping) -> DisclosurePolicy:
        """From the [disclosure] section of monitor.toml; ValueError names the bad key."""
        values = {}
        for key, kind, minimum in (("min_count", int, 0), ("hide_zero", bool, None),
                                   ("round_to", int, 1), ("protection_level", int, 0),
                                   ("lp_budget", int, 0), ("milp_max_size", int, 0),
                                   ("milp_node_limit", int, 1),
                                   ("multi_year_weight", (int, float), 0)):
            if key not in settings:
                raise ValueError(f"[disclosure] {key} ontbreekt in de instellingen.")
            value = settings[key]
            if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
                raise ValueError(f"[disclosure] {key} moet een {_kind(kind)} zijn, "
                                 f"niet {value!r}.")
            if minimum is not None and value < minimum:
                raise ValueError(f"[disclosure] {key} = {value} is kleiner dan {minimum}.")
            values[key] = value
        weights = settings.get("loss_weights")
        if not isinstance(weights, Mapping) or set(weights) != set(LEVELS) or not all(
                isinstance(w, int | float) and not isinstance(w, bool) and w > 0
                for w in weights.values()):
            raise ValueError(f"[disclosure] loss_weights moet voor elk niveau ({', '.join(LEVELS)})"
                             f" een positief getal geven, niet {weights!r}.")
        return cls(**values, loss_weights=dict(weights))


def _kind(kind: type | tuple) -> str:
    return {int: "geheel getal", bool: "waar/onwaar"}.get(kind, "getal")


def primary_suppressed(counts, policy: DisclosurePolicy) -> np.ndarray:
    """True where a person count is too small to show: below min_count, 0 only if hide_zero."""
    c = np.asarray(counts, dtype=float)
    small = c < policy.min_count
    return np.where(c == 0, small & policy.hide_zero, small)
