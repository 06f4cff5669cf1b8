"""Running it: backup and restore, the demo data, gunicorn's settings."""
