"""WSGI entry point (gunicorn steering.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steering.settings")

application = get_wsgi_application()

# What is loaded now (Django, the apps, every view through the URL patterns: some 110,000
# objects) lives as long as the process. Without this, each full garbage collection walks
# all of it, every few thousand requests: a pause of 30-80 ms in the middle of a request,
# which is what the public pages' p99 latency measured. Frozen objects are still freed when
# no longer referenced; only the cycle search skips them.
get_resolver().url_patterns  # noqa: B018 - imports every view
gc.freeze()
