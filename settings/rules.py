"""What a setting may be: its help text and its allowed range, declared beside its default.

Every field of the settings classes is made with `setting()`, so the help text, the range the
loader checks and the reference page (docs/settings.md) come from one place."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rule:
    """An allowed range: `check` says whether a typed value lies in it; `text` says it in Dutch."""

    text: str
    check: Callable[[Any], bool]


def between(low: float, high: float) -> Rule:
    """A number from `low` up to and including `high`."""
    return Rule(f"van {_number(low)} tot en met {_number(high)}",
                lambda value: low <= value <= high)


def above(low: float, high: float) -> Rule:
    """A number greater than `low`, at most `high`."""
    return Rule(f"groter dan {_number(low)}, hoogstens {_number(high)}",
                lambda value: low < value <= high)


def matches(pattern: str, text: str) -> Rule:
    """Text (or every text of a list) matching the regular expression `pattern` in full."""
    compiled = re.compile(pattern)

    def check(value: Any) -> bool:
        values = value if isinstance(value, tuple) else (value,)
        return all(compiled.fullmatch(item) for item in values)

    return Rule(f"{text} (`{pattern}`)", check)


def one_of_each(keys: tuple[str, ...], values: Rule) -> Rule:
    """A table with exactly the names `keys`, each with a value within `values`."""
    return Rule(f"voor elk van {', '.join(keys)} een getal {values.text}",
                lambda table: isinstance(table, Mapping) and set(table) == set(keys)
                and all(values.check(number) for number in table.values()))


def networks() -> Rule:
    """A list of IP addresses or networks (CIDR)."""
    def check(value: tuple[str, ...]) -> bool:
        try:
            return all(ipaddress.ip_network(item, strict=False) for item in value)
        except ValueError:
            return False

    return Rule("IP-adressen of netwerken (CIDR), bv. 10.0.0.5 of 10.0.0.0/24", check)


ANY_PATH = Rule("elk pad; relatief = vanaf de map van het instellingenbestand", lambda _: True)
YES_NO = Rule("true of false", lambda value: isinstance(value, bool))


def setting(default: Any, help: str, allowed: Rule) -> Any:  # noqa: A002 - the field's help
    """A settings field: its default, its help text and the range the loader checks."""
    metadata = {"help": help, "allowed": allowed}
    if isinstance(default, dict):
        return dataclasses.field(default_factory=lambda: dict(default), metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def default_of(field: dataclasses.Field) -> Any:
    return field.default_factory() if field.default is dataclasses.MISSING else field.default


def _number(value: float) -> str:
    """Dutch: thousands with a point (from 10.000), decimals with a comma."""
    grouping = "," if abs(value) >= 10_000 else ""
    text = f"{value:{grouping}}" if isinstance(value, int) else f"{value:{grouping}.10g}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
