"""Cache down: public pages are made from the database, publication still goes out, and
the first page after the cache is back is current.

Against a Redis server this test starts, stops and starts again on its own port; it
keeps its data over the restart, as a Redis that was only unreachable would.
"""

import pytest

from minutes.public import cache as public_cache
from minutes.services import publishing
from tests.factories import rendered_version
from tests.outage import redis_save, redis_server

pytestmark = [pytest.mark.services, pytest.mark.django_db]

PORT = 6392


@pytest.fixture
def redis_cache(settings, tmp_path):
    with redis_server(PORT, tmp_path) as server:
        # As steering/settings.py sets them up for a redis:// CACHE_URL.
        options = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}
        settings.CACHES = {
            alias: {
                "BACKEND": "steering.cache.RedisCache",
                "LOCATION": f"{server.url}/{number}",
                "OPTIONS": options,
            }
            for number, alias in enumerate(("default", "public"))
        }
        yield server
    public_cache._down_until, public_cache._in_doubt = 0.0, False  # as in a new process


def test_public_pages_work_without_the_cache_and_are_current_after_it(
    client, official, staff_a, redis_cache, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = publishing.protocol_publish(
            minutes=rendered_version(official, slug="lappi", render=False).minutes, by=official
        )
    assert f"/protocols/{first.pk}/" in client.get("/fi/protocols/").content.decode()  # cached
    pages = [
        "/fi/", "/sv/", "/fi/protocols/", f"/fi/protocols/{first.pk}/", "/fi/search/?q=talous",
        "/fi/feeds/protocols.atom", "/api/v1/protocols/", f"/api/v1/protocols/{first.pk}/",
    ]  # fmt: skip
    redis_save(redis_cache)
    redis_cache.stop()

    for path in pages:
        assert client.get(path).status_code == 200, path
    # Publication commits and is announced with the cache down.
    with django_capture_on_commit_callbacks(execute=True):
        second = publishing.protocol_publish(
            minutes=rendered_version(official, slug="kainuu", render=False).minutes, by=official
        )
    from steering.models import OutboxMessage

    announced = OutboxMessage.objects.filter(task="minutes.notify_published", status="done")
    assert announced.filter(args=[second.pk]).exists(), "the publication was not announced"
    assert f"/protocols/{second.pk}/" in client.get("/fi/protocols/").content.decode()

    # Back, with the list cached before the outage still in it: the list is current at once.
    redis_cache.start()
    import time

    time.sleep(2.1)  # past the pause after a failure (minutes.public.cache.RETRY_SECONDS)
    body = client.get("/fi/protocols/").content.decode()
    assert f"/protocols/{second.pk}/" in body and f"/protocols/{first.pk}/" in body
    for path in pages:
        assert client.get(path).status_code == 200, path
