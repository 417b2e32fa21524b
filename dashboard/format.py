"""Dutch number formats (decimal comma, thousands point) and the labels the screens use."""

from __future__ import annotations

import math

UNIT_SUFFIX = {"percentage": "%", "per_1000": " per 1000", "euro": ""}
STATUS = {  # label, symbol (readable without colour)
    "gehaald": ("gehaald", "✔"),
    "op_koers": ("op koers", "↗"),
    "achter": ("achter", "✖"),
    "geen_data": ("geen data", "?"),
}
REASONS = {
    "klein_aantal": "niet zichtbaar: klein aantal (minder dan de drempel uit het convenant)",
    "secundair": "niet zichtbaar: zou een klein aantal elders verraden (secundaire afscherming)",
}
LEVELS = {"school": "School", "bestuur": "Bestuur", "swv": "Samenwerkingsverband",
          "wijk": "Wijk", "gemeente": "Gemeente"}
DIRECTIONS = {"hoger_beter": "hoger is beter", "lager_beter": "lager is beter",
              "neutraal": "geen richting (duiden in het gesprek)"}


def number(value: float | None, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5'; missing -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def value(amount: float | None, unit: str) -> str:
    """A figure with its unit, as the catalogue says: '12,3%', '1,7 per 1000', '€ 6.731'."""
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return "–"
    if unit == "euro":
        return f"€ {number(amount)}"
    return number(amount, 1) + UNIT_SUFFIX[unit]


def interval(low: float | None, high: float | None, unit: str) -> str:
    if low is None or high is None or any(isinstance(v, float) and math.isnan(v)
                                          for v in (low, high)):
        return ""
    return f"{value(low, unit)} – {value(high, unit)}"


def status(code: str | None) -> str:
    label, symbol = STATUS.get(code or "geen_data", STATUS["geen_data"])
    return f"{symbol} {label}"


def reason(code: str | None) -> str:
    return REASONS.get(code or "", "")
