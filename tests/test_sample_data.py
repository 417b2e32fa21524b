"""The sample generator builds on real CBS wijken and DUO schools, for any gemeente or region.

Recomputed from the written CSVs (not from the generator's own summary) wherever possible."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from privacy.bsn import is_valid_bsn
from sample_data import __main__ as sample_command
from sample_data.reference import SCHOOLS_FILE, WIJKEN_FILE
from settings import PROJECT_ROOT
from tests.fixtures import TEST_KEY


def _vrijstellingen(folder: Path) -> pd.DataFrame:
    """Vrijstellingen come in verzuim.csv as rows with soort VRIJSTELLING."""
    verzuim = _read(folder, "verzuim")
    return verzuim[verzuim["soort"] == "VRIJSTELLING"]


SOURCE_FILES = ("personen", "inschrijvingen", "diplomas", "jeugdhulp", "verzuim", "scholen")
VO = {"PRO", "VMBO-B", "VMBO-K", "VMBO-G", "VMBO-T", "HAVO", "VWO"}
LAYOUT = {"personen": ("utf-8", ","), "inschrijvingen": ("cp1252", ";"),
          "diplomas": ("utf-8", ","), "jeugdhulp": ("cp1252", ";"),
          "verzuim": ("utf-8-sig", ";"), "scholen": ("cp1252", ";")}


def _generate(out: Path, gemeente: str, *extra: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "sample_data", "--gemeente", gemeente, "--out", str(out),
         "--scale", "0.1", *extra],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    return result.stdout


def _read(folder: Path, name: str, plain: bool = False, suffix: str = "") -> pd.DataFrame:
    encoding, sep = ("utf-8", ",") if plain else LAYOUT[name]
    return pd.read_csv(folder / f"{name}{suffix}.csv", sep=sep, encoding=encoding, dtype=str,
                       keep_default_na=False)


def _on_peildatum(inschrijvingen: pd.DataFrame, peildatum: str = "20251001") -> pd.DataFrame:
    """Enrolments (JJJJMMDD dates) that cover 1 oktober."""
    start, end = inschrijvingen["datum_inschrijving"], inschrijvingen["datum_uitschrijving"]
    return inschrijvingen[(start <= peildatum) & ((end == "") | (end > peildatum))]


@pytest.fixture(scope="module")
def amsterdam(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("amsterdam")
    return out, _generate(out, "GM0363")


@pytest.fixture(scope="module")
def almere(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("almere")
    return out, _generate(out, "GM0034", "--scale", "0.5")


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("regio")
    _generate(out, "GM0034,GM0995", "--scale", "0.1")
    return out


@pytest.fixture(scope="module")
def real_codes() -> tuple[set[str], set[str]]:
    wijken = {f["properties"]["statcode"]
              for f in json.loads(WIJKEN_FILE.read_text(encoding="utf-8"))["features"]}
    schools = set(pd.read_csv(SCHOOLS_FILE, dtype=str)["vestigingscode"])
    return wijken, schools


@pytest.mark.slow
@pytest.mark.parametrize("gemeente", ["GM0363", "GM0014"])
def test_every_wijk_and_school_code_is_real_for_any_gemeente(
        gemeente: str, amsterdam: tuple[Path, str], real_codes: tuple[set[str], set[str]],
        tmp_path: Path) -> None:
    out = amsterdam[0] if gemeente == "GM0363" else tmp_path
    if gemeente != "GM0363":
        _generate(out, gemeente)
    wijken, schools = real_codes
    personen = _read(out, "personen")
    assert set(personen["wijkcode"]) <= wijken
    assert personen["wijkcode"].str.startswith(f"WK{gemeente[2:]}").all()
    scholen = _read(out, "scholen")
    synthetic = scholen["onderwijssoort"].isin(["MBO", "HBO", "WO"])
    regular = scholen[~synthetic]
    assert set(regular["vestigingscode"]) <= schools
    # Schools in neighbouring gemeenten that residents attend are listed too, just as real.
    assert (regular["gemeentecode"] != gemeente).any()
    # MBO, hbo and wo locations are synthetic (DUO's list has none) and documented as such.
    assert not set(scholen.loc[synthetic, "vestigingscode"]) & schools
    used = set(_read(out, "inschrijvingen")["vestigingscode"])
    assert used <= set(scholen["vestigingscode"])


@pytest.mark.slow
def test_amsterdam_wijkcodes_with_letters_are_used(amsterdam: tuple[Path, str]) -> None:
    personen = _read(amsterdam[0], "personen")
    assert personen["wijkcode"].str.fullmatch(r"WK0363[A-Z]{2}").any()


@pytest.mark.slow
def test_bsns_pass_the_elfproef_except_the_unknown_code(amsterdam: tuple[Path, str]) -> None:
    for name in ("personen", "inschrijvingen", "jeugdhulp"):
        bsns = set(_read(amsterdam[0], name)["bsn"])
        assert all(is_valid_bsn(b) for b in bsns - {"999999999"}), name


@pytest.mark.slow
def test_youth_care_share_is_in_the_national_range(amsterdam: tuple[Path, str]) -> None:
    """Recomputed from the CSVs: young people 0-22 with care overlapping 2024-2025."""
    personen = _read(amsterdam[0], "personen")
    residents = set(personen.loc[personen["peildatum"] == "2024-10-01", "bsn"])
    care = _read(amsterdam[0], "jeugdhulp")
    active = care[(care["datum_aanvang"] <= "20250731")
                  & ((care["datum_einde"] == "") | (care["datum_einde"] >= "20240801"))]
    share = len(set(active["bsn"]) & residents) / len(residents)
    assert 0.09 <= share <= 0.15
    verblijf = set(active.loc[active["hulpvorm"].str.startswith("1"), "bsn"]) & residents
    assert 0.05 <= len(verblijf) / len(set(active["bsn"]) & residents) <= 0.12


@pytest.mark.slow
def test_the_summary_reports_plausible_rates(amsterdam: tuple[Path, str]) -> None:
    summary = amsterdam[1]
    assert "jongeren 0-22 met jeugdhulp" in summary
    assert "BUITEN BEREIK" not in summary


@pytest.mark.slow
def test_files_carry_the_partners_delivery_quirks(amsterdam: tuple[Path, str]) -> None:
    raw = (amsterdam[0] / "jeugdhulp.csv").read_bytes()
    assert raw.splitlines()[0].count(b";") == 9 and b"\r\n" in raw
    kosten = _read(amsterdam[0], "jeugdhulp")["kosten"]
    assert kosten.str.fullmatch(r"\d+,\d{2}").all()
    assert (amsterdam[0] / "verzuim.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert _read(amsterdam[0], "verzuim")["datum_melding"].str.fullmatch(r"\d{2}-\d{2}-\d{4}").all()


@pytest.mark.slow
def test_plain_option_writes_utf8_comma_and_iso_dates(tmp_path: Path) -> None:
    _generate(tmp_path, "GM0034", "--plain", "--scale", "0.02")
    care = _read(tmp_path, "jeugdhulp", plain=True)
    assert care["datum_aanvang"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


@pytest.mark.slow
def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    def digest(folder: Path) -> dict[str, str]:
        return {name: hashlib.sha256((folder / f"{name}.csv").read_bytes()).hexdigest()
                for name in SOURCE_FILES}

    # Blocks of 500 persons: one process, or two side by side, write the same bytes.
    _generate(tmp_path / "a", "GM0034", "--scale", "0.02", "--chunk", "500", "--processen", "1")
    _generate(tmp_path / "b", "GM0034", "--scale", "0.02", "--chunk", "500", "--processen", "2")
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


@pytest.mark.slow
def test_doelen_contain_schoolverlaters_without_startkwalificatie_a_quarter_fewer_in_four_years(
        amsterdam: tuple[Path, str]) -> None:
    doelen = yaml.safe_load((amsterdam[0] / "doelen.yaml").read_text(encoding="utf-8"))["doelen"]
    doel = next(d for d in doelen if d["indicator"] == "schoolverlaters_startkwalificatie")
    # Reachable: the share *without* a startkwalificatie falls by a quarter (not +25% on 83%).
    assert doel["doel_relatief_tegendeel"] == -0.25 and doel["area_code"] == "GM0363"
    first, last = int(doel["basis_periode"][:4]), int(doel["doel_periode"][:4])
    assert last - first == 4


def test_unknown_gemeente_is_refused_with_a_clear_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `python -m sample_data --gemeente GM9999`, in this process
    assert sample_command.main(["--gemeente", "GM9999", "--out", str(tmp_path)]) == 2
    assert "Onbekende gemeentecode 'GM9999'" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())  # nothing written


def test_a_fifth_to_half_of_vo_pupils_come_from_outside_and_residents_go_out(
        almere: tuple[Path, str]) -> None:
    folder = almere[0]
    scholen = _read(folder, "scholen").set_index("vestigingscode")["gemeentecode"]
    residents = set(_read(folder, "personen").query("peildatum == '2025-10-01'")["bsn"])
    pupils = _on_peildatum(_read(folder, "inschrijvingen"))
    vo = pupils[pupils["onderwijssoort"].isin(VO)]
    at_almere = vo[vo["vestigingscode"].map(scholen) == "GM0034"]
    from_outside = (~at_almere["bsn"].isin(residents)).mean()
    assert 0.2 <= from_outside <= 0.5
    own = vo[vo["bsn"].isin(residents)]
    elsewhere = (own["vestigingscode"].map(scholen) != "GM0034").mean()
    assert 0.05 <= elsewhere <= 0.35


def test_pupils_from_outside_are_only_in_the_school_files(almere: tuple[Path, str]) -> None:
    """Woonplaatsbeginsel: no personen, jeugdhulp or vrijstelling for non-residents."""
    folder = almere[0]
    residents = set(_read(folder, "personen")["bsn"])
    enrolled = _read(folder, "inschrijvingen")
    outsiders = set(enrolled["bsn"]) - residents
    assert len(outsiders) > 1000
    assert not outsiders & set(_read(folder, "jeugdhulp")["bsn"])
    assert not outsiders & set(_vrijstellingen(folder)["bsn"])
    # ... and they appear only at the gemeente's own schools (that school extract has them).
    scholen = _read(folder, "scholen").set_index("vestigingscode")["gemeentecode"]
    schools = enrolled.loc[enrolled["bsn"].isin(outsiders), "vestigingscode"].map(scholen)
    assert set(schools) == {"GM0034"}
    assert set(_read(folder, "diplomas")["bsn"]) & outsiders
    assert set(_read(folder, "verzuim")["bsn"]) & outsiders


def test_a_region_delivers_personen_and_jeugdhulp_per_gemeente_with_one_bsn_per_person(
        region: Path) -> None:
    assert not (region / "personen.csv").exists()
    personen = {code: _read(region, "personen", suffix=f"_{code}")
                for code in ("GM0034", "GM0995")}
    for code, rows in personen.items():
        assert rows["wijkcode"].str.startswith(f"WK{code[2:]}").all()
        assert (rows["gemeentecode"] == code).all()
        care = _read(region, "jeugdhulp", suffix=f"_{code}")
        assert len(care) and set(care["bsn"]) - {"999999999"} <= set(rows["bsn"])
    both = pd.concat(personen.values())
    assert not both.duplicated(["bsn", "peildatum"]).any()  # one home per peildatum
    movers = set(personen["GM0034"]["bsn"]) & set(personen["GM0995"]["bsn"])
    assert movers  # people who moved between the region's gemeenten keep their BSN
    assert both[both["bsn"].isin(movers)].groupby("bsn")["geboortedatum"].nunique().max() == 1
    # One school file for the region; pupils cross between its gemeenten.
    scholen = _read(region, "scholen").set_index("vestigingscode")["gemeentecode"]
    pupils = _on_peildatum(_read(region, "inschrijvingen"))
    home = personen["GM0034"].query("peildatum == '2025-10-01'")["bsn"]
    at = pupils.loc[pupils["bsn"].isin(home), "vestigingscode"].map(scholen)
    assert (at == "GM0995").any()
    wijken = json.loads((region / "wijken.geojson").read_text(encoding="utf-8"))["features"]
    assert {f["properties"]["statcode"][:6] for f in wijken} == {"WK0034", "WK0995"}


def test_region_files_are_pseudonymised_like_any_other_delivery(region: Path,
                                                                 tmp_path: Path) -> None:
    env = dict(os.environ, MONITOR_PSEUDONYM_KEY=TEST_KEY)
    subprocess.run([sys.executable, "-m", "privacy.pseudonymise", "--in", str(region),
                    "--out", str(tmp_path)], cwd=PROJECT_ROOT, env=env, check=True,
                   capture_output=True)
    for name in ("personen_GM0995", "jeugdhulp_GM0034"):
        header = (tmp_path / f"{name}.csv").read_text(encoding="utf-8-sig",
                                                      errors="replace").splitlines()[0]
        assert "pseudoniem" in header and "bsn" not in header, name


def test_the_summary_of_almere_is_within_the_domain_ranges(almere: tuple[Path, str]) -> None:
    summary = almere[1]
    for label in ("SBAO-leerlingen van PO-leerlingen", "SO/VSO-leerlingen van alle",
                  "thuiszitters", "VO-leerlingen wonend buiten de gemeente"):
        assert label in summary
    assert "BUITEN BEREIK" not in summary


def test_special_education_shares_follow_domain(almere: tuple[Path, str]) -> None:
    """Resident pupils, wherever they go to school (passend onderwijs counts by home)."""
    pupils = _on_peildatum(_read(almere[0], "inschrijvingen"))
    residents = _read(almere[0], "personen").query("peildatum == '2025-10-01'")["bsn"]
    soort = pupils.loc[pupils["bsn"].isin(residents), "onderwijssoort"]
    sbao = (soort == "SBAO").sum() / soort.isin(["BAO", "SBAO", "SO"]).sum()
    assert 0.018 <= sbao <= 0.035
    po_vo = ~soort.str.startswith("MBO") & ~soort.isin(["HBO", "WO"])
    special = soort.isin(["SO", "VSO"]).sum() / po_vo.sum()
    assert 0.014 <= special <= 0.03


def test_leerplichtigen_without_school_are_exempt_or_absoluut_verzuimer(
        almere: tuple[Path, str]) -> None:
    folder = almere[0]
    personen = _read(folder, "personen").query("peildatum == '2025-10-01'")
    age = 2025 - personen["geboortedatum"].str[:4].astype(int) \
        - (personen["geboortedatum"].str[5:] > "10-01")
    leerplichtig = set(personen.loc[(age >= 5) & (age <= 17), "bsn"])
    enrolled = set(_on_peildatum(_read(folder, "inschrijvingen"))["bsn"])
    vrij = _vrijstellingen(folder)
    assert ((vrij["vestigingscode"] == "") & (vrij["thuiszitter"] == "N")).all()
    iso = pd.to_datetime(vrij["datum_melding"], format="%d-%m-%Y")
    einde = pd.to_datetime(vrij["datum_einde"], format="%d-%m-%Y")
    current = set(vrij.loc[(iso <= "2025-10-01") & (einde.isna() | (einde > "2025-10-01")),
                           "bsn"])
    assert not current & enrolled  # a vrijstelling replaces enrolment
    diplomas = _read(folder, "diplomas")
    qualified = set(diplomas.loc[diplomas["diploma"].isin(["HAVO", "VWO", "MBO-2", "MBO-3",
                                                           "MBO-4"]), "bsn"])
    absoluut = leerplichtig - enrolled - current - qualified
    assert 0.0005 <= len(absoluut) / len(leerplichtig) <= 0.004
    assert current & leerplichtig


def test_thuiszitters_last_under_three_to_over_six_months_some_across_schooljaren(
        almere: tuple[Path, str]) -> None:
    verzuim = _read(almere[0], "verzuim")
    langdurig = verzuim[verzuim["soort"] == "LANGDURIG_RELATIEF"]
    assert (langdurig["thuiszitter"] == "J").all()
    start = pd.to_datetime(langdurig["datum_melding"], format="%d-%m-%Y")
    end = pd.to_datetime(langdurig["datum_einde"], format="%d-%m-%Y")
    days = (end - start).dt.days.dropna()
    assert days.min() > 28
    assert (days < 91).any() and days.between(92, 183).any() and (days > 183).any()
    schooljaar = start.dt.year - (start.dt.month < 8)
    assert (end > pd.to_datetime((schooljaar + 1).astype(str) + "-07-31")).any()
    assert end.isna().any()  # still running at the delivery


def test_youth_care_has_protection_endings_repeats_and_open_records(
        almere: tuple[Path, str]) -> None:
    care = _read(almere[0], "jeugdhulp")
    assert {"47", "48"} <= set(care["productcategorie"])
    ended = care["datum_einde"] != ""
    assert care.loc[ended, "reden_beeindiging"].isin(["01", "02", "03", "04", "05"]).all()
    assert (care.loc[~ended, "reden_beeindiging"] == "").all()
    assert 0.05 <= (~ended).mean() <= 0.45
    care = care[care["bsn"] != "999999999"]
    ended = care["datum_einde"] != ""
    records = care.assign(
        start=pd.to_datetime(care["datum_aanvang"], format="%Y%m%d"),
        end=pd.to_datetime(care["datum_einde"], format="%Y%m%d"))
    pairs = records[ended].merge(records[["bsn", "start"]], on="bsn", suffixes=("", "_nieuw"))
    gap = (pairs["start_nieuw"] - pairs["end"]).dt.days
    repeated = pairs[(gap > 0) & (gap <= 365)].drop_duplicates(["bsn", "start", "hulpvorm"])
    assert 0.13 <= len(repeated) / ended.sum() <= 0.4  # about 9% without planned repeats


def test_dyslexia_care_is_for_bao_and_sbao_pupils_aged_7_to_12(almere: tuple[Path, str]) -> None:
    folder = almere[0]
    care = _read(folder, "jeugdhulp")
    dyslexia = care[care["productcode"].isin(["54D01", "54D02"]) & (care["bsn"] != "999999999")]
    birth = _read(folder, "personen").drop_duplicates("bsn").set_index("bsn")["geboortedatum"]
    start = pd.to_datetime(dyslexia["datum_aanvang"], format="%Y%m%d")
    schooljaar = start.dt.year - (start.dt.month < 8)
    born = pd.to_datetime(dyslexia["bsn"].map(birth))
    age = schooljaar - born.dt.year - ((born.dt.month > 10) | ((born.dt.month == 10)
                                                                & (born.dt.day > 1)))
    assert len(dyslexia) > 50 and age.between(7, 12).all()


def test_people_move_in_and_out_between_peildata(almere: tuple[Path, str]) -> None:
    personen = _read(almere[0], "personen")
    age = 2024 - personen["geboortedatum"].str[:4].astype(int)
    before = set(personen.loc[(personen["peildatum"] == "2023-10-01") & (age <= 20), "bsn"])
    after = set(personen.loc[personen["peildatum"] == "2024-10-01", "bsn"])
    left = len(before - after) / len(before)
    arrived = after - set(personen.loc[personen["peildatum"] < "2024-10-01", "bsn"])
    born = personen.loc[personen["geboortedatum"] > "2023-10-01", "bsn"]
    assert 0.01 <= left <= 0.06
    assert len(arrived - set(born)) / len(after) >= 0.01


def test_hbo_wo_students_and_duo_counts_for_every_school_used(almere: tuple[Path, str]) -> None:
    """havo/vwo graduates go on to hbo/wo (DUO's delivery to the RMC holds them), and DUO's
    public count exists for every school with pupils, at least the pupils the files hold."""
    folder = almere[0]
    pupils = _on_peildatum(_read(folder, "inschrijvingen"))
    assert pupils["onderwijssoort"].isin(["HBO", "WO"]).sum() > 1000
    counts = pd.read_csv(folder / "leerlingen_per_vestiging.csv", sep=";", dtype=str)
    counts = counts[counts["PEILDATUM"] == "20251001"]
    total = counts.groupby("VESTIGINGSCODE")["AANTAL LEERLINGEN"].apply(
        lambda n: n.astype(int).sum())
    held = pupils.drop_duplicates("bsn").groupby("vestigingscode").size()
    assert set(held.index) <= set(total.index)
    # A pupil enrolled at two schools on 1 oktober is in one school's count.
    assert (total.reindex(held.index) >= 0.95 * held).all()
