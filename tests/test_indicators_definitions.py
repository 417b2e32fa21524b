"""Each indicator definition on a tiny hand-built delivery, worked out by hand.

Every test names what the previous definition gave for the same delivery: the hand-worked
answer differs from it, so the test fails on the old definition and passes on the new one.
"""

from __future__ import annotations

import pytest

from tests.delivery import Delivery, cell

Y1, Y2 = "2021-2022", "2022-2023"
P1, P2, P3 = "2021-10-01", "2022-10-01", "2023-10-01"
W1, W2 = "WK003401", "WK003402"
GM = "GM0034"


def _schools(d: Delivery) -> None:
    d.school("01AA00", "BAO", "PO-24-01")
    d.school("02BB00", "VO", "VO-24-02")
    d.school("03CC00", "SO/VSO", "PO-24-01")
    d.school("04DD00", "MBO", "")


def _pupil(d: Delivery, name: str, born: str, school: str = "01AA00", soort: str = "BAO",
           wijk: str = W1, until: str = "2023-07-31") -> None:
    d.person(name, born, {P1: wijk, P2: wijk})
    d.enrol(name, school, soort, "2021-08-01", until)


def test_jeugdhulp_leaves_out_jeugdbescherming_which_gets_its_own_indicator() -> None:
    d = Delivery()
    _schools(d)
    _pupil(d, "a", "2012-01-01")
    _pupil(d, "b", "2012-01-01")
    d.care("a", "2021-09-01", "2022-03-01", categorie="45")
    d.care("b", "2021-09-01", "2022-03-01", categorie="48", verwijzer="04")
    con = d.built()
    # Old definition: every record counts, so 2 of 2 pupils = 100%.
    assert cell(con, "jeugdhulp_leerlingen", "gemeente", GM, Y1)["value"] == pytest.approx(50)
    assert cell(con, "jeugdbescherming_leerlingen", "gemeente", GM, Y1)["value"] \
        == pytest.approx(50)


def test_verblijf_is_per_1000_pupils_at_the_home_before_the_first_verblijf() -> None:
    d = Delivery()
    _schools(d)
    # a lived in W1, went into a foster home in W2 in March 2022; b lives in W2.
    d.person("a", "2012-01-01", {P1: W1, P2: W2})
    d.enrol("a", "01AA00", "BAO", "2021-08-01")
    _pupil(d, "b", "2012-01-01", wijk=W2)
    d.care("a", "2022-03-01", None, hulpvorm="11", categorie="44")
    con = d.built()
    # Old: placed at the 1 oktober address W2, as a share of youth-care users (100%).
    w1 = cell(con, "jeugdhulp_verblijf", "wijk", W1, Y2)
    assert (w1["numerator"], w1["denominator"], w1["value"]) == (1, 1, pytest.approx(1000))
    w2 = cell(con, "jeugdhulp_verblijf", "wijk", W2, Y2)
    assert (w2["numerator"], w2["denominator"]) == (0, 1)
    assert cell(con, "jeugdhulp_verblijf", "gemeente", GM, Y2)["value"] == pytest.approx(500)
    assert cell(con, "jeugdhulp_verblijf_aandeel", "gemeente", GM, Y2)["value"] \
        == pytest.approx(100)


def test_costs_are_per_client_and_spread_over_the_schooljaren_by_days() -> None:
    d = Delivery()
    _schools(d)
    _pupil(d, "a", "2012-01-01")
    _pupil(d, "b", "2012-01-01")
    # 730 days, 7300 euro: 3650 in each schooljaar. b: open from 1 August 2022, 365 euro
    # declared up to the end of the delivered data (31 July 2023, the last uitschrijving).
    d.care("a", "2021-08-01", "2023-07-31", kosten=7300.0)
    d.care("b", "2022-08-01", None, kosten=365.0)
    con = d.built()
    # Old: records started in 2022-2023 only (b): 365 euro per traject.
    mean = cell(con, "jeugdhulp_kosten_per_traject", "gemeente", GM, Y2)
    assert mean["value"] == pytest.approx((3650 + 365) / 2)
    assert mean["denominator"] == 2
    assert cell(con, "jeugdhulp_kosten_per_traject", "gemeente", GM, Y1)["value"] \
        == pytest.approx(3650)
    median = cell(con, "jeugdhulp_kosten_mediaan", "gemeente", GM, Y2)
    assert median["value"] == pytest.approx((3650 + 365) / 2)
    assert mean["ci_low"] >= 0 and median["ci_low"] >= 0


def test_dyslexia_counts_bao_and_sbao_pupils_aged_7_to_12_and_new_starts() -> None:
    d = Delivery()
    _schools(d)
    _pupil(d, "a", "2013-05-01")  # 8 on 1 oktober 2021, dyslexia care
    _pupil(d, "b", "2012-05-01")  # 9, none
    _pupil(d, "c", "2016-05-01")  # 5: outside the regulation
    _pupil(d, "s", "2011-05-01", school="03CC00", soort="SO")  # SO: outside
    d.care("a", "2021-11-01", "2022-06-01", code="54D01", categorie="54")
    con = d.built()
    # Old: all PO pupils in the denominator: 1 of 4 = 25%.
    assert cell(con, "dyslexiezorg_po", "gemeente", GM, Y1)["value"] == pytest.approx(50)
    assert cell(con, "dyslexiezorg_nieuw", "gemeente", GM, Y1)["value"] == pytest.approx(500)
    assert cell(con, "dyslexiezorg_nieuw", "gemeente", GM, Y2)["value"] == pytest.approx(0)


def test_dyslexia_diagnostiek_then_behandeling_is_one_new_start() -> None:
    d = Delivery()
    _schools(d)
    _pupil(d, "a", "2013-05-01")  # 8 on 1 oktober 2021
    _pupil(d, "b", "2013-05-01")
    # Diagnostiek in spring 2022, behandeling as a record of its own from September 2022.
    d.care("a", "2022-03-01", "2022-05-15", code="54D01", categorie="54")
    d.care("a", "2022-09-01", "2023-06-30", code="54D02", categorie="54")
    con = d.built()
    assert cell(con, "dyslexiezorg_nieuw", "gemeente", GM, Y1)["value"] == pytest.approx(500)
    # Old: the behandeling record started in 2022-2023 too, so a counted a second time.
    assert cell(con, "dyslexiezorg_nieuw", "gemeente", GM, Y2)["value"] == pytest.approx(0)
    # Still in dyslexia care in both years.
    assert cell(con, "dyslexiezorg_po", "gemeente", GM, Y2)["value"] == pytest.approx(50)


def test_verwijzing_huisarts_leaves_out_records_without_verwijzer() -> None:
    d = Delivery()
    _schools(d)
    for name, verwijzer in (("a", "02"), ("b", "01"), ("c", "06"), ("e", "06")):
        _pupil(d, name, "2012-01-01")
        d.care(name, "2021-09-01", "2022-01-01", verwijzer=verwijzer)
    con = d.built()
    # Old: 06 in the denominator: 1 of 4 = 25%.
    assert cell(con, "verwijzing_huisarts", "gemeente", GM, Y1)["value"] == pytest.approx(50)


def test_thuiszitters_are_absoluut_and_langdurig_relatief_verzuimers_among_leerplichtigen(
) -> None:
    d = Delivery()
    _schools(d)
    d.person("abs", "2012-01-01", {P1: W1, P2: W1})  # 10, never enrolled: absoluut
    d.person("vrij", "2010-01-01", {P1: W1, P2: W1})  # not enrolled, vrijstelling
    d.report("vrij", "VRIJSTELLING", "2020-01-01")
    _pupil(d, "lang", "2008-01-01", school="02BB00", soort="HAVO")  # 14
    # Reported in the previous schooljaar, the episode runs on to December 2022.
    d.report("lang", "LANGDURIG_RELATIEF", "2022-05-01", "2022-12-01", school="02BB00",
             thuiszitter="J")
    _pupil(d, "gewoon", "2014-01-01")
    d.person("oud", "2003-01-01", {P1: W1, P2: W1})  # 19: not leerplichtig
    con = d.built()
    # Old: thuiszitter reports made in 2022-2023 per 1000 enrolled pupils: 0.
    total = cell(con, "thuiszitters", "gemeente", GM, Y2)
    assert (total["numerator"], total["denominator"]) == (2, 4)
    assert cell(con, "thuiszitters_soort_absoluut", "gemeente", GM, Y2)["numerator"] == 1
    assert cell(con, "thuiszitters_soort_langdurig_relatief", "gemeente", GM, Y2)[
        "numerator"] == 1
    # lang: 1 May - 1 December 2022 = 215 days; abs: 1 oktober 2022 - 31 July 2023 = 304.
    assert cell(con, "thuiszitters_duur_lang", "gemeente", GM, Y2)["numerator"] == 2
    assert cell(con, "thuiszitters_duur_kort", "gemeente", GM, Y2)["numerator"] == 0


def test_relatief_verzuim_counts_5_to_17_year_olds_at_the_school_that_reported() -> None:
    d = Delivery()
    _schools(d)
    d.school("05EE00", "BAO", "PO-24-01")
    _pupil(d, "a", "2010-01-01")  # 11, moves to 05EE00 and is reported there
    d.enrol("a", "05EE00", "BAO", "2022-01-10", "2023-07-31")
    d.report("a", "RELATIEF_16U", "2022-03-01", "2022-04-01", school="05EE00")
    _pupil(d, "b", "2003-01-01")  # 18, reported by 01AA00: outside 5-17
    d.report("b", "RELATIEF_16U", "2022-03-01", "2022-04-01", school="01AA00")
    _pupil(d, "c", "2010-01-01")
    con = d.built()
    # Old: 01AA00 had 2 reported pupils of 3; now a counts at the reporting school.
    assert cell(con, "verzuim_relatief", "school", "05EE00", Y1)["numerator"] == 1
    school = cell(con, "verzuim_relatief", "school", "01AA00", Y1)
    assert (school["numerator"], school["denominator"]) == (0, 1)


def _leavers() -> Delivery:
    d = Delivery()
    _schools(d)
    for name in ("vsv", "weg", "pro", "vso", "blijft", "havo"):
        homes = {P1: W1} if name == "weg" else {P1: W1, P2: W1}
        d.person(name, "2005-03-01", homes)
    d.enrol("vsv", "02BB00", "VMBO-B", "2021-08-01", "2022-05-01")
    d.enrol("weg", "02BB00", "VMBO-B", "2021-08-01", "2022-05-01")  # moved away
    d.enrol("pro", "02BB00", "PRO", "2021-08-01", "2022-05-01")
    d.enrol("vso", "03CC00", "VSO", "2021-08-01", "2022-05-01")
    d.enrol("blijft", "02BB00", "HAVO", "2021-08-01", "2023-07-31")
    d.enrol("havo", "02BB00", "HAVO", "2021-08-01", "2022-07-31")
    d.diploma("havo", "HAVO", "2022-07-01", "02BB00")
    return d


def test_vsv_follows_duo_and_movers_count_where_their_next_enrolment_is_delivered() -> None:
    d = _leavers()
    # Moved away too, but enrolled on 1 oktober 2022 at a school in the delivery.
    d.person("verhuisd", "2005-03-01", {P1: W1})
    d.enrol("verhuisd", "02BB00", "VMBO-B", "2021-08-01", "2023-07-31")
    con = d.built()
    # Older: vo incl. pro, leavers who moved counted: vsv, weg, pro of 5 = 60%. Old: 'weg'
    # (moved, no enrolment delivered: emigrated or not?) in the denominator: 1 of 5.
    value = cell(con, "vsv", "gemeente", GM, Y1)
    # vsv of vsv, verhuisd, blijft, havo
    assert (value["numerator"], value["denominator"]) == (1, 4)


def test_vsv_is_unknown_until_the_enrolment_delivery_reaches_the_next_1_oktober() -> None:
    d = _leavers()
    d.rows["inschrijvingen"] = [r for r in d.rows["inschrijvingen"]
                                if r["datum_inschrijving"].year == 2021]
    for row in d.rows["inschrijvingen"]:
        row["datum_uitschrijving"] = min(row["datum_uitschrijving"], row["datum_uitschrijving"]
                                         .replace(year=2022, month=7, day=31))
    d.care("vsv", "2022-11-01", "2023-01-01")  # youth care runs past 1 oktober 2022
    con = d.built()
    # Old: known because another source reaches 1 oktober 2022.
    assert cell(con, "vsv", "gemeente", GM, Y1) is None


def test_schoolverlaters_startkwalificatie_is_the_share_of_leavers_with_one() -> None:
    con = _leavers().built()
    value = cell(con, "schoolverlaters_startkwalificatie", "gemeente", GM, Y1)
    # Leavers still living here: vsv, pro, vso, havo; only havo has a startkwalificatie.
    assert (value["numerator"], value["denominator"]) == (1, 4)


def test_speciaal_onderwijs_counts_vso_at_the_vo_swv_of_the_home_address() -> None:
    d = Delivery()
    _schools(d)
    _pupil(d, "bao", "2014-01-01")
    _pupil(d, "vo", "2008-01-01", school="02BB00", soort="HAVO")
    _pupil(d, "vso", "2008-01-01", school="03CC00", soort="VSO")
    con = d.built()
    # Old: the SO/VSO school's swv (PO-24-01) got the VSO pupil: PO 1 of 2, VO 0 of 1.
    po = cell(con, "speciaal_onderwijs", "swv", "PO-24-01", Y1)
    vo = cell(con, "speciaal_onderwijs", "swv", "VO-24-02", Y1)
    assert (po["numerator"], po["denominator"]) == (0, 1)
    assert (vo["numerator"], vo["denominator"]) == (1, 2)


def test_instroom_speciaal_onderwijs_counts_moves_from_regular_to_special_per_1000() -> None:
    d = Delivery()
    _schools(d)
    _pupil(d, "a", "2014-01-01", until="2022-01-09")
    d.enrol("a", "03CC00", "SO", "2022-01-10", "2023-07-31")
    _pupil(d, "b", "2014-01-01")
    con = d.built()
    value = cell(con, "instroom_speciaal_onderwijs", "school", "01AA00", Y1)
    assert (value["numerator"], value["denominator"], value["value"]) == (1, 2, 500)


def test_jongeren_per_wijk_count_residents_who_are_not_pupils_too() -> None:
    d = Delivery()
    _schools(d)
    d.person("baby", "2020-01-01", {P1: W1, P2: W1})
    d.care("baby", "2021-09-01", "2022-02-01")
    _pupil(d, "a", "2012-01-01")
    con = d.built()
    assert cell(con, "jeugdhulp_jongeren", "wijk", W1, Y1)["value"] == pytest.approx(50)
    assert cell(con, "jeugdhulp_onderwijssoort_bao", "gemeente", GM, Y1)["value"] == 0


def test_rmc_group_is_18_to_22_without_startkwalificatie_and_not_enrolled() -> None:
    d = Delivery()
    _schools(d)
    for name in ("rmc", "mbo", "diploma"):
        d.person(name, "2002-01-01", {P1: W1, P2: W1})
    d.enrol("mbo", "04DD00", "MBO-2", "2021-08-01", "2023-07-31")
    d.diploma("diploma", "MBO-2", "2021-06-01", "04DD00")
    con = d.built()
    value = cell(con, "rmc_zonder_startkwalificatie", "wijk", W1, Y1)
    assert (value["numerator"], value["denominator"]) == (1, 3)


def test_ended_care_volgens_plan_and_herhaald_beroep_within_12_months() -> None:
    d = Delivery()
    _schools(d)
    _pupil(d, "a", "2012-01-01")
    _pupil(d, "b", "2012-01-01")
    d.care("a", "2021-09-01", "2022-01-31", reden="01")
    d.care("b", "2021-09-01", "2022-01-31", reden="03")
    d.care("b", "2022-05-01", "2023-02-01", reden="01")  # within 12 months: herhaald
    con = d.built()
    plan = cell(con, "jeugdhulp_volgens_plan", "gemeente", GM, Y1)
    assert (plan["numerator"], plan["denominator"]) == (1, 2)
    again = cell(con, "jeugdhulp_herhaald", "gemeente", GM, Y1)
    assert (again["numerator"], again["denominator"]) == (1, 2)
    # Records ending in 2022-2023 have no 12 months of follow-up in the data yet.
    assert cell(con, "jeugdhulp_herhaald", "gemeente", GM, Y2) is None


def test_herhaald_is_published_only_for_a_schooljaar_whose_whole_cohort_has_365_days() -> None:
    d = Delivery()
    _schools(d)
    _pupil(d, "a", "2012-01-01", until="2023-03-01")  # the data end on 1 March 2023
    _pupil(d, "b", "2012-01-01", until="2023-03-01")
    d.care("a", "2021-09-01", "2021-10-01", reden="01")  # 365 days after: in the data
    d.care("b", "2021-09-01", "2022-06-01", reden="01")  # not yet
    con = d.run(only=("jeugdhulp_herhaald",))
    # Old: published from the part of the cohort with follow-up (a: 0 of 1).
    assert cell(con, "jeugdhulp_herhaald", "gemeente", GM, Y1) is None


def test_youth_care_at_school_counts_residents_only_and_carries_the_coverage() -> None:
    d = Delivery()
    _schools(d)
    _pupil(d, "a", "2008-01-01", school="02BB00", soort="HAVO")
    _pupil(d, "b", "2008-01-01", school="02BB00", soort="HAVO")
    d.care("a", "2021-09-01", "2022-01-01")
    for name in ("x", "y"):  # living in another municipality: no BRP, no youth-care data
        d.enrol(name, "02BB00", "HAVO", "2021-08-01", "2023-07-31")
    d.count("02BB00", P1, 4)
    con = d.built()
    # Old: 1 of 4 pupils (25%), as if the two from elsewhere had no youth care.
    value = cell(con, "jeugdhulp_leerlingen", "school", "02BB00", Y1)
    assert (value["numerator"], value["denominator"]) == (1, 2)
    assert value["coverage"] == pytest.approx(0.5)
    assert cell(con, "speciaal_onderwijs", "school", "02BB00", Y1)["denominator"] == 4
    assert cell(con, "jeugdhulp_leerlingen", "gemeente", GM, Y1)["coverage"] is None or \
        cell(con, "jeugdhulp_leerlingen", "gemeente", GM, Y1)["coverage"] != \
        cell(con, "jeugdhulp_leerlingen", "gemeente", GM, Y1)["coverage"]


def test_several_gemeenten_in_one_run_each_get_their_own_row() -> None:
    d = Delivery()
    _schools(d)
    _pupil(d, "a", "2012-01-01")
    _pupil(d, "b", "2012-01-01", wijk="WK099501")
    d.care("b", "2021-09-01", "2022-01-01")
    con = d.built()
    assert cell(con, "jeugdhulp_leerlingen", "gemeente", GM, Y1)["value"] == 0
    assert cell(con, "jeugdhulp_leerlingen", "gemeente", "GM0995", Y1)["value"] == 100
    assert cell(con, "jeugdhulp_leerlingen", "swv", "PO-24-01", Y1)["value"] == 50
