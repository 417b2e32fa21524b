"""monitor.toml: typed, every key documented, and a misspelled key stops every command."""

from __future__ import annotations

import dataclasses
import re
import runpy
import tomllib
from pathlib import Path

import pytest

from dashboard.app import create_app
from pipelines.__main__ import main as pipeline_main
from sample_data.__main__ import main as sample_main
from settings import (
    DEFAULT_FILE,
    PROJECT_ROOT,
    SECTIONS,
    Paths,
    SettingsError,
    documented_keys,
    load_settings,
)
from settings.reference import PAGE, render
from settings.rules import Rule, default_of
from tests.fixtures import write_settings


@pytest.mark.parametrize(("old", "new", "message"), [
    ("min_count =", "min_cont =",
     r"onbekende instelling \[disclosure\] min_cont — bedoelde u min_count\?"),
    ("workers =", "cache_dir = 'x'\nworkers =",
     r"onbekende instelling \[dashboard\] cache_dir — bedoelde u \[paths\] cache\?"),
    ("[dashboard]", "[dashbord]", r"onbekende sectie \[dashbord\] — bedoelde u dashboard\?"),
])
def test_a_misspelled_key_names_file_section_key_and_the_likely_one(
        tmp_path: Path, old: str, new: str, message: str) -> None:
    path = write_settings(tmp_path, **{old: new})
    with pytest.raises(SettingsError, match=message) as error:
        load_settings(path)
    assert str(error.value).startswith(f"{path}: ")


def test_a_value_of_the_wrong_type_is_named(tmp_path: Path) -> None:
    path = tmp_path / "monitor.toml"
    path.write_text("[disclosure]\nmin_count = '8'\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"\[disclosure\] min_count moet een geheel getal "
                                            r"zijn, niet '8'"):
        load_settings(path)


def test_paths_are_resolved_from_the_file_and_missing_keys_get_the_default(
        tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "monitor.toml"
    path.write_text("[paths]\nlanding = '../aangeleverd'\n[disclosure]\nmin_count = 10\n",
                    encoding="utf-8")
    settings = load_settings(path)
    assert settings.paths.landing == tmp_path / "aangeleverd"
    assert settings.paths.cache == tmp_path / "sub" / "data" / "cache"
    assert (settings.disclosure.min_count, settings.disclosure.round_to) == (10, 5)


def test_the_settings_file_comes_from_the_environment(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_settings(tmp_path)
    monkeypatch.setenv("MONITOR_SETTINGS", str(path))
    assert load_settings().paths.work == tmp_path / "data" / "work"


@pytest.fixture
def misspelled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write_settings(tmp_path, **{"min_count =": "min_cont ="})
    monkeypatch.setenv("MONITOR_SETTINGS", str(path))
    return path


def _stops_with_the_message(command, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        command()
    assert stopped.value.code == 2
    assert "onbekende instelling [disclosure] min_cont — bedoelde u min_count?" in \
        capsys.readouterr().err


def test_a_misspelled_key_stops_every_command(misspelled: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    _stops_with_the_message(lambda: pipeline_main(["run", "--landing", str(tmp_path)]), capsys)
    _stops_with_the_message(lambda: pipeline_main(["run", "--settings", str(misspelled)]),
                            capsys)
    _stops_with_the_message(lambda: sample_main(["--out", str(tmp_path / "uit")]), capsys)
    _stops_with_the_message(
        lambda: runpy.run_path(str(PROJECT_ROOT / "dashboard" / "gunicorn.conf.py")), capsys)
    with pytest.raises(SettingsError, match=r"\[disclosure\] min_cont — bedoelde u min_count"):
        create_app()
    assert not (tmp_path / "uit").exists()
    assert not (tmp_path / "data" / "work").exists()


def test_every_setting_has_help_text_and_an_allowed_range_its_default_lies_in() -> None:
    for section, kind in SECTIONS.items():
        for field in dataclasses.fields(kind):
            where = f"[{section}] {field.name}"
            assert len(field.metadata.get("help", "")) > 10, f"{where}: geen hulptekst"
            rule = field.metadata.get("allowed")
            assert isinstance(rule, Rule) and rule.text, f"{where}: geen toegestaan bereik"
            assert rule.check(default_of(field)), f"{where}: standaard buiten het bereik"


@pytest.mark.parametrize(("section", "line", "message"), [
    ("disclosure", "min_count = -1", r"\[disclosure\] min_count = -1 valt buiten het toegestane "
                                     r"bereik: van 0 tot en met 1000"),
    ("dashboard", "port = 70000", r"\[dashboard\] port = 70000 valt buiten"),
    ("indicators", "min_dekking = 1.5", r"\[indicators\] min_dekking = 1.5 valt buiten"),
    ("pipeline", "memory_limit = 'veel'", r"\[pipeline\] memory_limit = 'veel' valt buiten"),
    ("login", "trusted_proxies = ['10.0.0.300']", r"\[login\] trusted_proxies = \['10.0.0.300'\]"),
    ("disclosure", "loss_weights = { school = 1 }", r"\[disclosure\] loss_weights = .* voor elk"
                                                    r" van school, bestuur"),
])
def test_a_value_outside_its_range_is_refused_naming_file_key_and_range(
        tmp_path: Path, section: str, line: str, message: str) -> None:
    path = tmp_path / "monitor.toml"
    path.write_text(f"[{section}]\n{line}\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=message) as error:
        load_settings(path)
    assert str(error.value).startswith(f"{path}: ")


def test_every_setting_in_code_has_a_commented_line_in_monitor_toml() -> None:
    toml = DEFAULT_FILE.read_text(encoding="utf-8")
    sections = dict(re.findall(r"^\[(\w+)\]\n(.*?)(?=^\[|\Z)", toml, flags=re.S | re.M))
    for section, key in documented_keys():
        line = re.search(rf"^{key} = .*$", sections.get(section, ""), flags=re.M)
        assert line, f"[{section}] {key} ontbreekt in monitor.toml"
        above = sections[section][:line.start()].rstrip().rsplit("\n", 1)[-1]
        assert "#" in line.group(0) or above.startswith("#"), f"[{section}] {key}: toelichting"


def test_the_settings_reference_page_is_the_one_the_code_writes() -> None:
    """Like Datasette's settings docs test, but generated: `python -m settings.reference`."""
    assert PAGE.read_text(encoding="utf-8") == render(), \
        "docs/settings.md is verouderd: draai python -m settings.reference"
    for section, key in documented_keys():
        assert f"| `{key}` |" in PAGE.read_text(encoding="utf-8"), f"[{section}] {key}"


def test_monitor_toml_states_the_defaults_the_code_uses() -> None:
    toml = tomllib.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    for section, kind in SECTIONS.items():
        for field in dataclasses.fields(kind):
            if field.name in toml.get(section, {}) and kind is not Paths:
                assert toml[section][field.name] == default_of(field) or (
                    isinstance(default_of(field), tuple)
                    and tuple(toml[section][field.name]) == default_of(field)), \
                    f"[{section}] {field.name}: monitor.toml wijkt af van de standaardwaarde"
