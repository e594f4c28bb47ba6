"""The Celery app. Settings come from Django's, under the CELERY_ prefix.

With no CELERY_BROKER_URL the settings switch Celery to eager mode, so the embedded
default runs every task in-process and needs neither Redis nor a worker.
"""

import os
import resource

from celery import Celery
from celery.backends.redis import RedisBackend
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steering.settings")


class ResultBackend(RedisBackend):
    """Redis results, without subscribing to each sent task's result as it is sent.

    Nobody here waits on a result from the web processes, and the subscription is what
    made every send wait about 20 s (20 reconnection attempts) for a Redis that is down.
    `AsyncResult.get()` still subscribes itself, and reads the stored result first.
    """

    def on_task_call(self, producer, task_id):
        pass


# Every task marks its outbox row done when the outbox queued it (steering/outbox.py).
app = Celery("steering", task_cls="steering.outbox:OutboxTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
if str(app.conf.result_backend or "").startswith(("redis://", "rediss://")):
    app.conf.result_backend = f"steering.celery:ResultBackend+{app.conf.result_backend}"
if not app.conf.broker_url:
    # Eager tasks never touch the broker; naming the in-memory transport keeps Kombu
    # from trying to reach the default AMQP address when something asks for a connection.
    app.conf.broker_url = "memory://"
app.autodiscover_tasks()


@worker_process_init.connect
def _limit_worker_memory(**kwargs):
    """Cap each worker process's address space: a runaway render then fails with
    MemoryError in that one task instead of pushing the host into swap or the OOM killer."""
    from django.conf import settings

    limit = settings.WORKER_MEMORY_LIMIT_MB * 1024 * 1024
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
