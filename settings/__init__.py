"""monitor.toml as one typed, frozen object: every default once, every path resolved.

`settings.schema` declares each setting with its default, help text and allowed range;
`settings.loader` reads the file and refuses unknown keys, wrong types and values out of range;
`python -m settings.reference` writes the reference page docs/settings.md from them.
"""

from settings.loader import (
    DEFAULT_FILE,
    ENV_VAR,
    PROJECT_ROOT,
    SECTIONS,
    SettingsError,
    documented_keys,
    load_settings,
    load_settings_or_exit,
    parse_settings,
)
from settings.schema import (
    Dashboard,
    Disclosure,
    Indicators,
    Login,
    Notes,
    Paths,
    Pipeline,
    Sample,
    Settings,
)

__all__ = ["DEFAULT_FILE", "ENV_VAR", "PROJECT_ROOT", "SECTIONS", "Dashboard", "Disclosure",
           "Indicators", "Login", "Notes", "Paths", "Pipeline", "Sample", "Settings",
           "SettingsError", "documented_keys", "load_settings", "load_settings_or_exit",
           "parse_settings"]
