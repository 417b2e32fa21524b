"""The sample generator builds on real CBS wijken and DUO schools, for any gemeente."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from privacy.bsn import is_valid_bsn
from privacy.settings import PROJECT_ROOT
from sample_data.reference import SCHOOLS_FILE, WIJKEN_FILE

SOURCE_FILES = ("personen", "inschrijvingen", "diplomas", "jeugdhulp", "verzuim", "scholen")


def _generate(out: Path, gemeente: str, *extra: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "sample_data", "--gemeente", gemeente, "--out", str(out),
         "--scale", "0.1", *extra],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    return result.stdout


def _read(folder: Path, name: str, plain: bool = False) -> pd.DataFrame:
    layout = {"personen": ("utf-8", ","), "inschrijvingen": ("cp1252", ";"),
              "diplomas": ("utf-8", ","), "jeugdhulp": ("cp1252", ";"),
              "verzuim": ("utf-8-sig", ";"), "scholen": ("cp1252", ";")}[name]
    encoding, sep = ("utf-8", ",") if plain else layout
    return pd.read_csv(folder / f"{name}.csv", sep=sep, encoding=encoding, dtype=str,
                       keep_default_na=False)


@pytest.fixture(scope="module")
def amsterdam(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("amsterdam")
    return out, _generate(out, "GM0363")


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
    regular = scholen[scholen["onderwijssoort"] != "MBO"]
    assert set(regular["vestigingscode"]) <= schools
    # MBO locations are synthetic (DUO's list has none) and documented as such.
    assert not set(scholen.loc[scholen["onderwijssoort"] == "MBO", "vestigingscode"]) & schools
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

    _generate(tmp_path / "a", "GM0034", "--scale", "0.02")
    _generate(tmp_path / "b", "GM0034", "--scale", "0.02")
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


@pytest.mark.slow
def test_doelen_contain_startkwalificatie_plus_a_quarter_in_four_years(
        amsterdam: tuple[Path, str]) -> None:
    doelen = yaml.safe_load((amsterdam[0] / "doelen.yaml").read_text(encoding="utf-8"))["doelen"]
    doel = next(d for d in doelen if d["indicator"] == "startkwalificatie")
    assert doel["doel_relatief"] == 0.25 and doel["area_code"] == "GM0363"
    first, last = int(doel["basis_periode"][:4]), int(doel["doel_periode"][:4])
    assert last - first == 4


def test_unknown_gemeente_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sample_data", "--gemeente", "GM9999", "--out", str(tmp_path)],
        cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert "Onbekende gemeentecode 'GM9999'" in result.stderr
