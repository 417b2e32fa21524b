"""Every catalogue indicator belongs to a known Overzicht block (catalogue.yaml `blokken`)."""

from __future__ import annotations

import re

import pytest
import yaml

from indicators.catalogue import CATALOGUE_FILE, load_catalogue
from indicators.compute import _catalogue_table


def test_every_catalogue_entry_has_a_known_block() -> None:
    data = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    known = [b["id"] for b in data["blokken"]]
    assert len(set(known)) == len(known)
    missing = [e["id"] for e in data["indicators"] if e.get("blok") not in known]
    assert not missing, f"indicatoren zonder bekend blok: {missing}"
    table = _catalogue_table(load_catalogue()[0])
    # the published catalogue carries the heading and its place; every block is used
    assert set(table["blok_volgorde"]) == set(range(1, len(known) + 1))
    heading = dict(zip(table["indicator_id"], table["blok"], strict=True))
    assert heading["vsv"] == "Onderwijs: schoolloopbaan en startkwalificatie"
    assert heading["thuiszitters"] == "Thuiszitten en verzuim"


@pytest.mark.parametrize("replacement", ["", "    blok: bestaat_niet\n"])
def test_a_missing_or_unknown_block_is_refused_naming_the_entry(tmp_path, replacement) -> None:
    text = CATALOGUE_FILE.read_text(encoding="utf-8")
    broken = re.sub(r"(  - id: vsv\n)    blok: \w+\n", rf"\g<1>{replacement}", text)
    assert broken != text
    path = tmp_path / "catalogue.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ValueError, match=r"'vsv'.*blok"):
        load_catalogue(path)
