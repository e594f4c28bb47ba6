"""/healthz: is each service this process depends on reachable right now?

Answers JSON for load balancers and monitoring: 200 when all are up, 503 when any is
down. A failure names only the kind of error, never its message, which can carry host
names or credentials from a connection string.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app


def _check(probe) -> dict:
    started = time.perf_counter()
    try:
        detail = probe()
    except Exception as exc:  # a health check reports every failure instead of raising
        return {"ok": False, "error": type(exc).__name__}
    result = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result["detail"] = detail
    return result


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache():
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    # The degrading cache (steering.cache) would swallow the error the probe is for.
    getattr(cache, "strict", cache).set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise LookupError("cache did not return what was stored")
    finally:
        cache.delete(key)
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def _broker():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
        return conn.transport.driver_type


def _outbox() -> dict:
    """How many queued tasks wait for the broker: non-zero after an outage, until drained."""
    from .models import OutboxMessage

    try:
        waiting = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count()
    except Exception:  # the database check above already reports this
        return {}
    return {"outbox_waiting": waiting}


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _check(_database), "cache": _check(_cache), "broker": _check(_broker)}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks, **_outbox()},
        status=200 if healthy else 503,
    )
