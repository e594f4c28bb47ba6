"""E-mails to the regions, written in the negotiation's language."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from regions.models import User
from steering.outbox import enqueue

from . import hooks
from .models import Negotiation, Reminder

MATERIAL_REMINDER_DAYS = 7


def region_recipients(negotiation: Negotiation) -> list[str]:
    """The region's registry mailbox and its staff: whoever prepares for the meeting."""
    if negotiation.region_id:
        regions = [negotiation.region]
    else:
        regions = list(negotiation.cooperation_area.regions.all())
    addresses = [region.registry_email for region in regions if region.registry_email]
    addresses += User.objects.filter(region__in=regions, is_active=True, email__gt="").values_list(
        "email", flat=True
    )
    return sorted(set(addresses))


def render_message(template: str, negotiation: Negotiation, **context) -> tuple[str, str]:
    """Subject and body from `<template>_subject.txt` and `<template>.txt`."""
    with translation.override(negotiation.language):
        context = {
            "negotiation": negotiation,
            "round": negotiation.round,
            "site_url": settings.SITE_URL,
            "path": f"/{negotiation.language}/workspace/negotiations/{negotiation.pk}/",
            **context,
        }
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    return " ".join(subject.split()), body


def send_schedule_notice(negotiation_id: int, schedule_version: int, moved: bool) -> int:
    from steering.tasks import send_email

    negotiation = (
        Negotiation.objects.select_related("round", "region", "cooperation_area")
        .filter(pk=negotiation_id)
        .first()
    )
    # A newer change has its own notice on the way; a cancelled meeting needs none.
    if (
        negotiation is None
        or negotiation.is_cancelled
        or negotiation.schedule_version != schedule_version
    ):
        return 0
    recipients = region_recipients(negotiation)
    if not recipients:
        return 0
    subject, body = render_message("negotiations/email/scheduled", negotiation, moved=moved)
    enqueue(send_email, subject=subject, body=body, to=recipients)
    return len(recipients)


def send_material_deadline_reminders(today=None) -> int:
    """Remind each region of its negotiation's own material deadline a week ahead, once
    per deadline (a moved deadline is reminded again)."""
    from steering.tasks import send_email

    today = today or timezone.localdate()
    due = Negotiation.objects.select_related("round", "region", "cooperation_area").filter(
        status=Negotiation.Status.SCHEDULED,
        round__status="open",
        material_deadline__gte=today,
        material_deadline__lte=today + timedelta(days=MATERIAL_REMINDER_DAYS),
    )
    sent = 0
    # Per round, what each party has reported on last year's items (the minutes app
    # knows; None without it): the reminder asks for the missing reports too.
    reporting = {}
    for negotiation in due:
        if negotiation.round_id not in reporting:
            reporting[negotiation.round_id] = hooks.follow_up_reporting(negotiation.round) or {}
        reported, total = reporting[negotiation.round_id].get(negotiation.party.pk, (0, 0))
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    negotiation=negotiation,
                    kind=Reminder.Kind.MATERIAL_DEADLINE,
                    deadline=negotiation.material_deadline,
                )
                recipients = region_recipients(negotiation)
                if recipients:
                    subject, body = render_message(
                        "negotiations/email/material_deadline", negotiation,
                        follow_up_reported=reported, follow_up_total=total,
                    )  # fmt: skip
                    enqueue(send_email, subject=subject, body=body, to=recipients)
                    sent += 1
        except IntegrityError:
            continue  # already reminded for this deadline
    return sent
