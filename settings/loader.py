"""Reading monitor.toml into Settings: unknown keys, wrong types and values out of range stop.

A key or section that does not exist stops every command with a Dutch message naming the
file, the section and the key, and the closest existing name ("bedoelde u min_count?").
Relative paths are resolved against the folder of the settings file.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import sys
import tomllib
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from settings.schema import Settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = PROJECT_ROOT / "monitor.toml"
ENV_VAR = "MONITOR_SETTINGS"


class SettingsError(ValueError):
    """monitor.toml cannot be used; the message names file, section and key."""


SECTIONS: dict[str, type] = {name: kind for name, kind in typing.get_type_hints(Settings).items()
                             if name != "source"}
_KINDS = {int: "een geheel getal", float: "een getal", bool: "true of false", str: "tekst",
          Path: "een pad (tekst)", tuple[str, ...]: "een lijst met tekst",
          dict[str, float]: "een tabel van namen met getallen"}


def documented_keys() -> list[tuple[str, str]]:
    """(section, key) for every setting the code knows, in file order."""
    return [(section, f.name) for section, kind in SECTIONS.items()
            for f in dataclasses.fields(kind)]


def _suggest(name: str, known: list[str], elsewhere: dict[str, str] | None = None) -> str:
    """'bedoelde u X?' for the closest name in `known`, else in `elsewhere` (other sections)."""
    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return f"bedoelde u {close[0]}?"
    close = difflib.get_close_matches(name, list(elsewhere or {}), n=1)
    if close:
        return f"bedoelde u [{elsewhere[close[0]]}] {close[0]}?"
    return "bekende namen: " + ", ".join(known) + "."


def _value(file: Path, section: str, key: str, kind: Any, value: Any) -> Any:
    """`value` checked against the field type; paths resolved against the file's folder."""
    ok = {int: isinstance(value, int) and not isinstance(value, bool),
          float: isinstance(value, int | float) and not isinstance(value, bool),
          bool: isinstance(value, bool), str: isinstance(value, str),
          Path: isinstance(value, str) and value != "",
          tuple[str, ...]: isinstance(value, list) and all(isinstance(v, str) for v in value),
          dict[str, float]: isinstance(value, dict) and all(
              isinstance(v, int | float) and not isinstance(v, bool) for v in value.values())}
    if not ok[kind]:
        raise SettingsError(f"{file}: instelling [{section}] {key} moet {_KINDS[kind]} zijn, "
                            f"niet {value!r}.")
    if kind is Path:
        return _resolve(file, Path(value))
    if kind == dict[str, float]:
        return {name: float(number) for name, number in value.items()}
    return tuple(value) if kind == tuple[str, ...] else kind(value)


def _resolve(file: Path, value: Path) -> Path:
    return value if value.is_absolute() else (file.parent / value).resolve()


def _section(file: Path, name: str, kind: type, values: Any) -> Any:
    if not isinstance(values, dict):
        raise SettingsError(f"{file}: [{name}] moet een sectie zijn, niet {values!r}.")
    hints = typing.get_type_hints(kind)
    for key in values:
        if key not in hints:
            other = {k: s for s, k in documented_keys() if s != name}
            raise SettingsError(f"{file}: onbekende instelling [{name}] {key} — "
                                + _suggest(key, list(hints), other))
    given = {key: _value(file, name, key, hints[key], value) for key, value in values.items()}
    rules = {field.name: field.metadata["allowed"] for field in dataclasses.fields(kind)}
    for key, value in given.items():
        if not rules[key].check(value):
            raise SettingsError(f"{file}: instelling [{name}] {key} = {values[key]!r} valt buiten "
                                f"het toegestane bereik: {rules[key].text}.")
    defaults = {f.name: _resolve(file, f.default) for f in dataclasses.fields(kind)
                if hints[f.name] is Path and f.name not in given}
    return kind(**given, **defaults)


def complete_section(name: str, kind: type, values: Mapping[str, Any]) -> Any:
    """One section from a table that names every key (as a stage is handed it), checked as on
    load: a missing key is an error here, not the default."""
    if isinstance(values, kind):
        return values
    for field in dataclasses.fields(kind):
        if field.name not in values:
            raise SettingsError(f"[{name}] {field.name} ontbreekt in de instellingen.")
    table = {key: dict(value) if isinstance(value, Mapping) else value
             for key, value in values.items()}
    return _section(Path("instellingen"), name, kind, table)


def parse_settings(file: Path, raw: dict[str, Any]) -> Settings:
    """Settings from the parsed TOML of `file`; SettingsError on unknown or mistyped keys."""
    for name in raw:
        if name not in SECTIONS:
            raise SettingsError(f"{file}: onbekende sectie [{name}] — "
                                + _suggest(name, list(SECTIONS)))
    return Settings(source=file, **{name: _section(file, name, kind, raw.get(name, {}))
                                    for name, kind in SECTIONS.items()})


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read `path`, else $MONITOR_SETTINGS, else monitor.toml at the project root."""
    file = Path(path or os.environ.get(ENV_VAR) or DEFAULT_FILE).resolve()
    try:
        with file.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError as error:
        raise SettingsError(f"Instellingenbestand {file} bestaat niet.") from error
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{file}: geen geldige TOML ({error}).") from error
    return parse_settings(file, raw)


def load_settings_or_exit(path: str | os.PathLike[str] | None = None) -> Settings:
    """For command-line entry points: print the Dutch message and stop with exit code 2."""
    try:
        return load_settings(path)
    except SettingsError as error:
        print(f"FOUT in de instellingen: {error}", file=sys.stderr)
        raise SystemExit(2) from error
