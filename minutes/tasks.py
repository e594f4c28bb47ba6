import logging

from celery import shared_task
from celery.signals import worker_ready
from django import db

from . import notifications
from .services import protocols

logger = logging.getLogger(__name__)


@shared_task(name="minutes.notify_review_requested", soft_time_limit=30, time_limit=60)
def notify_review_requested(version_id: int) -> int:
    return notifications.send_review_request(version_id)


@shared_task(name="minutes.notify_published", soft_time_limit=30, time_limit=60)
def notify_published(publication_id: int) -> int:
    return notifications.send_publication_notice(publication_id)


@shared_task(name="minutes.notify_withdrawn", soft_time_limit=30, time_limit=60)
def notify_withdrawn(publication_id: int) -> int:
    return notifications.send_withdrawal_notice(publication_id)


@shared_task(name="minutes.notify_comment_answered", soft_time_limit=30, time_limit=60)
def notify_comment_answered(answer_id: int) -> int:
    return notifications.send_comment_answered(answer_id)


@shared_task(name="minutes.notify_review_completed", soft_time_limit=30, time_limit=60)
def notify_review_completed(version_id: int) -> int:
    return notifications.send_review_completed(version_id)


@shared_task(name="minutes.send_review_reminders", soft_time_limit=120, time_limit=180)
def send_review_reminders() -> int:
    return notifications.send_review_reminders()


@shared_task(name="minutes.send_item_due_reminders", soft_time_limit=120, time_limit=180)
def send_item_due_reminders() -> int:
    return notifications.send_item_due_reminders()


@shared_task(
    name="minutes.render_protocol",
    acks_late=True,
    autoretry_for=(protocols.TransientStorageError,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=6,
    soft_time_limit=60,
    time_limit=90,
    # A render must not hold a transaction open; it guards itself against doing its
    # work twice (protocols._claim).
    outbox_atomic=False,
)
def render_protocol(version_id: int, language: str) -> str:
    return protocols.protocol_render(version_id, language)


@shared_task(name="minutes.reconcile_protocols", soft_time_limit=120, time_limit=180)
def reconcile_protocols() -> int:
    return protocols.protocols_reconcile()


@worker_ready.connect
def _reconcile_on_start(**kwargs):
    """A worker that starts (or restarts after being killed) takes over at once the renders
    whose worker is gone, instead of waiting for the reconciler's next run."""
    try:
        protocols.protocols_reconcile()
    except Exception:  # the beat's next run tries again; a worker must still start
        logger.exception("protocol reconciler failed at worker start")
    finally:
        db.connections.close_all()


@shared_task(name="minutes.invalidate_public_pages", soft_time_limit=30, time_limit=60)
def invalidate_public_pages_task() -> None:
    """An invalidation the cache was down for; raising keeps its outbox row for a retry."""
    from django.core.cache import caches

    from .public.cache import ALIAS

    caches[ALIAS].clear()


from .archive.tasks import build_archive  # noqa: E402, F401 - autodiscovery reads this module
