"""Data minimisation at the partner (AVG art. 5 lid 1 sub c), before anything leaves it.

The monitor needs a person's age on each peildatum, not the birth date, and the wijk (delivered
as `wijkcode`), not the 6-character postcode: (birth date, postcode) singled out 99,9 % of the
sample's persons without any key. In a file with a `bsn` column the pseudonymiser therefore
replaces `geboortedatum` by `leeftijd` (whole years on the row's own `peildatum`) and leaves out
`postcode`. Every indicator stays the same: the pipeline's ages are ages on these peildata.
A birth date or peildatum that is no date leaves `leeftijd` empty (the pipeline's blocking
check stops the run, naming the row); the rows are reported by number, never by value.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

BIRTH, DAY, AGE = "geboortedatum", "peildatum", "leeftijd"
DROPPED = ("postcode",)
# What a row of personen says about a person besides the pseudonym, before and after.
QUASI_BEFORE = (BIRTH, "geslacht", "postcode", "wijkcode", DAY)
QUASI_AFTER = (AGE, "geslacht", "wijkcode", DAY)
_FORMATS = ("%Y%m%d", "%Y-%m-%d", "%d-%m-%Y")  # the delivery formats (pipelines/sources.yaml)


@lru_cache(maxsize=1 << 16)  # birth dates repeat, peildata are few: parse each text once
def parse_date(text: str) -> dt.date | None:
    for form in _FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    return None


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years on `day` (the birthday itself counts), as the pipeline's age_on macro."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass
class Minimiser:
    """The header and rows of one person file, minimised; `None` from `for_header` when the
    file has nothing to minimise."""

    birth: int | None
    day: int | None
    dropped: tuple[int, ...]

    @classmethod
    def for_header(cls, header: list[str]) -> Minimiser | None:
        lowered = [name.strip().lower() for name in header]
        has_age = BIRTH in lowered and DAY in lowered
        dropped = tuple(i for i, name in enumerate(lowered) if name in DROPPED)
        if not has_age and not dropped:
            return None
        return cls(lowered.index(BIRTH) if has_age else None,
                   lowered.index(DAY) if has_age else None, dropped)

    def header(self, header: list[str]) -> list[str]:
        if self.birth is not None:
            header = [*header[:self.birth], AGE, *header[self.birth + 1:]]
        return [name for i, name in enumerate(header) if i not in self.dropped]

    def row(self, row: list[str]) -> tuple[list[str], bool]:
        """The minimised row, and False when its age could not be computed."""
        ok = True
        if self.birth is not None and max(self.birth, self.day) < len(row):
            born, day = parse_date(row[self.birth]), parse_date(row[self.day])
            ok = born is not None and day is not None
            row = [*row[:self.birth], str(age_on(born, day)) if ok else "",
                   *row[self.birth + 1:]]
        return [value for i, value in enumerate(row) if i not in self.dropped], ok


def unique_share(counts: Counter) -> tuple[int, int]:
    """(rows whose combination no other row has, all rows) from rows per combination: the
    rows in a group of one (k-anonymity's k = 1), which single a person out."""
    return sum(n for n in counts.values() if n == 1), sum(counts.values())
