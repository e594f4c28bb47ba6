"""Tests that need the real stack: PostgreSQL, Redis and a Celery worker.

They skip on the embedded default and fail under REQUIRE_SERVICES=1 when a service is
missing, so CI's service run proves them for real.
"""

import os
import subprocess
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from tests.conftest import broker_reachable, need_postgresql, need_service, start_worker

pytestmark = pytest.mark.services


@pytest.fixture(scope="module")
def celery_worker_process(tmp_path_factory):
    need_service("Redis broker", broker_reachable(), "set CELERY_BROKER_URL to a running Redis")
    mail_dir = tmp_path_factory.mktemp("worker-mail")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ)
    env.update(
        {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
        }
    )
    if "DATABASE_URL" in env:
        # The worker marks the task's outbox row done (steering.outbox): in the database
        # the tests use, which pytest-django creates as test_<name>.
        parts = urlsplit(env["DATABASE_URL"])
        name = settings.DATABASES["default"]["NAME"]  # already test_… once it exists
        test_name = name if name.startswith("test_") else f"test_{name}"
        env["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + quote(test_name)))
    log_path = tmp_path_factory.mktemp("worker-log") / "worker.log"
    worker = start_worker(queue=queue, hostname=queue, env=env, log_path=log_path)
    try:
        yield {"queue": queue, "mail_dir": Path(mail_dir), "log": log_path, "process": worker}
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def test_a_real_worker_runs_a_task_through_redis(celery_worker_process):
    from steering.tasks import ping

    assert not settings.CELERY_TASK_ALWAYS_EAGER
    result = ping.apply_async(queue=celery_worker_process["queue"])
    try:
        hostname = result.get(timeout=60)
    except Exception:
        pytest.fail("worker did not answer; its log:\n" + celery_worker_process["log"].read_text())
    assert hostname
    assert celery_worker_process["process"].poll() is None


@pytest.mark.django_db
def test_password_reset_mail_is_delivered_by_the_worker(
    client, staff_a, celery_worker_process, django_capture_on_commit_callbacks
):
    from steering.celery import app

    # Route to this test's own worker, not to any worker a developer has running.
    app.conf.task_default_queue = celery_worker_process["queue"]
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/fi/accounts/password-reset/", {"email": staff_a.email})
    finally:
        app.conf.task_default_queue = "celery"
    mail_dir = celery_worker_process["mail_dir"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(mail_dir.iterdir()):
        time.sleep(0.2)
    messages = [path.read_text() for path in mail_dir.iterdir()]
    assert messages, "no mail; worker log:\n" + celery_worker_process["log"].read_text()
    assert staff_a.email in messages[0]
    assert "/fi/accounts/password-reset/" in messages[0]


@pytest.mark.django_db
def test_runs_on_postgresql():
    need_postgresql()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 130000
    # The named constraints exist in the real database, not only in Django's state.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conname IN "
            "('user_one_side_only', 'region_languages_differ')"
        )
        assert sorted(row[0] for row in cursor.fetchall()) == [
            "region_languages_differ",
            "user_one_side_only",
        ]


def test_cache_is_redis_when_configured():
    backend = settings.CACHES["default"]["BACKEND"]
    need_service("Redis cache", "redis" in backend.lower(), "set CACHE_URL=redis://…")
    key = f"test:{uuid.uuid4().hex}"
    cache.set(key, "arvo", 30)
    assert cache.get(key) == "arvo"
    assert cache.get_many([key, f"{key}:none"]) == {key: "arvo"}
    cache.delete(key)
    # One client per connection pool, not one per call (steering.cache).
    assert cache._cache.get_client(key) is cache._cache.get_client(key)
