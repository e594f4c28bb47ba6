from celery import shared_task

from . import notifications


@shared_task(name="negotiations.notify_negotiation_schedule", soft_time_limit=30, time_limit=60)
def notify_negotiation_schedule(negotiation_id: int, schedule_version: int, moved: bool) -> int:
    return notifications.send_schedule_notice(negotiation_id, schedule_version, moved)


@shared_task(
    name="negotiations.send_material_deadline_reminders", soft_time_limit=120, time_limit=180
)
def send_material_deadline_reminders() -> int:
    return notifications.send_material_deadline_reminders()
