"""The national code lists (codelists.yaml): code -> Dutch label, one file for every use."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

CODELISTS_FILE = Path(__file__).resolve().parent / "codelists.yaml"


@cache
def code_lists() -> dict[str, dict[str, str]]:
    """Every list by name: the landing checks take its codes, the breakdowns its labels."""
    return yaml.safe_load(CODELISTS_FILE.read_text(encoding="utf-8"))
