"""Anonymous public pages: cached, with ETags, and invalidated on every publication change.

The cache key carries a generation number that publishing, correcting and withdrawing
bump, so stale pages are never served after a change, whatever the cache backend. Signed-in
users always get a fresh page (theirs shows their navigation).
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date

GENERATION_KEY = "public-pages:generation"
TIMEOUT = 300


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, int(time.time() * 1000), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def invalidate_public_pages() -> None:
    cache.set(GENERATION_KEY, int(time.time() * 1000), timeout=None)


def public_page(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            not settings.PUBLIC_PAGE_CACHE
            or request.method not in ("GET", "HEAD")
            or request.user.is_authenticated
        ):
            return view(request, *args, **kwargs)
        path_hash = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"public-page:{generation()}:{path_hash}"
        stored = cache.get(key)
        if stored is None:
            response = view(request, *args, **kwargs)
            if response.status_code not in (200, 410) or response.streaming or response.cookies:
                return response
            stored = {
                "status": response.status_code,
                "content": response.content,
                "content_type": response["Content-Type"],
                "etag": f'"{hashlib.sha256(response.content).hexdigest()[:32]}"',
                "modified": time.time(),
            }
            cache.set(key, stored, TIMEOUT)
        if request.headers.get("If-None-Match") == stored["etag"]:
            return HttpResponseNotModified(headers={"ETag": stored["etag"]})
        response = HttpResponse(
            stored["content"], status=stored["status"], content_type=stored["content_type"]
        )
        response["ETag"] = stored["etag"]
        response["Last-Modified"] = http_date(stored["modified"])
        response["Cache-Control"] = "public, max-age=60"
        return response

    return wrapper
