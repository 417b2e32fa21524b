"""Who may see which areas: the viewer scope every dashboard query and download takes.

The server derives the scope from the request (never from callback inputs). Roles:
- analist: every area, every school by name;
- bestuur:<nummer>: own schools by name; other schools only as anonymous peers ("School A"),
  unless the covenant allows peers by name ([disclosure] peers_by_name); the region, the
  gemeenten, wijken and swv's by name, as references;
- oogo: regio, gemeente, wijk, bestuur (by name) and swv level; schools as anonymous peers.
Only schools and besturen are ever anonymised: the region (all delivering gemeenten together,
see indicators/sql/regio.sql) is named for every role, like the gemeente.
"""

from __future__ import annotations

import hashlib
import hmac
import string
from dataclasses import dataclass

import pandas as pd

ROLES = ("analist", "bestuur", "oogo")
# Figures from which an anonymous peer's size (its pupil count, public in DUO) could be read
# back: the counts, the interval whose width follows from them, the coverage (resident pupils
# over all pupils, which pins a school among those with known pupil counts) and the sizes of
# its breakdowns. Peers show the value only, and on a funnel a size class shared by at least
# k anonymous peers (dashboard/peers.py).
SIZE_REVEALING = ("numerator", "denominator", "numerator_afgerond", "denominator_afgerond",
                  "ci_low", "ci_high", "coverage", "n_personen", "count", "personen", "kosten")
# What the school list says about a school besides its name: for an anonymous peer each of
# these (soort, swv, comparison group with its size word, location, board) narrows the
# schools it can be, so an anonymous peer shows none of them.
SCHOOL_DESCRIPTORS = ("school_soort", "swv", "peer_group", "wijkcode", "lon", "lat", "brin",
                      "bevoegd_gezag", "bevoegd_gezag_naam")


@dataclass(frozen=True)
class Scope:
    role: str
    bestuur: str | None = None
    peers_by_name: bool = False

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"Onbekende rol {self.role!r}.")
        if (self.role == "bestuur") != (self.bestuur is not None):
            raise ValueError("Een bestuursrol hoort bij precies één bevoegd gezag.")

    @classmethod
    def parse(cls, text: str, peers_by_name: bool = False) -> Scope:
        """'analist', 'oogo' or 'bestuur:41676'."""
        role, _, number = text.partition(":")
        return cls(role, number or None, peers_by_name)

    @property
    def key(self) -> str:
        """Part of every cache key: figures for one scope never serve another."""
        return f"{self.role}:{self.bestuur or ''}:{int(self.peers_by_name)}"

    @property
    def label(self) -> str:
        return {"analist": "Analist (alle gebieden)", "oogo": "OOGO-partner",
                "bestuur": f"Bestuur {self.bestuur}"}[self.role]

    def names_schools(self) -> bool:
        return self.role == "analist" or self.peers_by_name

    def names_level(self, level: str) -> bool:
        """Does this viewer see every area of `level` by name? OOGO partners see besturen."""
        return self.names_schools() or (level == "bestuur" and self.role == "oogo")

    def own_school_codes(self, schools: pd.DataFrame) -> set[str]:
        if self.role != "bestuur":
            return set()
        return set(schools.loc[schools["bevoegd_gezag"] == self.bestuur, "vestigingscode"])

    def aliases(self, schools: pd.DataFrame, salt: bytes) -> dict[tuple[str, str], str]:
        """(level, code) -> what this viewer may see: the name, or an anonymous label.

        Only schools and besturen are ever anonymised; own ones always keep their name. The
        letters follow a secret order (HMAC of the code with `salt`, which the server derives
        from its secret and the published run), so neither the sorted codes nor the names
        betray which school is "School A"; a new run gives a new order.
        """
        result: dict[tuple[str, str], str] = {}
        own = self.own_school_codes(schools)
        boards = schools.drop_duplicates("bevoegd_gezag")
        for level, codes, names, mine, word in (
                ("school", schools["vestigingscode"], schools["naam"],
                 lambda c: c in own, "School"),
                ("bestuur", boards["bevoegd_gezag"], boards["bevoegd_gezag_naam"],
                 lambda c: c == self.bestuur, "Bestuur")):
            others = []
            for code, name in zip(codes, names, strict=True):
                if self.names_level(level) or mine(code):
                    result[(level, code)] = name
                else:
                    others.append(code)
            secret_order = sorted(others, key=lambda c, lv=level: _keyed(salt, lv, c))
            for index, code in enumerate(secret_order):
                result[(level, code)] = f"{word} {_letters(index)}"
        return result

    def mask(self, frame: pd.DataFrame, schools: pd.DataFrame, salt: bytes,
             code_column: str = "area_code", name_column: str = "area_name",
             level: str | None = None) -> pd.DataFrame:
        """Rows about schools/besturen the viewer may not name: anonymous label, no code,
        no counts or interval (SIZE_REVEALING).

        `level` fixes the level of every row; otherwise the frame's `level` column says it.
        """
        if self.names_schools() or frame.empty:
            return frame
        aliases = self.aliases(schools, salt)
        frame = frame.copy()
        levels = pd.Series(level, index=frame.index) if level else frame["level"]
        keys = list(zip(levels, frame[code_column], strict=True))
        own = {("school", c) for c in self.own_school_codes(schools)} | {("bestuur", self.bestuur)}
        anonymous = [k in aliases and k not in own and not self.names_level(k[0]) for k in keys]
        frame[name_column] = [aliases.get(k, n)
                              for k, n in zip(keys, frame[name_column], strict=True)]
        frame.loc[anonymous, code_column] = frame.loc[anonymous, name_column]
        for column in SIZE_REVEALING:
            if column in frame.columns:
                frame[column] = frame[column].astype("float64")
                frame.loc[anonymous, column] = float("nan")
        return frame

    def may_open_school(self, code: str, schools: pd.DataFrame) -> bool:
        return self.names_schools() or code in self.own_school_codes(schools)


def _keyed(salt: bytes, level: str, code: str) -> str:
    return hmac.new(salt, f"{level}:{code}".encode(), hashlib.sha256).hexdigest()


def _letters(index: int) -> str:
    letters = string.ascii_uppercase
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]



# A real vestigingscode (BRIN: two digits, two letters; two digits of the location). A row about
# a school the viewer may not name carries its alias ("School A") in the code column instead.
VESTIGINGSCODE = r"\d{2}[A-Z]{2}\d{2}"


def named_schools(codes: pd.Series) -> pd.Series:
    """True where a (masked) code column shows a real school, False for anonymous peers."""
    return codes.astype("string").str.fullmatch(VESTIGINGSCODE).fillna(False).astype(bool)
