"""BSN checks (elfproef) shared by the pseudonymiser and the pipeline's leak checks."""

from __future__ import annotations

UNKNOWN_BSNS = frozenset({"999999999", "000000000"})  # BIJ: onbekend, ongeboren
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def normalise_bsn(value: str) -> str:
    """Strip spaces/dots and restore a leading zero that Excel dropped (8 digits -> 9)."""
    digits = value.strip().replace(" ", "").replace(".", "")
    return digits.zfill(9) if len(digits) == 8 and digits.isascii() and digits.isdigit() \
        else digits


def is_valid_bsn(value: str) -> bool:
    """True when `value` is nine digits (0-9) that pass the elfproef (11-test)."""
    if len(value) != 9 or not (value.isascii() and value.isdigit()):
        return False
    return sum(int(d) * w for d, w in zip(value, _WEIGHTS, strict=True)) % 11 == 0
