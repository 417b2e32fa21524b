"""The one place for Dutch formats and labels: numbers, units, levels, statuses, reasons, dates.

Every screen, chart and download formats through here, so "8.000" and "12,3%" look the same
everywhere and a new unit or level is added in one spot.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from urllib.parse import urlencode

import pandas as pd

UNIT_SUFFIX = {"percentage": "%", "per_1000": " per 1000", "euro": ""}
UNIT_LABEL = {"percentage": "%", "per_1000": "per 1000", "euro": "euro"}
# A rate's value is a proportion times this factor (funnel plots need the proportion).
UNIT_FACTOR = {"percentage": 100.0, "per_1000": 1000.0}
# Decimals of a value in a download (numbers, not text): cents are noise in a mean cost.
DECIMALS = {"percentage": 2, "per_1000": 2, "euro": 0}
# Plotly d3-formats; with the layout's separators ",." they print "8.000" and "12,3".
AXIS_FORMAT = ",~f"
HOVER_FORMAT = {"percentage": ",.1f", "per_1000": ",.1f", "euro": ",.0f"}
STATUS = {  # label, symbol (readable without colour)
    "basis": ("basis", "●"),  # the base year of a target: where the line starts
    "gehaald": ("gehaald", "✔"),
    "op_koers": ("op koers", "↗"),
    "binnen_marge": ("binnen de marge", "≈"),
    "achter": ("achter", "✖"),
    "geen_data": ("geen data", "?"),
}
HIDDEN = "afgeschermd"  # the one short marker in a hidden cell; the table's footnote says why
OTHER = "overig/afgeschermd"  # hidden categories of a breakdown, taken together
# Disclosure control gives every hidden figure one marker (privacy.disclosure_rules); frozen
# meeting figures from before carry the old two, printed alike so they tell no more.
_DISCLOSURE = ("afgeschermd om kleine aantallen te beschermen (het aantal zelf of een aantal "
               "waaruit een klein aantal elders volgt)")
REASONS = {
    "afgeschermd": _DISCLOSURE, "klein_aantal": _DISCLOSURE, "secundair": _DISCLOSURE,
    "lage_dekking": "te weinig leerlingen van deze school wonen in de gemeente (lage dekking "
                    "van de jeugdhulpgegevens)",
}
LEVELS = {"school": "School", "bestuur": "Bestuur", "swv": "Samenwerkingsverband",
          "wijk": "Wijk", "gemeente": "Gemeente", "regio": "Regio"}
AREA_LEVELS = ("school", "bestuur", "swv", "wijk")  # levels with many areas (funnels, bars)
SOORTEN = {"BAO": "basisonderwijs", "SBAO": "speciaal basisonderwijs",
           "SO": "speciaal onderwijs", "SO/VSO": "(voortgezet) speciaal onderwijs",
           "VSO": "voortgezet speciaal onderwijs", "VO": "voortgezet onderwijs",
           "PRO": "praktijkonderwijs", "MBO": "middelbaar beroepsonderwijs"}
DIRECTIONS = {"hoger_beter": "hoger is beter", "lager_beter": "lager is beter",
              "neutraal": "geen richting (duiden in het gesprek)"}
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


def missing(amount: object) -> bool:
    return amount is None or amount is pd.NA or (isinstance(amount, float) and math.isnan(amount))


def number(amount: float | None, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5'; missing -> '–'."""
    if missing(amount):
        return "–"
    text = f"{amount:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def plural(count: int, one: str, many: str) -> str:
    """'1 gebied', '14 gebieden': never '1 gebieden'."""
    return f"{number(count)} {one if count == 1 else many}"


def value(amount: float | None, unit: str) -> str:
    """A figure with its unit, as the catalogue says: '12,3%', '1,7 per 1000', '€ 6.731'."""
    if missing(amount):
        return "–"
    if unit == "euro":
        return f"€ {number(amount)}"
    return number(amount, 1) + UNIT_SUFFIX[unit]


def interval(low: float | None, high: float | None, unit: str) -> str:
    if missing(low) or missing(high):
        return ""
    return f"{value(low, unit)} – {value(high, unit)}"


def unit_label(unit: str) -> str:
    return UNIT_LABEL.get(unit, unit.replace("_", " "))


def hover(unit: str, axis: str = "y") -> str:
    """A Plotly hover fragment for a value on `axis` in Dutch format with its unit."""
    fragment = "%{" + axis + ":" + HOVER_FORMAT.get(unit, ",.1f") + "}"
    return f"€ {fragment}" if unit == "euro" else fragment + UNIT_SUFFIX.get(unit, "")


def status(code: str | None) -> str:
    label, symbol = STATUS.get(code or "geen_data", STATUS["geen_data"])
    return f"{symbol} {label}"


def reason(code: str | None) -> str:
    """Why a value is hidden, in a full sentence (for footnotes and notes)."""
    return f"niet zichtbaar: {REASONS[code]}" if code in REASONS else ""


def cell(amount: float | None, unit: str, hidden: bool) -> str:
    """A table cell: the value, or the short marker the table's footnote explains."""
    return HIDDEN if hidden else value(amount, unit)


def footnote(reasons: pd.Series) -> str:
    """One footnote per table: what the marker means, for the reasons that occur in it."""
    texts = list(dict.fromkeys(REASONS[c] for c in reasons.dropna() if c in REASONS))
    if not texts:
        return ""
    return f"{HIDDEN}: niet zichtbaar wegens " + "; of ".join(texts) + "."


def date(moment: object) -> str:
    """'2025-10-01' or a timestamp -> '1 oktober 2025' (with the time when it has one)."""
    if missing(moment) or moment == "":
        return "–"
    stamp = pd.Timestamp(moment)
    text = f"{stamp.day} {MONTHS[stamp.month - 1]} {stamp.year}"
    has_time = isinstance(moment, dt.datetime) or (isinstance(moment, str) and ":" in moment)
    return f"{text}, {stamp:%H:%M}" if has_time else text


def school_label(name: str, code: str) -> str:
    """A school as people can tell it apart: name plus vestigingscode (anonymous: the name)."""
    return name if not code or code == name else f"{name} ({code})"


# Markdown table cells: every character that could start markup is escaped, so a name from a
# landing file ("[klik](https://…)", "**", "<b>") is shown as the text it is, never as a link.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


def markdown_text(text: object) -> str:
    """`text` for a markdown cell, shown literally."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def markdown_link(text: object, path: str, **query: str) -> str:
    """A markdown link to a page of this dashboard; the text shown literally."""
    return f"[{markdown_text(text)}]({path}?{urlencode(query)})"


def area_labels(frame: pd.DataFrame) -> list[str]:
    """Labels for the rows of a values frame: schools carry their vestigingscode."""
    return [school_label(n, c) if level == "school" else n for n, c, level in
            zip(frame["area_name"], frame["area_code"], frame["level"], strict=True)]
