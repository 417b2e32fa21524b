"""A pseudonymisation key with too little randomness is refused (with it, every pseudonym of a
municipality could be reversed by trying all BSNs), and so is a key kept inside the folders
with the data it protects."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from privacy.pseudonymise import MissingKeyError, key_bits, read_key
from settings import PROJECT_ROOT
from tests.fixtures import TEST_KEY

WEAK = ("Sleutel te voorspelbaar: geschat minder dan 128 bits toeval (herhaalde of weinig "
        "verschillende tekens). Maak een nieuwe met "
        '`python -c "import secrets; print(secrets.token_hex(32))"`.')


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "privacy.pseudonymise", *args],
                          cwd=PROJECT_ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("key", ["a" * 32, "a" * 64, "ab" * 16, "0123456789abcdef" * 4,
                                 "test-sleutel-" + "ab" * 16, "wachtwoord" * 4])
def test_a_key_with_too_little_randomness_is_refused(key: str) -> None:
    with pytest.raises(MissingKeyError) as refused:
        read_key(None, {"MONITOR_PSEUDONYM_KEY": key})
    assert str(refused.value) == WEAK
    assert key not in str(refused.value)


def test_a_random_key_is_accepted() -> None:
    assert key_bits(TEST_KEY) > 200
    assert read_key(None, {"MONITOR_PSEUDONYM_KEY": TEST_KEY}) == TEST_KEY.encode()


def test_the_command_refuses_a_weak_key_file_before_reading_any_data(tmp_path: Path) -> None:
    key = tmp_path / "sleutel.key"
    key.write_text("x" * 32 + "\n", encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "personen.csv").write_text("bsn\n111222333\n", encoding="utf-8")
    result = _cli("--key-file", str(key), "--in", str(tmp_path / "in"), "--out",
                  str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"Fout: {WEAK}"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", ["in", "out"])
def test_a_key_inside_a_data_folder_is_refused(tmp_path: Path, where: str) -> None:
    for folder in ("in", "out"):
        (tmp_path / folder).mkdir()
    (tmp_path / "in" / "personen.csv").write_text("bsn\n111222333\n", encoding="utf-8")
    key = tmp_path / where / "demo.key"
    key.write_text(TEST_KEY, encoding="utf-8")
    result = _cli("--key-file", str(key), "--in", str(tmp_path / "in"), "--out",
                  str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"Fout: het sleutelbestand staat in de gegevensmap {(tmp_path / where).resolve()}. "
        "Bewaar de sleutel buiten de mappen met gegevens (zie README, 'Demo key').")
    assert not (tmp_path / "out" / "personen.csv").exists()


def test_make_keeps_the_demo_key_outside_the_data_folder() -> None:
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "DEMO_KEY   := .secrets/demo.key" in makefile
    ignored = (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert ".secrets/" in ignored
    dry = subprocess.run(["make", "-n", "sample", "INSTALLED="],
                         cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert "--key-file .secrets/demo.key" in dry.stdout, dry.stderr
