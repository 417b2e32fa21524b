"""Pseudonymisation as a partner runs it: keyed, linkable, and leaking neither key nor BSN."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.landing import source_files
from pipelines.load import load_source, load_specs
from pipelines.sql_runner import install_macros
from privacy.bsn import is_valid_bsn, normalise_bsn
from privacy.pseudonymise import pseudonym, read_key
from settings import PROJECT_ROOT, Pipeline
from tests.fixtures import TEST_KEY

KEY = "demo-sleutel-voor-test-0123456789abcdef"  # the reference HMAC's key (any bytes)
KEY_BYTES = read_key(None, {"MONITOR_PSEUDONYM_KEY": TEST_KEY})  # what key_file holds


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "privacy.pseudonymise", *args],
        cwd=PROJECT_ROOT, capture_output=True, text=True, env=env,
    )


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "sleutel.key"
    path.write_text(TEST_KEY + "\n", encoding="utf-8")
    return path


def test_known_bsn_and_key_give_the_reference_hmac() -> None:
    # Reference value from OpenSSL, independent of this code:
    #   printf '%s' 111222333 | openssl dgst -sha256 -hmac 'demo-sleutel-voor-test-0123456789abcdef'
    expected = "812b1af14537731008b935f6d4cae7614c388dd3dfce8ee08415fabcc347cf13"
    assert pseudonym(KEY.encode(), "111222333") == expected


@pytest.mark.parametrize(
    ("value", "valid"),
    [("111222333", True), ("123456782", True), ("123456789", False), ("12345678", False),
     ("11122233a", False), ("", False)],
)
def test_elfproef_accepts_only_nine_digits_that_pass_the_eleven_test(value: str,
                                                                    valid: bool) -> None:
    assert is_valid_bsn(value) is valid


def test_a_leading_zero_dropped_by_excel_is_restored() -> None:
    assert normalise_bsn(" 12345672 ") == "012345672"


def test_refuses_to_run_without_a_key(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "personen.csv").write_text("bsn,geslacht\n111222333,V\n", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin"}
    result = run_cli("--in", str(tmp_path / "in"), "--out", str(tmp_path / "out"), env=env)
    assert result.returncode == 2
    assert "Geen sleutel" in result.stderr
    assert not (tmp_path / "out").exists()


def test_replaces_bsn_keeps_file_layout_and_reports_bad_rows_by_number(
    tmp_path: Path, key_file: Path
) -> None:
    source = tmp_path / "in"
    source.mkdir()
    rows = ["BSN;hulpvorm;kosten", "111222333;45;1234,50", "123456789;45;10,00",
            "999999999;11;25000,00", "111222333;02;99,95"]
    (source / "jeugdhulp.csv").write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    (source / "scholen.csv").write_bytes("vestigingscode;naam\r\n16SW03;Café ’t Hoekje\r\n"
                                         .encode("cp1252"))

    result = run_cli("--key-file", str(key_file), "--in", str(source), "--out",
                     str(tmp_path / "out"))

    assert result.returncode == 0, result.stderr
    written = (tmp_path / "out" / "jeugdhulp.csv").read_bytes()
    lines = written.decode("cp1252").split("\r\n")
    assert lines[0] == "pseudoniem;hulpvorm;kosten"
    first, invalid, unknown, again = (line.split(";") for line in lines[1:5])
    assert first[0] == pseudonym(KEY_BYTES, "111222333") == again[0]
    assert invalid[0] == "" and unknown[0] == ""
    assert first[1:] == ["45", "1234,50"]
    assert "ongeldig BSN" in result.stdout and "regels: 3" in result.stdout
    assert "onbekend BSN" in result.stdout and "regels: 4" in result.stdout
    assert "123456789" not in result.stdout + result.stderr
    # files without a bsn column pass through byte for byte
    assert (tmp_path / "out" / "scholen.csv").read_bytes() == (source / "scholen.csv").read_bytes()


def test_partners_using_the_same_key_get_linkable_pseudonyms(tmp_path: Path,
                                                             key_file: Path) -> None:
    (tmp_path / "gemeente").mkdir()
    (tmp_path / "school").mkdir()
    (tmp_path / "gemeente" / "personen.csv").write_text("bsn,geslacht\n111222333,V\n",
                                                        encoding="utf-8")
    (tmp_path / "school" / "inschrijvingen.csv").write_bytes(
        b"vestigingscode;BSN\r\n16SW03;111222333\r\n")
    for partner in ("gemeente", "school"):
        assert run_cli("--key-file", str(key_file), "--in", str(tmp_path / partner),
                       "--out", str(tmp_path / "landing")).returncode == 0
    person = (tmp_path / "landing" / "personen.csv").read_text().splitlines()[1].split(",")[0]
    pupil = (tmp_path / "landing" / "inschrijvingen.csv").read_text().splitlines()[1]
    assert pupil.split(";")[1] == person
    assert person != pseudonym(b"een-andere-sleutel-0123456789abcdef", "111222333")


def test_the_key_appears_in_no_output_or_log(tmp_path: Path, key_file: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "personen.csv").write_text("bsn,geslacht\n111222333,V\n123456782,M\n",
                                         encoding="utf-8")
    result = run_cli("--key-file", str(key_file), "--in", str(source), "--out",
                     str(tmp_path / "out"))
    assert result.returncode == 0
    produced = result.stdout + result.stderr
    produced += "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir())
    assert TEST_KEY not in produced
    assert KEY_BYTES.hex() not in produced


def test_the_sample_run_leaks_neither_key_nor_any_bsn_into_landing(sample_run) -> None:
    bsns: set[str] = set()
    for path in sample_run.sources.glob("*.csv"):
        text = path.read_text(encoding="cp1252", errors="replace")
        bsns.update(t for t in re.findall(r"(?<!\d)\d{9}(?!\d)", text) if is_valid_bsn(t))
    assert len(bsns) > 1000, "the sample sources should hold many BSNs"
    key = sample_run.key_file.read_text(encoding="utf-8").strip()
    for path in sample_run.landing.iterdir():
        text = path.read_text(encoding="cp1252", errors="replace")
        assert key not in text, path.name
        header = text.splitlines()[0].lower()
        assert "bsn" not in re.split(r"[;,]", header), path.name
        # A value on its own, not nine digits inside a hex pseudonym (which happen by chance).
        leaked = {t for t in re.findall(r"(?<![0-9A-Za-z])\d{9}(?![0-9A-Za-z])", text)
                  if t in bsns}
        assert not leaked, f"{path.name} holds {len(leaked)} BSN values"


def test_a_region_delivered_per_gemeente_is_pseudonymised_and_loaded_as_one_source(
        tmp_path: Path, key_file: Path) -> None:
    source = tmp_path / "regio"
    source.mkdir()
    columns = "BSN;geboortedatum;geslacht;postcode;gemeentecode;wijkcode;peildatum"
    (source / "personen_GM0034.csv").write_bytes(
        f"{columns}\r\n111222333;20140301;V;1311AB;0034;WK003401;20231001\r\n".encode("cp1252"))
    (source / "personen_GM0995.csv").write_text(
        columns.replace(";", ",") + "\n123456782,2012-05-01,M,8232AB,0995,WK099501,2023-10-01\n",
        encoding="utf-8")
    result = run_cli("--key-file", str(key_file), "--in", str(source), "--out",
                     str(tmp_path / "landing"))
    assert result.returncode == 0, result.stderr
    files, _ = source_files(tmp_path / "landing", load_specs()["personen"])
    con = duckdb.connect()
    install_macros(con)
    con.execute("CREATE SCHEMA landing")
    load_source(con, "personen", load_specs()["personen"], files, tmp_path / "q", tmp_path,
                Pipeline().max_field_chars)
    assert con.sql("SELECT bestand, pseudoniem FROM landing.personen ORDER BY 1").fetchall() == [
        ("personen_GM0034.csv", pseudonym(KEY_BYTES, "111222333")),
        ("personen_GM0995.csv", pseudonym(KEY_BYTES, "123456782"))]


def test_an_empty_source_file_stops_with_its_name(tmp_path: Path, key_file: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "personen.csv").write_bytes(b"")
    result = run_cli("--key-file", str(key_file), "--in", str(tmp_path / "in"), "--out",
                     str(tmp_path / "out"))
    assert result.returncode == 1
    assert "personen.csv: het bestand is leeg (0 bytes)" in result.stderr


def test_files_on_several_cores_give_the_same_files_and_report_in_name_order(
        tmp_path: Path, key_file: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for n, name in enumerate(("personen_GM0034.csv", "inschrijvingen.csv", "scholen.csv",
                              "personen_GM0995.csv")):
        rows = "".join(f"{123456782 if i % 2 else 111222333},{n}\n" for i in range(50 * n))
        header = "bsn,x\n" if name != "scholen.csv" else "vestigingscode,x\n"
        (source / name).write_text(header + rows, encoding="utf-8")
    results = {workers: run_cli("--key-file", str(key_file), "--in", str(source), "--out",
                                str(tmp_path / f"out{workers}"), "--processen", str(workers))
               for workers in (1, 2)}
    reports = {w: r.stdout.splitlines()[1:] for w, r in results.items()}  # 1: the folders
    assert results[2].returncode == 0 and reports[2] == reports[1]
    named = [line.split(":")[0].strip() for line in reports[2]]
    assert named == sorted(p.name for p in source.iterdir())
    for path in source.iterdir():
        assert (tmp_path / "out2" / path.name).read_bytes() \
            == (tmp_path / "out1" / path.name).read_bytes()
