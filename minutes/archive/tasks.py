from celery import shared_task

from . import services


@shared_task(
    name="minutes.build_archive",
    acks_late=True,
    # Minutes of copying for a large round; the row moves after every protocol, so
    # services.STALE_MINUTES (longer than this) tells a dead build from a slow one.
    soft_time_limit=30 * 60,
    time_limit=32 * 60,
    # A build must not hold a transaction open that long; `_claim` runs it once.
    outbox_atomic=False,
)
def build_archive(export_id: int) -> str:
    return services.archive_build(export_id)
