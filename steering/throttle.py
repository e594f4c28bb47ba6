"""A small fixed-window counter in the cache, for limits django-axes does not keep.

Axes locks a username together with an address, so that a guesser cannot lock an owner
out from elsewhere; these counters add the address alone (many accounts tried from one
place) and the password-reset mail (one inbox, one client, flooded with messages).
A cache that does not answer lets the request through: throttling must not take the
login page down with it.
"""

import hashlib
import logging

from django.core.cache import cache

log = logging.getLogger(__name__)


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode("utf-8", "replace")).hexdigest()
    return f"throttle:{scope}:{digest}"


def throttle_count(scope: str, value: str) -> int:
    try:
        return int(cache.get(_key(scope, value)) or 0)
    except Exception:
        log.warning("throttle: cache unavailable, %s not counted", scope)
        return 0


def throttle_hit(scope: str, value: str, *, window_seconds: int) -> int:
    key = _key(scope, value)
    try:
        if cache.add(key, 1, timeout=window_seconds):
            return 1
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1
    except Exception:
        log.warning("throttle: cache unavailable, %s not counted", scope)
        return 0
