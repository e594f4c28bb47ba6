"""E-mails to the regions and the ministries, each written in its recipient's language."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from regions.models import User
from steering.mail import Rendered, absolute_url, queue_mail, render_mail

from . import hooks
from .calendar import negotiation_calendar
from .models import Negotiation, Reminder, Round

MATERIAL_REMINDER_DAYS = 7


def by_language(recipients: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """(address, language) pairs as one sorted list of addresses per language. An address
    listed twice keeps its first language: callers list people before shared mailboxes."""
    language_of: dict[str, str] = {}
    for address, language in recipients:
        if address:
            language_of.setdefault(address, language)
    groups: dict[str, list[str]] = defaultdict(list)
    for address, language in sorted(language_of.items()):
        groups[language].append(address)
    return dict(sorted(groups.items()))


def user_recipients(users: Iterable[User]) -> list[tuple[str, str]]:
    return [(user.email, user.mail_language) for user in users if user.email]


def region_recipients(negotiation: Negotiation) -> dict[str, list[str]]:
    """The region's staff and its registry mailbox, whoever prepares for the meeting, by
    language: each person's own, the registry in the region's main language."""
    if negotiation.region_id:
        regions = [negotiation.region]
    else:
        regions = list(negotiation.cooperation_area.regions.all())
    staff = User.objects.filter(region__in=regions, is_active=True, email__gt="").select_related(
        "region"
    )
    registries = [(region.registry_email, region.main_language) for region in regions]
    return by_language(user_recipients(staff) + registries)


def participant_recipients(negotiation: Negotiation) -> list[tuple[str, str]]:
    """The people at the table with an account, the chair first: officials, the region's
    own people and experts, each in their own language."""
    users = [negotiation.chair] if negotiation.chair_id else []
    users += [
        participant.user
        for participant in negotiation.participants.select_related("user__region")
        if participant.user_id
    ]
    return user_recipients(user for user in users if user.is_active)


def render_message(
    template: str, negotiation: Negotiation, *, language: str, path: str = "", **context
) -> Rendered:
    """Subject, text and HTML from `<template>_subject.txt`, `.txt` and `.html` in
    `language`; `path` is the page the message links to, without its language prefix."""
    path = path or f"/workspace/negotiations/{negotiation.pk}/"
    return render_mail(
        template,
        language=language,
        context={
            "negotiation": negotiation,
            "round": negotiation.round,
            "path": f"/{language}{path}",
            "link": absolute_url(path, language=language),
            **context,
        },
    )


def send_notice(
    template: str,
    negotiation: Negotiation,
    recipients: dict[str, list[str]],
    *,
    attachments=None,
    **context,
) -> int:
    """One message per language group, each in that language; the number of addresses."""
    for language, addresses in recipients.items():
        rendered = render_message(template, negotiation, language=language, **context)
        queue_mail(rendered, addresses, attachments=attachments)
    return sum(len(addresses) for addresses in recipients.values())


def send_schedule_notice(negotiation_id: int, schedule_version: int, moved: bool) -> int:
    """To the region and to everyone taking part, with the meeting as a calendar entry
    that replaces the earlier one in their calendars (same UID, a higher SEQUENCE)."""
    negotiation = (
        Negotiation.objects.select_related("round", "region", "cooperation_area", "chair")
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
    region = region_recipients(negotiation)
    recipients = by_language(
        participant_recipients(negotiation)
        + [(address, language) for language, group in region.items() for address in group]
    )
    ics = negotiation_calendar(negotiation).decode("utf-8")
    return send_notice(
        "negotiations/email/scheduled",
        negotiation,
        recipients,
        moved=moved,
        attachments=[("negotiation.ics", ics, "text/calendar")],
    )


def send_material_deadline_reminders(today=None) -> int:
    """Remind each region of its negotiation's own material deadline a week ahead, once
    per deadline (a moved deadline is reminded again)."""
    today = today or timezone.localdate()
    due = Negotiation.objects.select_related("round", "region", "cooperation_area").filter(
        status=Negotiation.Status.SCHEDULED,
        round__status=Round.Status.OPEN,
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
                if send_notice(
                    "negotiations/email/material_deadline", negotiation,
                    region_recipients(negotiation),
                    follow_up_reported=reported, follow_up_total=total,
                ):  # fmt: skip
                    sent += 1
        except IntegrityError:
            continue  # already reminded for this deadline
    return sent
