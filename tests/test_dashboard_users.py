"""The users file and its command line: Argon2id only, passwords never on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type

from dashboard import users
from dashboard.app import create_app
from dashboard.audit import AuditLog
from dashboard.users import UsersFileError, load_users
from settings import load_settings
from tests.conftest import write_settings


@pytest.fixture
def settings(tmp_path: Path):
    return load_settings(write_settings(tmp_path))


def _write(path: Path, password_hash: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[gebruikers.kees]\nnaam = "Kees"\nrol = "oogo"\norganisatie = "Swv"\n'
                    f'wachtwoord = "{password_hash}"\n', encoding="utf-8")


def test_add_with_a_typed_password_stores_only_an_argon2id_hash(
        settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    typed = iter(["geheim-wachtwoord-42", "geheim-wachtwoord-42"])
    monkeypatch.setattr(users.getpass, "getpass", lambda _prompt: next(typed))
    assert users.main(["add", "anna", "--rol", "bestuur:41676", "--weergavenaam", "Anna",
                       "--organisatie", "Stichting Een"], settings) == 0
    path = settings.paths.users
    text = path.read_text(encoding="utf-8")
    assert "geheim-wachtwoord-42" not in text and "$argon2id$" in text
    assert path.stat().st_mode & 0o777 == 0o600
    anna = load_users(path)["anna"]
    assert anna.scope(False).bestuur == "41676"
    assert users.verify(anna, "geheim-wachtwoord-42")
    assert not users.verify(anna, "iets-anders")
    capsys.readouterr()
    users.main(["list"], settings)
    listed = capsys.readouterr().out
    assert "anna\tbestuur:41676\tAnna" in listed and "argon2" not in listed


def test_a_generated_password_is_printed_once_and_works(
        settings, capsys: pytest.CaptureFixture) -> None:
    users.main(["add", "piet", "--rol", "oogo", "--weergavenaam", "Piet",
                "--organisatie", "Swv", "--genereer"], settings)
    printed = capsys.readouterr().out
    password = printed.split("getoond): ")[1].split()[0]
    assert users.verify(load_users(settings.paths.users)["piet"], password)
    users.main(["change", "piet", "--rol", "analist"], settings)
    assert load_users(settings.paths.users)["piet"].role == "analist"
    users.main(["remove", "piet"], settings)
    assert load_users(settings.paths.users) == {}


def test_the_command_line_takes_no_password_argument(settings) -> None:
    with pytest.raises(SystemExit):
        users.main(["password", "anna", "--wachtwoord", "x"], settings)


def test_a_wrong_role_is_refused(settings, capsys: pytest.CaptureFixture) -> None:
    assert users.main(["add", "x", "--rol", "bestuur", "--weergavenaam", "X",
                       "--organisatie", "Y", "--genereer"], settings) == 1
    assert "rol 'bestuur'" in capsys.readouterr().err


@pytest.mark.parametrize(("password_hash", "says"), [
    ("welkom123", "geen Argon2id-hash"),
    (PasswordHasher(time_cost=3, memory_cost=1024, parallelism=1).hash("x"), "te zwakke"),
    (PasswordHasher(time_cost=1, memory_cost=65536, parallelism=1).hash("x"), "te zwakke"),
    (PasswordHasher(type=Type.I).hash("x"), "te zwakke"),
    ("$2b$12$C6UzMDM.H6dfI/f/IKcEeO5d8Jv5x6qQ6hH7t8b0v7lQ1zP0x8aG.", "geen Argon2id-hash"),
], ids=["plain", "weak-memory", "weak-time", "argon2i", "bcrypt"])  # salts differ per process
def test_a_plain_or_weak_hash_is_refused_naming_the_user(settings, password_hash: str,
                                                         says: str) -> None:
    _write(settings.paths.users, password_hash)
    with pytest.raises(UsersFileError, match=f"gebruiker 'kees'.*{says}"):
        load_users(settings.paths.users)
    with pytest.raises(UsersFileError, match="kees"):
        create_app(settings)


def test_the_audit_log_refuses_figures_pseudonyms_and_passwords(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.write("download", bestand="vsv_school_2024-2025.csv")
    for fields in ({"wachtwoord": "x"}, {"pseudoniem": "ab12"}, {"waarde": "12"},
                   {"noemer": 40}, {"cijfer": 4.5}, {"opmerking": "x" * 500}):
        with pytest.raises(ValueError):
            log.write("notitie_gewijzigd", **fields)
    lines = (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and '"bestand": "vsv_school_2024-2025.csv"' in lines[0]
