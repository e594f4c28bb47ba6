"""The minutes app's signals, answered with alerts queued in the same transaction."""

from steering.outbox import enqueue


def published(sender, publication, corrected=False, **kwargs):
    from .tasks import send_protocol_alerts

    enqueue(send_protocol_alerts, publication.pk, "corrected" if corrected else "published")


def withdrawn(sender, publication, **kwargs):
    from .tasks import send_protocol_alerts

    enqueue(send_protocol_alerts, publication.pk, "withdrawn")
