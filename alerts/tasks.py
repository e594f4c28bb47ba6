from celery import shared_task

from . import services


@shared_task(name="alerts.send_protocol_alerts", soft_time_limit=120, time_limit=180)
def send_protocol_alerts(publication_id: int, event: str) -> int:
    return services.alerts_send(publication_id, event)


@shared_task(name="alerts.purge_unconfirmed", soft_time_limit=60, time_limit=90)
def purge_unconfirmed() -> int:
    return services.subscriptions_purge_unconfirmed()
