"""gunicorn settings from monitor.toml [dashboard] (make dashboard, the systemd unit)."""

from privacy.files import owner_only, warn_if_shared
from settings import load_settings_or_exit

owner_only()  # sessions, caches, counters, notes and the audit log: readable by the owner only
_settings = load_settings_or_exit()
warn_if_shared(_settings)
_dashboard = _settings.dashboard
bind = f"{_dashboard.host}:{_dashboard.port}"
workers = _dashboard.workers
umask = 0o077  # gunicorn's own files (a unix socket) too
timeout = 60
accesslog = "-"
