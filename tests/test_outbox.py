"""Broker down: the action answers at once, and its notices go out once it is back.

Against a Redis server this test starts and stops itself; the worker is Celery's own, in
a thread of this process, so that it shares the test database and the mail outbox.
"""

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from minutes.models import Minutes
from steering import celery
from steering.celery import app
from tests.factories import NegotiationFactory
from tests.outage import redis_server

pytestmark = pytest.mark.services

PORT = 6391


@pytest.fixture
def broker(settings, tmp_path, monkeypatch):
    """Celery pointed at a Redis of our own (broker and results), not eager."""
    with redis_server(PORT, tmp_path) as server:
        saved = {
            name: app.conf[name] for name in ("broker_url", "result_backend", "task_always_eager")
        }
        app.conf.broker_url = f"{server.url}/0"
        # Celery reads the broker from the environment before its own settings.
        monkeypatch.setenv("CELERY_BROKER_URL", f"{server.url}/0")
        monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
        # As steering/celery.py configures a Redis result backend.
        quiet = "steering.celery:ResultBackend+" if hasattr(celery, "ResultBackend") else ""
        app.conf.result_backend = f"{quiet}{server.url}/1"
        app.conf.task_always_eager = False
        settings.CELERY_TASK_ALWAYS_EAGER = False
        app._local.__dict__.pop("backend", None)
        try:
            yield server
        finally:
            app.conf.update(saved)
            app._local.__dict__.pop("backend", None)


def run_worker_until(condition):
    """Celery's own worker, in a thread, until `condition()` or 30 s."""
    import time

    from celery._state import _set_task_join_will_block
    from celery.signals import worker_process_init

    from steering.celery import _limit_worker_memory

    # The in-thread worker would cap this test process's address space for good, and
    # every later browser test's Chromium would then fail to start.
    worker_process_init.disconnect(_limit_worker_memory)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            deadline = time.monotonic() + 30
            while not condition() and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        worker_process_init.connect(_limit_worker_memory)
    _set_task_join_will_block(False)  # the worker's setting; this process is no worker


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_send_for_review_with_the_broker_down_is_sent_once_it_is_back(
    client, official, staff_a, broker
):
    negotiation = NegotiationFactory(chair=official, region=staff_a.region)
    negotiation.agenda_items.create(position=1, title="Talous")
    client.force_login(official)
    client.post(f"/fi/workspace/negotiations/{negotiation.pk}/minutes/start/")
    minutes = Minutes.objects.get(negotiation=negotiation)
    broker.stop()

    response = client.post(f"/fi/workspace/minutes/{minutes.pk}/send/", follow=True)

    # It answers (today: about 20 s, then a 500 after the commit) with its success message.
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.IN_REVIEW
    from steering.models import OutboxMessage

    (waiting,) = OutboxMessage.objects.all()
    assert (waiting.task, waiting.status) == (
        "minutes.notify_review_requested",
        OutboxMessage.Status.PENDING,
    )
    assert mail.outbox == []
    health = client.get("/healthz").json()
    assert (health["checks"]["broker"]["ok"], health["outbox_waiting"]) == (False, 1)

    broker.start()
    from steering.outbox import dispatch, drain

    assert drain() == 1
    run_worker_until(lambda: len(mail.outbox) >= 1 and not _not_done())
    assert [message.to for message in mail.outbox] == [[staff_a.email]]
    assert not _not_done(), list(OutboxMessage.objects.values())

    # Draining again sends nothing; a message sent again for a done row does nothing.
    assert drain() == 0
    assert dispatch(list(OutboxMessage.objects.all())) == 2
    run_worker_until(lambda: False if len(mail.outbox) > 1 else _quiet())
    assert len(mail.outbox) == 1


def _not_done():
    from steering.models import OutboxMessage

    return OutboxMessage.objects.exclude(status=OutboxMessage.Status.DONE).exists()


_polls = []


def _quiet():
    """True after about 3 s of polling: time for the re-sent messages to be run."""
    _polls.append(1)
    return len(_polls) > 30
