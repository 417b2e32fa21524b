"""CSV writers that reproduce each partner's delivery format, appending chunk by chunk."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import pandas as pd
import yaml

DELIVERIES = Path(__file__).resolve().parent / "deliveries.yaml"
PLAIN = {"encoding": "utf-8", "delimiter": ",", "date_format": "%Y-%m-%d", "decimal": ".",
         "newline": "\n"}


def load_dialects(plain: bool) -> dict[str, dict]:
    dialects = yaml.safe_load(DELIVERIES.read_text(encoding="utf-8"))
    return {name: dict(PLAIN) for name in dialects} if plain else dialects


class DeliveryWriter:
    """One source file; the header is written with the first chunk."""

    def __init__(self, path: Path, dialect: dict) -> None:
        self.path = path
        self.dialect = dialect
        self.rows = 0
        self._handle: TextIO | None = None

    def write(self, frame: pd.DataFrame) -> None:
        d = self.dialect
        out = frame.copy()
        for column in out.columns:
            values = out[column]
            if pd.api.types.is_datetime64_any_dtype(values):
                out[column] = values.dt.strftime(d["date_format"]).fillna("")
            elif pd.api.types.is_float_dtype(values):
                digits = 2 if column == "kosten" else 6
                text = values.map(lambda v, n=digits: "" if pd.isna(v) else f"{v:.{n}f}")
                out[column] = text.str.replace(".", d["decimal"], regex=False)
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("w", encoding=d["encoding"], newline="")
            header = True
        else:
            header = False
        out.to_csv(self._handle, sep=d["delimiter"], index=False, header=header,
                   lineterminator=d["newline"])
        self.rows += len(out)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
