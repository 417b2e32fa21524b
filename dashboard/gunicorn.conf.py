"""gunicorn settings from monitor.toml [dashboard] (make dashboard)."""

from settings import load_settings_or_exit

_dashboard = load_settings_or_exit().dashboard
bind = f"{_dashboard.host}:{_dashboard.port}"
workers = _dashboard.workers
timeout = 60
accesslog = "-"
