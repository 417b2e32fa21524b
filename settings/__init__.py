"""monitor.toml as one typed, frozen object: every default once, every path resolved.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = PROJECT_ROOT / "monitor.toml"
ENV_VAR = "MONITOR_SETTINGS"


class SettingsError(Exception):
    """monitor.toml cannot be used; the message names file, section and key."""


@dataclass(frozen=True)
class Paths:
    """[paths]: folders and files; relative to the settings file."""

    landing: Path = Path("data/landing")
    doelen: Path = Path("data/landing/doelen.yaml")
    work: Path = Path("data/work")
    temp: Path = Path("data/work/tmp")
    published: Path = Path("data/published")
    quarantine: Path = Path("data/quarantine")
    cache: Path = Path("data/cache")
    users: Path = Path("data/users.toml")
    audit: Path = Path("data/audit.jsonl")
    session_secret: Path = Path("data/session.secret")
    demo_logins: Path = Path("data/demo-inloggegevens.txt")
    notes: Path = Path("data/notes/notes.sqlite")


@dataclass(frozen=True)
class Sample:
    """[sample]: the synthetic sample data (python -m sample_data)."""

    gemeente: str = "GM0034"
    schooljaren: int = 5
    laatste_schooljaar: int = 2025
    seed: int = 20261122


@dataclass(frozen=True)
class Indicators:
    """[indicators]: municipal choices in the indicator definitions."""

    dyslexie_productcodes: tuple[str, ...] = ("54D01", "54D02")
    min_dekking: float = 0.5
    bootstrap_herhalingen: int = 400
    bootstrap_seed: int = 20261127


@dataclass(frozen=True)
class Pipeline:
    """[pipeline]: resources and limits of a pipeline run."""

    threads: int = 2
    memory_limit: str = "4GB"
    keep_versions: int = 5
    min_link_rate: float = 0.95
    validate_batch_rows: int = 2_000_000
    allow_missing_sources: bool = False
    max_field_chars: int = 1000


@dataclass(frozen=True)
class Login:
    """[login]: sessions, lock-out and the optional identity header of a reverse proxy."""

    idle_minutes: int = 30
    absolute_hours: int = 10
    max_failures: int = 5
    lockout_minutes: int = 15
    throttle: str = "20 per minute"
    limiter_storage: str = "memory://"
    trusted_header: str = ""
    trusted_proxies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notes:
    """[notes]: where meeting answers, toelichtingen and actions are kept."""

    database_url: str = ""
    busy_timeout_s: float = 60.0


@dataclass(frozen=True)
class Dashboard:
    """[dashboard]: how gunicorn serves the dashboard (its data and cache: [paths])."""

    host: str = "127.0.0.1"
    port: int = 8050
    workers: int = 2
    max_request_kb: int = 1024
    max_text_chars: int = 4000
    max_action_chars: int = 500


@dataclass(frozen=True)
class Disclosure:
    """[disclosure]: the covenant's disclosure rules (privacy/disclosure.py)."""

    min_count: int = 8
    hide_zero: bool = True
    round_to: int = 5
    peers_by_name: bool = False
    protection_level: int = 8
    lp_budget: int = 50_000_000
    milp_max_size: int = 2_000
    milp_node_limit: int = 200
    loss_weights: dict[str, float] = dataclasses.field(default_factory=lambda: {
        "school": 1.0, "wijk": 3.0, "bestuur": 4.0, "swv": 10.0, "gemeente": 50.0,
        "regio": 100.0})
    multi_year_weight: float = 3.0


@dataclass(frozen=True)
class Settings:
    """All of monitor.toml; `source` is the file it was read from. Made by load_settings()."""

    source: Path
    paths: Paths
    sample: Sample
    pipeline: Pipeline
    indicators: Indicators
    disclosure: Disclosure
    login: Login
    notes: Notes
    dashboard: Dashboard


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
    defaults = {f.name: _resolve(file, f.default) for f in dataclasses.fields(kind)
                if hints[f.name] is Path and f.name not in given}
    return kind(**given, **defaults)


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
