"""Cells a spreadsheet will not run: OWASP's defence against CSV (formula) injection.

Every file people open in Excel or LibreOffice goes through `neutralise`: the downloads
(CSV and .xlsx) and the CSV files of the notes backup. A text cell that starts with `=`, `+`,
`-`, `@`, a tab or a carriage return gets a leading apostrophe, so it is shown as text.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> object:
    """A text cell starting like a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell
