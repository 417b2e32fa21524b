"""CSV writers that reproduce each partner's delivery format, appending chunk by chunk."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple, TextIO

import pandas as pd
import yaml

DELIVERIES = Path(__file__).resolve().parent / "deliveries.yaml"
PLAIN = {"encoding": "utf-8", "delimiter": ",", "date_format": "%Y-%m-%d", "decimal": ".",
         "newline": "\n"}


def load_dialects(plain: bool) -> dict[str, dict]:
    dialects = yaml.safe_load(DELIVERIES.read_text(encoding="utf-8"))
    return {name: dict(PLAIN) for name in dialects} if plain else dialects


class Rendered(NamedTuple):
    """Rows of one file as text: the header (written once) and the body."""

    header: str
    body: str
    rows: int


class DeliveryWriter:
    """One source file; the header is written with the first chunk."""

    def __init__(self, path: Path, dialect: dict) -> None:
        self.path = path
        self.dialect = dialect
        self.rows = 0
        self._handle: TextIO | None = None

    def render(self, frame: pd.DataFrame) -> Rendered:
        """The rows as this file's text (the header apart): pure, so it can run elsewhere."""
        d = self.dialect
        out = frame.copy()
        for column in out.columns:
            values = out[column]
            if pd.api.types.is_datetime64_any_dtype(values):
                out[column] = values.dt.strftime(d["date_format"]).fillna("")
            elif pd.api.types.is_float_dtype(values):
                digits = 2 if column == "kosten" else 6
                # A list, not .map: a chunk without rows for one gemeente stays text too.
                out[column] = pd.Series(
                    ["" if pd.isna(v) else f"{v:.{digits}f}".replace(".", d["decimal"])
                     for v in values], index=values.index, dtype=object)
        header, body = (out.head(0).to_csv(sep=d["delimiter"], index=False, header=True,
                                           lineterminator=d["newline"]),
                        out.to_csv(sep=d["delimiter"], index=False, header=False,
                                   lineterminator=d["newline"]))
        return Rendered(header, body, len(out))

    def append(self, rendered: Rendered) -> None:
        """Write rendered rows; the header with the first."""
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("w", encoding=self.dialect["encoding"], newline="")
            self._handle.write(rendered.header)
        self._handle.write(rendered.body)
        self.rows += rendered.rows

    def write(self, frame: pd.DataFrame) -> None:
        self.append(self.render(frame))

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


class Deliveries:
    """All extracts of a sample. Residents' sources (personen, jeugdhulp) come
    from each gemeente: `<bron>_<GMxxxx>.csv` for a region, `<bron>.csv` for one gemeente.
    The schools' sources (inschrijvingen, diplomas, verzuim) are one file for the region."""

    PER_GEMEENTE = ("personen", "jeugdhulp")
    SHARED = ("inschrijvingen", "diplomas", "verzuim")

    def __init__(self, out: Path, codes: list[str], plain: bool) -> None:
        self.dialects = load_dialects(plain)
        self.codes = codes
        self.writers: dict[tuple[str, str], DeliveryWriter] = {}
        for name in self.PER_GEMEENTE:
            for code in codes:
                file = f"{name}.csv" if len(codes) == 1 else f"{name}_{code}.csv"
                self.writers[name, code] = DeliveryWriter(out / file, self.dialects[name])
        for name in self.SHARED:
            self.writers[name, ""] = DeliveryWriter(out / f"{name}.csv", self.dialects[name])

    def render(self, name: str, frame: pd.DataFrame) -> list[tuple[tuple[str, str], Rendered]]:
        """Rows as text per file; a per-gemeente source is split on its `gemeentecode` column
        (which stays only in personen, where it belongs to the layout)."""
        if name in self.SHARED:
            return [((name, ""), self.writers[name, ""].render(frame))]
        by_code = dict(tuple(frame.groupby("gemeentecode", sort=False)))
        parts = {code: by_code.get(code, frame.iloc[:0]) for code in self.codes}
        return [((name, code), self.writers[name, code].render(
                    part if name == "personen" else part.drop(columns="gemeentecode")))
                for code, part in parts.items()]

    def append(self, rendered: list[tuple[tuple[str, str], Rendered]]) -> None:
        for key, rows in rendered:
            self.writers[key].append(rows)

    def write(self, name: str, frame: pd.DataFrame) -> None:
        self.append(self.render(name, frame))

    def close(self) -> list[tuple[str, int]]:
        """Close every file; (file name, rows) per file."""
        for writer in self.writers.values():
            writer.close()
        return [(w.path.name, w.rows) for w in self.writers.values()]
