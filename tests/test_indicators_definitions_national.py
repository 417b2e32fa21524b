"""The definitions partners compare with DUO, CBS and OCW (coverage against DUO's count, the
swv of each sector, hoger onderwijs, thuiszitters over the whole schooljaar, JB/JR as their own
category), each on a tiny hand-built delivery worked out by hand; the rest of the catalogue is
in test_indicators_definitions.py, whose fixtures these share.

Every test names what the previous definition gave for the same delivery: the hand-worked
answer differs from it, so the test fails on the old definition and passes on the new one.
"""

from __future__ import annotations

import pytest

from indicators.catalogue import load_catalogue
from indicators.coverage import hide_low_coverage
from privacy.disclosure_parts import read_parts
from privacy.disclosure_relations import build_system
from settings import Indicators
from tests.delivery import Delivery, cell, pseudonym
from tests.test_indicators_definitions import (
    GM,
    P1,
    P2,
    W1,
    Y1,
    Y2,
    _leavers,
    _pupil,
    _schools,
)

SOORT_GROUPS = ("ho", "niet_ingeschreven_4_17", "niet_ingeschreven_18_22_met_sk",
                "niet_ingeschreven_18_22_zonder_sk")


def _published(con, min_dekking: float = 0.5) -> None:
    """The mart rows as the publish step holds them, then the coverage rule applied."""
    con.execute("CREATE SCHEMA publish")
    for table, pooled in (("indicator_values", False), ("indicator_values_meerjarig", True)):
        con.execute(f"""CREATE TABLE publish.{table} AS SELECT *, false AS suppressed,
            NULL::VARCHAR AS suppression_reason FROM mart.indicator_values
            WHERE meerjarig = {pooled}""")
    hide_low_coverage(con, Indicators(min_dekking=min_dekking))


def test_coverage_is_against_duos_count_of_the_whole_school_and_unknown_without_one() -> None:
    d = Delivery()
    _schools(d)
    # 05EE00 lies in a neighbouring gemeente: the delivery holds only our two residents there,
    # DUO counts 40 pupils. 02BB00 (ours) has no DUO count at all.
    d.school("05EE00", "VO", "VO-24-02", bestuur="41999", gemeente="GM0995")
    for name in ("a", "b"):
        _pupil(d, name, "2008-01-01", school="05EE00", soort="HAVO")
    _pupil(d, "c", "2008-01-01", school="02BB00", soort="HAVO")
    d.care("a", "2021-09-01", "2022-01-01")
    d.count("05EE00", P1, 40)
    d.count("05EE00", P2, 38)
    con = d.run(only=("jeugdhulp_leerlingen", "thuiszitters", "speciaal_onderwijs"))
    # Old: 2 residents of the 2 pupils the delivery holds: coverage 100%.
    outside = cell(con, "jeugdhulp_leerlingen", "school", "05EE00", Y1)
    assert (outside["numerator"], outside["denominator"]) == (1, 2)
    assert outside["coverage"] == pytest.approx(2 / 40)
    assert cell(con, "jeugdhulp_leerlingen", "bestuur", "41999", Y2)["coverage"] \
        == pytest.approx(2 / 38)
    # No DUO count: no coverage (old: 100%), also for the figures on the last school.
    ours = cell(con, "jeugdhulp_leerlingen", "school", "02BB00", Y1)
    assert ours["coverage"] != ours["coverage"]  # NaN
    assert cell(con, "thuiszitters", "school", "05EE00", Y1)["coverage"] == pytest.approx(2 / 40)
    _published(con)
    hidden = dict(con.execute("""SELECT area_code, suppression_reason FROM
        publish.indicator_values WHERE indicator_id = 'jeugdhulp_leerlingen'
        AND level = 'school' AND period = ?""", [Y1]).fetchall())
    assert hidden == {"05EE00": "lage_dekking", "02BB00": "lage_dekking"}
    # A figure on all pupils (not residents only) needs no coverage.
    shown = con.execute("""SELECT count(*) FROM publish.indicator_values WHERE
        indicator_id = 'speciaal_onderwijs' AND level = 'school' AND NOT suppressed""").fetchone()
    assert shown[0] > 0


def test_sbao_and_so_pupils_count_at_the_po_swv_and_vso_pupils_at_the_vo_swv() -> None:
    d = Delivery()
    d.school("01AA00", "BAO", "PO-24-01")
    d.school("02BB00", "VO", "VO-24-02")
    d.school("03CC00", "SO/VSO", "PO-24-01", swv_vo="VO-24-02")
    _pupil(d, "so", "2012-01-01", school="03CC00", soort="SO")
    _pupil(d, "vso", "2007-01-01", school="03CC00", soort="VSO")
    _pupil(d, "havo", "2008-01-01", school="02BB00", soort="HAVO")
    d.care("vso", "2021-09-01", "2022-01-01")
    d.count("03CC00", P1, 2, soort="SO")
    d.count("03CC00", P1, 8, soort="VSO")
    d.count("02BB00", P1, 1)
    con = d.run(only=("jeugdhulp_leerlingen", "jeugdhulp_volgens_plan"))
    # Old: the SO/VSO school's one swv (PO-24-01) held both; the VO-swv only the havo pupil.
    po = cell(con, "jeugdhulp_leerlingen", "swv", "PO-24-01", Y1)
    vo = cell(con, "jeugdhulp_leerlingen", "swv", "VO-24-02", Y1)
    assert (po["numerator"], po["denominator"]) == (0, 1)
    assert (vo["numerator"], vo["denominator"]) == (1, 2)
    # Coverage per swv against DUO's count of that sector: 1 of 2 SO, 2 of 8 VSO + 1.
    assert po["coverage"] == pytest.approx(1 / 2)
    assert vo["coverage"] == pytest.approx(2 / 9)
    # The school itself keeps all its pupils, and belongs to both swv's.
    school = cell(con, "jeugdhulp_leerlingen", "school", "03CC00", Y1)
    assert (school["numerator"], school["denominator"]) == (1, 2)
    assert school["coverage"] == pytest.approx(2 / 10)
    parents = {r[0] for r in con.execute("""SELECT parent_code FROM mart.areas WHERE
        level = 'school' AND area_code = '03CC00' AND parent_level = 'swv'""").fetchall()}
    assert parents == {"PO-24-01", "VO-24-02"}
    # Records and the last school follow the same rule (jeugdhulp records, leerplicht).
    assert cell(con, "jeugdhulp_volgens_plan", "swv", "PO-24-01", Y1) is None
    # Disclosure control sees the school as its two parts (never published), each in its swv:
    # every relation of the model holds on the true figures (old: the whole school in one swv).
    parts = {swv: (float(t), float(n)) for swv, t, n in con.execute("""SELECT swv, numerator,
        denominator FROM mart.school_part_values WHERE indicator_id = 'jeugdhulp_leerlingen'
        AND vestigingscode = '03CC00' AND period = ?""", [Y1]).fetchall()}
    assert parts == {"PO-24-01": (0.0, 1.0), "VO-24-02": (1.0, 1.0)}
    values = con.sql("SELECT * FROM mart.indicator_values").df()
    system = build_system(values, con.sql("SELECT * FROM mart.breakdowns").df(),
                          con.sql("SELECT * FROM mart.areas").df(),
                          {i.id: i for i in load_catalogue()[0]},
                          set(values.loc[values["meerjarig"], "period"]), read_parts(con))
    residual = system.relations @ system.cells["value"].fillna(0.0).to_numpy(float)
    assert system.relations.shape[0] > 0 and abs(residual).max() < 1e-6


def test_a_havo_graduate_in_hbo_is_no_school_leaver_and_niet_ingeschreven_is_split() -> None:
    d = _leavers()
    d.school("94HD00", "HBO", "")
    d.enrol("havo", "94HD00", "HBO", "2022-09-01", "2023-07-31")
    for name, diploma in (("klaar", "MBO-2"), ("rmc", None)):
        d.person(name, "2002-01-01", {P1: W1, P2: W1})
        if diploma:
            d.diploma(name, diploma, "2021-06-01", "04DD00")
    con = d.run(only=("schoolverlaters_startkwalificatie", "rmc_zonder_startkwalificatie",
                      *(f"jeugdhulp_onderwijssoort_{variant}" for variant in SOORT_GROUPS)))
    # Old: the havo graduate who went to hbo was a leaver with a startkwalificatie: 1 of 4.
    value = cell(con, "schoolverlaters_startkwalificatie", "gemeente", GM, Y1)
    assert (value["numerator"], value["denominator"]) == (0, 3)  # vsv, pro, vso
    # On 1 oktober 2022: hbo is its own group; 'niet ingeschreven' (old: one group of 5) split.
    groups = {variant: cell(con, f"jeugdhulp_onderwijssoort_{variant}", "gemeente", GM, Y2)
              for variant in SOORT_GROUPS}
    assert {k: v["denominator"] for k, v in groups.items()} == {
        "ho": 1, "niet_ingeschreven_4_17": 3, "niet_ingeschreven_18_22_met_sk": 1,
        "niet_ingeschreven_18_22_zonder_sk": 1}
    # The hbo student is enrolled: not in the RMC group; the instelling is no published school.
    rmc = cell(con, "rmc_zonder_startkwalificatie", "gemeente", GM, Y2)
    assert (rmc["numerator"], rmc["denominator"]) == (1, 2)
    assert con.execute("SELECT count(*) FROM mart.areas WHERE area_code = '94HD00'"
                       ).fetchone()[0] == 0


def test_thuiszitters_count_every_gap_of_four_weeks_in_the_schooljaar_outside_the_summer(
) -> None:
    d = Delivery()
    _schools(d)
    # name: (first enrolment ends, next one starts, its school and soort)
    careers = {
        "uit": ("2022-11-30", "2023-02-01", "02BB00", "HAVO"),  # 62 days without a school
        "kort": ("2022-11-30", "2022-12-22", "02BB00", "HAVO"),  # three weeks: no verzuim
        "zomer": ("2022-06-15", "2022-08-20", "04DD00", "MBO-2"),  # the summer does not count
        "vrij": ("2022-11-30", "2023-02-01", "02BB00", "HAVO"),  # a vrijstelling covers it
    }
    for name, (end, again, school, soort) in careers.items():
        d.person(name, "2010-01-01", {P1: W1, P2: W1})
        d.enrol(name, "02BB00", "HAVO", "2021-08-01", end)
        d.enrol(name, school, soort, again, "2023-07-31")
    d.report("vrij", "VRIJSTELLING", "2022-11-15", "2023-03-01")
    # 17 on 1 oktober, 18 on 1 November 2022, not enrolled from 1 May 2023: no longer
    # kwalificatieplichtig. The partner delivers only the age on 1 oktober, so the 18th
    # birthday of a 17-year-old is taken as 1 April (stg_personen.sql).
    d.person("achttien", "2004-11-01", {P1: W1, P2: W1})
    d.enrol("achttien", "04DD00", "MBO-1", "2021-08-01", "2023-04-30")
    con = d.run(only=("thuiszitters", "thuiszitters_soort_absoluut", "thuiszitters_duur_kort"))
    # Old: only who was not enrolled on 1 oktober counted: 0 of 5.
    total = cell(con, "thuiszitters", "gemeente", GM, Y2)
    assert (total["numerator"], total["denominator"]) == (1, 5)
    assert cell(con, "thuiszitters_soort_absoluut", "gemeente", GM, Y2)["numerator"] == 1
    # The duration is the gap: 1 December - 31 January = 62 days, under 3 months.
    assert cell(con, "thuiszitters_duur_kort", "gemeente", GM, Y2)["numerator"] == 1
    # The splits are published at gemeente (and regio), not per wijk.
    assert cell(con, "thuiszitters_soort_absoluut", "wijk", W1, Y2) is None
    assert cell(con, "thuiszitters", "wijk", W1, Y2)["numerator"] == 1


def test_jb_and_jr_are_their_own_category_and_count_in_jongeren_met_jeugdzorg_as_at_cbs(
) -> None:
    d = Delivery()
    _schools(d)
    d.person("baby", "2020-01-01", {P1: W1, P2: W1})
    _pupil(d, "a", "2012-01-01")
    _pupil(d, "b", "2012-01-01")
    d.care("a", "2021-09-01", "2022-03-01", hulpvorm="02", categorie="45", verwijzer="02")
    d.care("b", "2021-09-01", "2022-03-01", hulpvorm="02", categorie="48", verwijzer="08")
    con = d.run(only=("jeugdhulp_jongeren", "jeugdhulp_leerlingen"))
    rows = dict(con.execute("""SELECT category, count FROM mart.breakdowns WHERE level =
        'gemeente' AND period = ? AND dimension = 'hulpvorm'""", [Y1]).fetchall())
    # Old: the JB record was hulpvorm 02 (2 records there) and verwijzer 08.
    assert rows == {"02": 1, "JB": 1, "totaal": 2}
    verwijzer = dict(con.execute("""SELECT category, count FROM mart.breakdowns WHERE level =
        'gemeente' AND period = ? AND dimension = 'verwijzer'""", [Y1]).fetchall())
    assert verwijzer == {"02": 1, "JB": 1, "totaal": 2}
    # CBS's wijk figure counts jeugdzorg (JB/JR included): 2 of 3 (old: 1 of 3).
    value = cell(con, "jeugdhulp_jongeren", "wijk", W1, Y1)
    assert (value["numerator"], value["denominator"]) == (2, 3)
    assert cell(con, "jeugdhulp_leerlingen", "gemeente", GM, Y1)["numerator"] == 1


def test_youth_care_of_an_hbo_student_is_placed_at_home_and_at_no_school() -> None:
    d = Delivery()
    _schools(d)
    d.school("94HD00", "HBO", "")
    _pupil(d, "mbo", "2004-01-01", school="04DD00", soort="MBO-2")
    _pupil(d, "hbo", "2003-01-01", school="94HD00", soort="HBO")
    for name in ("mbo", "hbo"):
        d.care(name, "2021-09-01", "2022-06-30", kosten=500.0)
    con = d.built()
    for fact in ("fact_jeugdhulp_jaar", "fact_jeugdhulp_client_jaar"):
        placed = dict(con.execute(f"""SELECT pseudoniem, vestigingscode FROM facts.{fact}
            WHERE schooljaar = ?""", [Y1]).fetchall())
        # At the school on the peildatum, never at an hbo/wo instelling
        # (intermediate.int_school_op_peildatum); at home both count.
        assert placed == {pseudonym("mbo"): "04DD00", pseudonym("hbo"): None}, fact
    costs = cell(con, "jeugdhulp_kosten_per_traject", "gemeente", GM, Y1)
    assert costs["denominator"] == 2
    assert cell(con, "jeugdhulp_kosten_per_traject", "school", "04DD00", Y1)["denominator"] == 1
