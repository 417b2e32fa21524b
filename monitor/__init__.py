"""What every room of the monitor shares without importing another room's internals.

`settings` (monitor.toml as one typed object) and `delivery` (how a partner's CSV file is
read: encoding, delimiter, header). Pipeline, privacy, sample data and dashboard import from
here; this package imports none of them.
"""
