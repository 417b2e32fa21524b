"""The sections of monitor.toml: every setting once, with its default, help text and range."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indicators.levels import LEVELS
from settings.rules import (
    ANY_PATH,
    YES_NO,
    above,
    between,
    matches,
    networks,
    one_of_each,
    setting,
)

BIG = 10**12
SEED = between(0, 2**63 - 1)


def _path(default: str, help: str) -> Path:  # noqa: A002
    return setting(Path(default), help, ANY_PATH)


@dataclass(frozen=True)
class Paths:
    """[paths]: folders and files; relative to the settings file."""

    landing: Path = _path("data/landing", "delivered, pseudonymised source files")
    doelen: Path = _path("data/landing/doelen.yaml", "targets agreed in the OOGO")
    work: Path = _path("data/work", "working database with person rows, run manifests, Data "
                       "Docs of the run")
    temp: Path = _path("data/work/tmp", "DuckDB's `temp_directory` (spills above "
                       "`memory_limit`) and transcoded windows-1252 files; person-level, so keep "
                       "it as private as `work`")
    published: Path = _path("data/published", "published versions (aggregates only)")
    quarantine: Path = _path("data/quarantine", "rows that could not be read, per source")
    cache: Path = _path("data/cache", "the dashboard's disk cache (query results per run and "
                        "scope; rendered pages per run, notes version and user; login sessions)")
    users: Path = _path("data/users.toml", "users with hashed passwords "
                        "(`python -m dashboard.users`)")
    audit: Path = _path("data/audit.jsonl", "audit log: logins, logouts, downloads, meeting "
                        "records (append only)")
    session_secret: Path = _path("data/session.secret", "secret for sessions and anonymous "
                                 "names; made (0600) at first start unless "
                                 "`$MONITOR_SESSION_SECRET` is set")
    demo_logins: Path = _path("data/demo-inloggegevens.txt", "demo only: the passwords of the "
                              "demo users")
    notes: Path = _path("data/notes/notes.sqlite", "meeting records and actions of the OOGO "
                        "(kept across every run)")


@dataclass(frozen=True)
class Sample:
    """[sample]: the synthetic sample data (python -m sample_data)."""

    gemeente: str = setting("GM0034", "municipality of the sample data (`--gemeente`); several "
                            "separated by commas make a region, `NL` the whole country",
                            matches(r"NL|GM\d{4}(,GM\d{4})*", "CBS gemeentecodes of NL"))
    schooljaren: int = setting(5, "number of schooljaren generated", between(1, 20))
    laatste_schooljaar: int = setting(2025, "last schooljaar (2025 = 2025-2026)",
                                      between(2000, 2100))
    seed: int = setting(20261122, "random seed (same sample every run)", SEED)


@dataclass(frozen=True)
class Indicators:
    """[indicators]: municipal choices in the indicator definitions."""

    dyslexie_productcodes: tuple[str, ...] = setting(
        ("54D01", "54D02"), "iJw product codes bought as dyslexia care",
        matches(r"[0-9A-Z]{5}", "iJw-productcodes van vijf tekens"))
    min_dekking: float = setting(0.5, "below this share of resident pupils a school/bestuur/swv "
                                 "youth-care figure is hidden (`lage_dekking`)", between(0, 1))
    bootstrap_herhalingen: int = setting(400, "bootstrap resamples (of persons) for the interval "
                                         "of mean costs", between(1, 100_000))
    bootstrap_seed: int = setting(20261127, "seed of that bootstrap (same intervals every run)",
                                  SEED)


@dataclass(frozen=True)
class Pipeline:
    """[pipeline]: resources and limits of a pipeline run."""

    threads: int = setting(2, "DuckDB threads, and the threads that solve the independent "
                           "components of secondary suppression", between(1, 256))
    memory_limit: str = setting("4GB", "DuckDB memory limit", matches(
        r"\d+(\.\d+)? ?([KMGT]i?B)", "een hoeveelheid geheugen zoals 4GB of 512MB"))
    keep_versions: int = setting(5, "published versions kept", between(1, 1000))
    min_link_rate: float = setting(0.95, "share of youth-care pseudonyms that must be found in "
                                   "personen", between(0, 1))
    validate_batch_rows: int = setting(2_000_000, "rows per validation batch (bounds memory)",
                                       between(1000, BIG))
    allow_missing_sources: bool = setting(
        False, "a missing source that feeds only some indicators (`jeugdhulp`, `verzuim`; "
        "`indicatoren:` in `pipelines/sources.yaml`) stops the run; `true` publishes the other "
        "indicators, the affected ones have no values (never 0)", YES_NO)
    max_field_chars: int = setting(1000, "a delivered value longer than this stops the run, "
                                   "naming file, line and column", between(1, 10_000_000))


@dataclass(frozen=True)
class Login:
    """[login]: sessions, lock-out and the optional identity header of a reverse proxy."""

    idle_minutes: int = setting(30, "a session ends after this many minutes without use",
                                between(1, 24 * 60))
    absolute_hours: int = setting(10, "and in any case this many hours after logging in",
                                  between(1, 7 * 24))
    max_failures: int = setting(5, "this many failed attempts per user and per address ...",
                                between(1, 1000))
    first_delay_seconds: int = setting(30, "after `max_failures` failures an account waits this "
                                       "long, twice as long after every further failure",
                                       between(1, 24 * 3600))
    lockout_minutes: int = setting(15, "... within this many minutes block logging in as long",
                                   between(1, 24 * 60))
    throttle: str = setting("20 per minute", "all login attempts per address (also good ones)",
                            matches(r"\d+ per (second|minute|hour|day)",
                                    "aantal per second, minute, hour of day"))
    limiter_storage: str = setting(
        "", "counters of the throttle and the wait, shared by every worker; empty = an SQLite "
        "file in the cache folder (one server); several servers e.g. `redis://host:6379`",
        matches(r"((sqlite|redis|rediss|redis\+sentinel)://.*)?",
                "leeg, sqlite:///pad of redis://"))
    trusted_header: str = setting("", "behind a reverse proxy (SSO): the identity header, e.g. "
                                  "`X-Remote-User`; empty = off",
                                  matches(r"([A-Za-z0-9-]+)?", "een HTTP-kopnaam of leeg"))
    trusted_proxies: tuple[str, ...] = setting((), "that header is trusted only from these "
                                               "addresses", networks())


@dataclass(frozen=True)
class Notes:
    """[notes]: where meeting answers, toelichtingen and actions are kept."""

    database_url: str = setting(
        "", "empty: the SQLite database of `[paths] notes` (WAL, one server); several dashboard "
        "servers: a PostgreSQL address `postgresql+psycopg://…`",
        matches(r"((sqlite|postgresql)(\+\w+)?://.*)?", "leeg, sqlite:// of postgresql://"))
    busy_timeout_s: float = setting(60.0, "how long a write waits for a busy notes database; "
                                    "then the user gets a message and nothing is saved",
                                    between(0, 3600))


@dataclass(frozen=True)
class Dashboard:
    """[dashboard]: how gunicorn serves the dashboard (its data and cache: [paths])."""

    host: str = setting("127.0.0.1", "address gunicorn listens on",
                        matches(r"[A-Za-z0-9.:\-\[\]]+", "een hostnaam of IP-adres"))
    port: int = setting(8050, "port of the dashboard", between(1, 65535))
    workers: int = setting(2, "gunicorn workers", between(1, 64))
    max_request_kb: int = setting(1024, "larger requests (also uploads) are refused with a Dutch "
                                  "message (413)", between(1, 1024 * 1024))
    max_text_chars: int = setting(4000, "longest meeting answer or toelichting; longer is "
                                  "refused, nothing saved", between(1, 1_000_000))
    max_action_chars: int = setting(500, "longest action text or note with a score",
                                    between(1, 1_000_000))


@dataclass(frozen=True)
class Disclosure:
    """[disclosure]: the covenant's disclosure rules (privacy/disclosure.py)."""

    min_count: int = setting(8, "person counts below this are hidden", between(0, 1000))
    hide_zero: bool = setting(True, "also hide 0", YES_NO)
    round_to: int = setting(5, "displayed counts rounded to multiples of this",
                            between(1, 1000))
    peers_by_name: bool = setting(False, "school boards see other schools by name", YES_NO)
    anonymous_k: int = setting(5, "k-anonymity: what an anonymous school or board shows (size "
                               "class, median) is shared by at least this many", between(2, 50))
    protection_level: int = setting(8, "every hidden small cell's derivable range is at least "
                                    "this wide on both sides", between(0, 1000))
    lp_budget: int = setting(
        50_000_000, "work budget of the per-cell step of secondary suppression in LP cells (a "
        "count, not a clock: the same inputs publish the same cells on any machine); past it "
        "the rest of a component is hidden whole (reported)", between(0, BIG))
    milp_max_size: int = setting(
        2_000, "components whose MILP model is at most this size (sensitive sides × cells) get "
        "optimal secondary suppression (least information loss), larger ones the LP "
        "heuristic; `0` turns the MILP off", between(0, 10_000_000))
    milp_node_limit: int = setting(
        200, "branch-and-bound nodes per MILP (a count, not a clock); a component not solved "
        "within it gets the checked best solution found, else the heuristic",
        between(1, 10_000_000))
    loss_weights: dict[str, float] = setting(
        {"school": 1.0, "wijk": 3.0, "bestuur": 4.0, "swv": 10.0, "gemeente": 50.0,
         "regio": 100.0},
        "information loss of hiding one cell per level (`regio`: all delivering gemeenten "
        "together)", one_of_each(LEVELS, above(0, 1_000_000)))
    multi_year_weight: float = setting(3.0, "extra weight of multi-year figures (often the only "
                                       "one for small schools)", between(0, 1000))
    dominance_p: float = setting(10.0, "p% rule: a cost sum is hidden when the sum less its two "
                                 "largest clients is under this percentage of the largest "
                                 "(0 = off)", between(0, 100))
    euro_round: int = setting(100, "published euro bounds and medians are rounded outwards to "
                              "this many euro, so none is one client's amount", between(1, 100_000))
    joint_releases: int = setting(12, "earlier published releases (kept versions, meetings' "
                                  "frozen figures) protected jointly with a new one",
                                  between(1, 1000))

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Disclosure:
        """The policy from a [disclosure] table naming every key; ranges checked as on load."""
        from settings.loader import complete_section  # the loader builds on this module

        return complete_section("disclosure", cls, values)


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
