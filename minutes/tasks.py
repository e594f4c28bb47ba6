from celery import shared_task

from . import notifications


@shared_task(name="minutes.notify_review_requested", soft_time_limit=30, time_limit=60)
def notify_review_requested(version_id: int) -> int:
    return notifications.send_review_request(version_id)


@shared_task(name="minutes.notify_review_completed", soft_time_limit=30, time_limit=60)
def notify_review_completed(version_id: int) -> int:
    return notifications.send_review_completed(version_id)


@shared_task(name="minutes.send_review_reminders", soft_time_limit=120, time_limit=180)
def send_review_reminders() -> int:
    return notifications.send_review_reminders()
