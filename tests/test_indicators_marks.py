"""Time marks: the first schooljaar is onvolledig when the youth-care delivery lacks the records
already running at its start, the latest schooljaar is voorlopig (published as period_marks)."""

from __future__ import annotations

from indicators.marks import period_marks
from tests.delivery import Delivery

P1, P2 = "2021-10-01", "2022-10-01"
YOUTH_CARE = ("jeugdhulp_verblijf", "jeugdhulp_leerlingen")


def _delivery(first_record: str) -> Delivery:
    d = Delivery()
    d.school("01AA00", "BAO", "PO-24-01")
    for name in ("a", "b"):
        d.person(name, "2012-01-01", {P1: "WK003401", P2: "WK003401"})
        d.enrol(name, "01AA00", "BAO", "2021-08-01")
    d.care("a", first_record, None, hulpvorm="11", categorie="44")  # verblijf, still running
    d.care("b", "2021-09-01", "2022-03-01")
    return d


def _marks(d: Delivery) -> set[tuple[str, str, str]]:
    frame = period_marks(d.built(), YOUTH_CARE)
    assert set(frame["toelichting"].str.split(":").str[0]) <= {"Onvolledig", "Voorlopig"}
    return set(zip(frame["indicator_id"], frame["period"], frame["mark"], strict=True))


def test_the_first_schooljaar_is_onvolledig_when_records_running_at_its_start_are_missing(
        ) -> None:
    # The delivery starts in 2020: nothing running on 1 August 2021 began before August 2020.
    truncated = _marks(_delivery("2020-09-01"))
    assert {(i, "2021-2022", "onvolledig") for i in YOUTH_CARE} <= truncated
    # A verblijf running since 2018 is delivered: the extract holds the running records.
    complete = _marks(_delivery("2018-05-01"))
    assert not {m for m in complete if m[2] == "onvolledig"}


def test_the_latest_schooljaar_is_voorlopig() -> None:
    marks = _marks(_delivery("2018-05-01"))
    assert marks == {(i, "2022-2023", "voorlopig") for i in YOUTH_CARE}
