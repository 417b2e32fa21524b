"""Read monitor.toml: the one settings file an analyst edits."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETTINGS = PROJECT_ROOT / "monitor.toml"
ENV_VAR = "MONITOR_SETTINGS"


@dataclass(frozen=True)
class Settings:
    """Parsed settings; paths are absolute, resolved against the settings file's folder."""

    source: Path
    raw: dict[str, Any] = field(repr=False)

    def path(self, key: str) -> Path:
        value = Path(self.raw["paths"][key])
        return value if value.is_absolute() else (self.source.parent / value).resolve()

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.raw.get(name, {}))


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Load settings from `path`, else $MONITOR_SETTINGS, else monitor.toml at the project root."""
    chosen = Path(path or os.environ.get(ENV_VAR) or DEFAULT_SETTINGS).resolve()
    with chosen.open("rb") as handle:
        raw = tomllib.load(handle)
    return Settings(source=chosen, raw=raw)
