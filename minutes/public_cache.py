"""Anonymous public pages are cached; any publication change starts a new generation."""

import time

from django.core.cache import cache

GENERATION_KEY = "public-pages:generation"


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = int(time.time() * 1000)
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return value


def invalidate_public_pages() -> None:
    cache.set(GENERATION_KEY, int(time.time() * 1000), timeout=None)
