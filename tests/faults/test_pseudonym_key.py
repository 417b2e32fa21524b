"""Only a key made by `--new-key` (256 random bits in a form with a check) is accepted: with a
guessable key every pseudonym of a municipality can be reversed by trying all BSNs. A key kept
inside the folders with the data it protects is refused too."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from privacy.pseudonymise import MissingKeyError, new_key, read_key
from settings import PROJECT_ROOT
from tests.fixtures import TEST_KEY

NOT_A_KEY = ("Dit is geen sleutel van de monitor: een sleutel is 256 willekeurige bits in de "
             "vorm jom-sleutel-1:<64 hexadecimale tekens>:<controle>, nooit een wachtwoord, "
             "woord of hash daarvan. Maak er een met "
             "`python -m privacy.pseudonymise --new-key BESTAND`.")
ALMERE = hashlib.sha256(b"almere").hexdigest()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "privacy.pseudonymise", *args],
                          cwd=PROJECT_ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("key", [
    "abcdefghijklmnopqrstuvwxyz012345",  # the issue's: estimated at 160 bits before
    "qwertyuiopasdfghjklzxcvbnm1234567890",  # keyboard rows
    ALMERE, "jom-sleutel-1:" + ALMERE,  # the hash of a place name, with or without prefix
    "a" * 64, "0123456789abcdef" * 4, "wachtwoord" * 4,
    "9f2c7e41b0d85a36e1c4f7a92d6b03e8c5a1f94e27b6d03c8e5f1a7b92c4d06e",  # random, bare hex
])
def test_anything_but_a_generated_key_is_refused(key: str) -> None:
    with pytest.raises(MissingKeyError) as refused:
        read_key(None, {"MONITOR_PSEUDONYM_KEY": key})
    assert str(refused.value) == NOT_A_KEY
    assert key not in str(refused.value)


def test_a_hand_made_key_in_the_right_form_fails_its_check() -> None:
    with pytest.raises(MissingKeyError, match="controlecijfers kloppen niet"):
        read_key(None, {"MONITOR_PSEUDONYM_KEY": f"jom-sleutel-1:{ALMERE}:00000000"})


def test_a_generated_key_is_accepted_and_gives_256_bits() -> None:
    assert len(read_key(None, {"MONITOR_PSEUDONYM_KEY": TEST_KEY})) == 32
    first, second = new_key(), new_key()
    assert first != second
    assert len(read_key(None, {"MONITOR_PSEUDONYM_KEY": first})) == 32


def test_new_key_writes_an_owner_only_file_once(tmp_path: Path) -> None:
    path = tmp_path / "geheim" / "partner.key"
    result = _cli("--new-key", str(path))
    assert result.returncode == 0, result.stderr
    text = path.read_text(encoding="utf-8").strip()
    assert text not in result.stdout  # never printed
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert len(read_key(str(path))) == 32
    again = _cli("--new-key", str(path))
    assert again.returncode == 2 and "bestaat al" in again.stderr
    assert path.read_text(encoding="utf-8").strip() == text


def test_the_command_refuses_a_weak_key_file_before_reading_any_data(tmp_path: Path) -> None:
    key = tmp_path / "sleutel.key"
    key.write_text("abcdefghijklmnopqrstuvwxyz012345\n", encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "personen.csv").write_text("bsn\n111222333\n", encoding="utf-8")
    result = _cli("--key-file", str(key), "--in", str(tmp_path / "in"), "--out",
                  str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip().endswith(f"Fout: {NOT_A_KEY}")
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
    assert result.stderr.strip().endswith(
        f"Fout: het sleutelbestand staat in de gegevensmap {(tmp_path / where).resolve()}. "
        "Bewaar de sleutel buiten de mappen met gegevens (zie docs/security.md).")
    assert not (tmp_path / "out" / "personen.csv").exists()


def test_make_makes_the_demo_key_with_new_key_outside_the_data_folder() -> None:
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert "DEMO_KEY   := .secrets/demo-sleutel.key" in makefile
    ignored = (PROJECT_ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert ".secrets/" in ignored
    dry = subprocess.run(["make", "-n", "-B", ".secrets/demo-sleutel.key", "sample",
                          "INSTALLED="], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert "-m privacy.pseudonymise --new-key .secrets/demo-sleutel.key" in dry.stdout
    assert "--key-file .secrets/demo-sleutel.key" in dry.stdout, dry.stderr
