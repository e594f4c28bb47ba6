"""Loaded by pytest (`-p tests.local_env` in pyproject.toml) before pytest-django reads
the settings: a test run is local. The settings default to production, which refuses
to start without a SECRET_KEY; a variable set by the caller wins."""

import os

os.environ.setdefault("DJANGO_ENV", "local")
