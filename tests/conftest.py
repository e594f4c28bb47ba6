import os
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import OfficialFactory, RegionStaffFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
# The real SMTP server fixture (`smtp_server`) for the mail and alert tests.
pytest_plugins = ["tests.smtp"]


def need_service(name: str, available: bool, reason: str) -> None:
    """Skip a test whose service is missing, or fail it when CI demands the services."""
    if available:
        return
    message = f"{name} not available: {reason}"
    if settings.REQUIRE_SERVICES:
        pytest.fail(f"{message} (REQUIRE_SERVICES=1 makes this a failure)")
    pytest.skip(message)


def need_postgresql() -> None:
    """Skip (or, in CI, fail) a test that needs the database to be PostgreSQL."""
    from django.db import connection

    need_service(
        "PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL server"
    )


@contextmanager
def tasks_routed_to(queue: str):
    """Tasks queued meanwhile go to `queue`: this test's own workers, not to any worker a
    developer has running."""
    from steering.celery import app

    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        app.conf.task_default_queue = previous


def broker_reachable(*schemes: str) -> bool:
    """The configured Celery broker answers (and, if `schemes` are given, is one of them)."""
    url = settings.CELERY_BROKER_URL
    if not url or (schemes and not url.startswith(schemes)):
        return False
    from steering.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception:
        return False
    return True


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def run_python(code: str, env_overrides: dict[str, str | None], timeout: int = 60):
    """Run Python in a fresh process with the given environment (for settings-level tests).

    A value of None removes the variable, so the process sees the built-in default.
    """
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ENV", "SECRET_KEY"}}
    # A local process unless the test says otherwise (None: the settings' own default).
    env["DJANGO_ENV"] = "local"
    for name, value in env_overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    env["DJANGO_SETTINGS_MODULE"] = "steering.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_worker(*, queue: str, hostname: str, env: dict, log_path: Path) -> subprocess.Popen:
    """A real Celery worker in its own process, on its own queue, logging to `log_path`."""
    with log_path.open("w") as log:
        return subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "steering", "worker",
                "--pool", "solo", "--concurrency", "1", "--queues", queue,
                "--hostname", f"{hostname}@%h", "--without-gossip", "--without-mingle",
                "--without-heartbeat", "--loglevel", "INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Deliberately slow password hashing only slows tests down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def official(db):
    return OfficialFactory()


@pytest.fixture
def region_a(db):
    from regions.models import Region

    return Region.objects.get(slug="vantaa-kerava")


@pytest.fixture
def region_b(db):
    from regions.models import Region

    return Region.objects.get(slug="lappi")


@pytest.fixture
def staff_a(region_a):
    return RegionStaffFactory(region=region_a)


@pytest.fixture
def staff_b(region_b):
    return RegionStaffFactory(region=region_b)


@pytest.fixture
def administrator(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def unaffiliated(db):
    return UserFactory()


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process for tests about the web side of a feature.

    The service run has a real broker configured; delivery through a worker is proven
    separately in test_services.py.
    """
    from steering.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def worker_database_url() -> str:
    """DATABASE_URL, pointed at the test database pytest-django created (for a worker)."""
    from urllib.parse import quote, urlsplit, urlunsplit

    from django.db import connection

    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + quote(connection.settings_dict["NAME"])))


@pytest.fixture
def browser():
    """Chromium through Playwright; every test that uses it is marked `browser`."""
    from tests.browser import ARGS, CHROMIUM

    need_service("Chromium", Path(CHROMIUM).exists(), "apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between browser steps are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()
        # With Playwright's loop in this thread, the ORM calls between browser steps left a
        # connection that pytest-django's teardown does not close: it kept PostgreSQL from
        # dropping the test database at the end of the run.
        from django.db import connections

        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def pytest_collection_modifyitems(config, items):
    # The marker follows the fixture, so no browser test can be left out of
    # -m "not browser" by forgetting to mark it.
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        # A transactional test rebuilds the database after itself (seconds on SQLite,
        # with the reference data restored): slow by its nature.
        db = item.get_closest_marker("django_db")
        if db is not None and db.kwargs.get("transaction"):
            item.add_marker(pytest.mark.slow)
