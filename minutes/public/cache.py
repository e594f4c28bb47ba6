"""Anonymous public pages in Django's cache (the "public" alias), cleared whole on every
change they could show: publication, correction, withdrawal, schedule and reference data
(signals connected in minutes/apps.py). Signed-in users always get a fresh page, which no
cache keeps. ETag and 304 come from ConditionalGetMiddleware.

A cache that is down is passed over: the page is made without it. A clear that could not
reach it is left in the outbox for the worker, and this process clears it itself once the
cache answers again, before it serves anything from it.
"""

import functools
import logging
import time

import redis
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils.cache import add_never_cache_headers, patch_cache_control, set_response_etag
from django.utils.http import http_date
from django.views.decorators.cache import cache_page

logger = logging.getLogger(__name__)
ALIAS = "public"
# Kept here and in browsers for a minute: a withdrawal clears this cache at once.
MAX_AGE = 60
CACHE_ERRORS = (redis.ConnectionError, redis.TimeoutError)
# After a failure the cache is not tried for this long, so an outage costs a page no wait.
RETRY_SECONDS = 2.0
_down_until = 0.0
_in_doubt = False  # a failure seen: a clear may have been missed meanwhile


def clear_public_pages(**kwargs) -> None:
    """A signal receiver: every cached public page goes once the transaction commits."""
    transaction.on_commit(clear_now)


def clear_now() -> None:
    try:
        caches[ALIAS].clear()
    except CACHE_ERRORS as error:
        from steering.models import OutboxMessage

        _failed(error)
        OutboxMessage.objects.create(task="minutes.invalidate_public_pages")


def _failed(error) -> None:
    global _down_until, _in_doubt
    if not _in_doubt:
        logger.warning("public page cache unreachable (%s): pages are made without it", error)
    _in_doubt, _down_until = True, time.monotonic() + RETRY_SECONDS


def _usable() -> bool:
    """Whether to use the cache now; after an outage, clear it first."""
    global _in_doubt
    if time.monotonic() < _down_until:
        return False
    if _in_doubt:
        try:
            caches[ALIAS].clear()
        except CACHE_ERRORS as error:
            _failed(error)
            return False
        _in_doubt = False
        logger.warning("public page cache reachable again")
    return True


def public_page(view):
    def stamped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        if not response.has_header("Last-Modified"):  # a feed sets its newest entry's
            response["Last-Modified"] = http_date()
        if not response.streaming:
            set_response_etag(response)  # once, kept with the cached copy
        return response

    cached = cache_page(MAX_AGE, cache=ALIAS)(stamped)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            # Theirs shows their name and a CSRF token: no cache anywhere keeps it.
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response
        if not settings.PUBLIC_PAGE_CACHE or not _usable():
            return stamped(request, *args, **kwargs)
        try:
            return cached(request, *args, **kwargs)
        except CACHE_ERRORS as error:
            _failed(error)
            return stamped(request, *args, **kwargs)

    return wrapper
