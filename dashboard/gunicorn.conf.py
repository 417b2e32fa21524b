"""gunicorn settings from monitor.toml [dashboard] (make dashboard)."""

from pipelines.settings import load_settings

_dashboard = load_settings().section("dashboard")
bind = f"{_dashboard.get('host', '127.0.0.1')}:{_dashboard.get('port', 8050)}"
workers = int(_dashboard.get("workers", 2))
timeout = 60
accesslog = "-"
