"""The transactional outbox: every task a web action queues goes through `enqueue`.

`enqueue` writes an OutboxMessage row in the action's own transaction and, once that
commits, makes one short attempt to hand the task to the broker (no retries, a short
connect timeout). A broker that is down costs the action nothing: it answers at once and
the row waits as "pending" until `drain` (a beat task every minute, and the management
command `drain_outbox`) sends it. The task marks its row done when it runs (see
OutboxTask), so a message sent twice does its work once.

With no broker (the embedded default, eager Celery) the task runs at commit, in-process,
as before.
"""

import logging
from datetime import timedelta

from celery import Task
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger(__name__)
HEADER = "outbox_id"


def enqueue(task, *args, **kwargs):
    """Queue `task(*args, **kwargs)` when the current transaction commits, kept in the
    database until a worker has run it."""
    from .models import OutboxMessage

    message = OutboxMessage.objects.create(task=task.name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: dispatch([message]))
    return message


def _publish_options() -> dict:
    timeout = settings.OUTBOX_CONNECT_TIMEOUT
    return {
        "connect_timeout": timeout,
        # kombu otherwise retries the connection for as long as the timeout allows.
        "transport_options": {
            "max_retries": 0,
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
        },
    }


def dispatch(messages) -> int:
    """Hand these rows' tasks to the broker, once each and without waiting for a broker
    that does not answer. Returns how many were handed over."""
    from .celery import app
    from .models import OutboxMessage

    Status = OutboxMessage.Status
    if app.conf.task_always_eager:
        for message in messages:
            app.tasks[message.task].apply_async(
                message.args, message.kwargs, headers={HEADER: message.pk}
            )
        return len(messages)
    sent = 0
    try:
        with app.connection_for_write(**_publish_options()) as connection:
            for message in messages:
                app.tasks[message.task].apply_async(
                    message.args,
                    message.kwargs,
                    headers={HEADER: message.pk},
                    connection=connection,
                    retry=False,
                )
                # The worker may already have marked it done.
                OutboxMessage.objects.filter(pk=message.pk).exclude(status=Status.DONE).update(
                    status=Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1
                )
                sent += 1
    except Exception as error:  # the action is committed: whatever the broker did, keep the row
        left = [message.pk for message in messages[sent:]]
        OutboxMessage.objects.filter(pk__in=left, status=Status.PENDING).update(
            attempts=F("attempts") + 1, last_error=type(error).__name__
        )
        logger.warning(
            "broker unreachable (%s): %s outbox message(s) wait for the drain",
            type(error).__name__,
            len(left),
        )
    return sent


def drain(*, limit: int = 500) -> int:
    """Send what is still waiting: rows never handed over, and rows handed over so long
    ago that their message must have been lost. Returns how many were sent."""
    from .models import OutboxMessage

    Status = OutboxMessage.Status
    now = timezone.now()
    lost = now - timedelta(minutes=settings.OUTBOX_RESEND_MINUTES)
    waiting = list(
        OutboxMessage.objects.filter(
            Q(status=Status.PENDING) | Q(status=Status.SENT, sent_at__lt=lost),
            attempts__lt=settings.OUTBOX_MAX_ATTEMPTS,
        ).order_by("created_at")[:limit]
    )
    sent = dispatch(waiting) if waiting else 0
    OutboxMessage.objects.filter(
        status=Status.DONE, done_at__lt=now - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    ).delete()
    if waiting:
        logger.info("outbox drain: %s of %s waiting message(s) sent", sent, len(waiting))
    return sent


def _message_id(request):
    found = getattr(request, HEADER, None)
    if found is None:
        found = (getattr(request, "headers", None) or {}).get(HEADER)
    return found


class OutboxTask(Task):
    """The base of every task: one queued through the outbox marks its row done.

    `outbox_atomic = True` (e-mails, notices): the task's work and marking its row done
    commit together under a lock on the row; a second message for a done row does nothing.
    `False` (renders, which must not hold a transaction for a minute and guard themselves):
    the row is marked done and the task runs.
    """

    outbox_atomic = True

    def __call__(self, *args, **kwargs):
        message_id = _message_id(self.request)
        if message_id is None:
            return super().__call__(*args, **kwargs)
        from .models import OutboxMessage

        Status = OutboxMessage.Status
        rows = OutboxMessage.objects.filter(pk=message_id)
        if not self.outbox_atomic:
            rows.exclude(status=Status.DONE).update(status=Status.DONE, done_at=timezone.now())
            return super().__call__(*args, **kwargs)
        with transaction.atomic():
            message = rows.select_for_update().first()
            if message is not None and message.status == Status.DONE:
                logger.info("outbox message %s already done: not run again", message_id)
                return None
            result = super().__call__(*args, **kwargs)
            # A missing row was written in a transaction this worker cannot see (a test's).
            rows.update(status=Status.DONE, done_at=timezone.now())
        return result
