"""Anonymous public pages: cached, with ETags, and invalidated on every publication change.

Each stored page carries the generation number that was current when it was made;
publishing, correcting and withdrawing bump the generation, so a page of an older one is
made again rather than served, whatever the cache backend. The generation and the page are
read in one round trip. Signed-in users always get a fresh page (theirs shows their
navigation).
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from regions.selectors import follow_generation
from steering.cache import CACHE_ERRORS

GENERATION_KEY = "public-pages:generation"
TIMEOUT = 300


def _start_generation() -> int:
    cache.add(GENERATION_KEY, int(time.time() * 1000), timeout=None)
    return cache.get(GENERATION_KEY)


def invalidate_public_pages() -> None:
    """Make every cached public page stale. With the cache down the change is kept in the
    outbox, and made by the first page this process serves once the cache is back (see
    `_repair`), or by the outbox drain in the worker."""
    try:
        getattr(cache, "strict", cache).set(GENERATION_KEY, int(time.time() * 1000), None)
    except CACHE_ERRORS:
        from steering.models import OutboxMessage

        # Not sent now (the cache is down): left for the drain, or for `_repair`.
        OutboxMessage.objects.create(task="minutes.invalidate_public_pages")


def _repair() -> None:
    """The first page after this process saw the cache fail: an invalidation dropped
    meanwhile may have left stale pages in it, so move the generation before reading."""
    from steering.models import OutboxMessage

    try:
        cache.strict.set(GENERATION_KEY, int(time.time() * 1000), None)
    except CACHE_ERRORS:
        return
    OutboxMessage.objects.filter(task="minutes.invalidate_public_pages").exclude(
        status=OutboxMessage.Status.DONE
    ).update(status=OutboxMessage.Status.DONE, done_at=timezone.now())
    cache.trust_again()


def _page_key(request) -> str:
    """As Django's cache middleware keys a page: the absolute address and the active
    language. Feeds and the API write absolute links, and the API, outside the language
    prefixes, writes them in the language the request asked for."""
    address = f"{request.build_absolute_uri()}|{get_language()}"
    return f"public-page:{hashlib.sha256(address.encode()).hexdigest()}"


def public_page(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            # Theirs shows their name and a CSRF token: no cache anywhere keeps it.
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response
        if not settings.PUBLIC_PAGE_CACHE or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        if getattr(cache, "in_doubt", False):
            _repair()
        key = _page_key(request)
        found = cache.get_many([GENERATION_KEY, key])
        current = found.get(GENERATION_KEY) or _start_generation()
        # A region renamed by another process moved the generation: read them again here.
        follow_generation(current)
        stored = found.get(key)
        if stored is None or stored["generation"] != current:
            response = view(request, *args, **kwargs)
            if response.status_code not in (200, 410) or response.streaming or response.cookies:
                return response
            stored = {
                "status": response.status_code,
                "content": response.content,
                "content_type": response["Content-Type"],
                "etag": f'"{hashlib.sha256(response.content).hexdigest()[:32]}"',
                # The view's own date (a feed's newest entry) if it gave one.
                "modified": response.get("Last-Modified") or http_date(),
                "generation": current,
            }
            cache.set(key, stored, TIMEOUT)
        headers = {
            "ETag": stored["etag"],
            "Last-Modified": stored["modified"],
            "Cache-Control": "public, max-age=60",
        }
        if request.headers.get("If-None-Match") == stored["etag"]:
            # The headers a 200 would have sent, so that caches keep the copy as long again.
            return HttpResponseNotModified(headers=headers)
        return HttpResponse(
            stored["content"], status=stored["status"], content_type=stored["content_type"],
            headers=headers,
        )  # fmt: skip

    return wrapper
