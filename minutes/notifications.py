"""E-mails about reviews: to the region when a version waits for comments, to the
ministry when the region has finished. Each in its recipient's language."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from negotiations.notifications import by_language, region_recipients, send_notice, user_recipients

from .models import (
    ItemReminder,
    Minutes,
    MinutesVersion,
    ReviewCompletion,
    ReviewReminder,
    TrackedItem,
)

REMIND_DAYS_BEFORE = 3


def _version(version_id):
    return (
        MinutesVersion.objects.select_related(
            "minutes__negotiation__round",
            "minutes__negotiation__region",
            "minutes__negotiation__cooperation_area",
            "minutes__negotiation__chair",
            "minutes__updated_by",
        )
        .filter(pk=version_id)
        .first()
    )


def _send(template, version, recipients) -> int:
    return send_notice(
        template,
        version.minutes.negotiation,
        recipients,
        version=version,
        path=f"/workspace/minutes/{version.minutes_id}/versions/{version.number}/",
    )


def send_review_request(version_id: int) -> int:
    version = _version(version_id)
    if version is None:
        return 0
    return _send(
        "minutes/email/review_requested", version, region_recipients(version.minutes.negotiation)
    )


def send_review_completed(version_id: int) -> int:
    version = _version(version_id)
    if version is None:
        return 0
    minutes = version.minutes
    officials = [user for user in (minutes.negotiation.chair, minutes.updated_by) if user]
    return _send("minutes/email/review_completed", version, by_language(user_recipients(officials)))


def send_review_reminders(today=None) -> int:
    """Remind regions that have neither commented nor said "no comments", once per version,
    in the last days of the comment period."""
    today = today or timezone.localdate()
    candidates = MinutesVersion.objects.filter(
        approved=False,
        review_deadline__gte=today,
        review_deadline__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
        minutes__status__in=[Minutes.Status.IN_REVIEW, Minutes.Status.REVISED],
    ).select_related("minutes__negotiation__round")
    sent = 0
    for version in candidates:
        newest = version.minutes.versions.order_by("-number").values_list("pk", flat=True)[:1]
        if version.pk not in list(newest) or version.comments.threads().exists():
            continue
        if ReviewCompletion.objects.filter(version=version).exists():
            continue
        try:
            with transaction.atomic():
                ReviewReminder.objects.create(version=version)
                recipients = region_recipients(version.minutes.negotiation)
                if _send("minutes/email/review_reminder", version, recipients):
                    sent += 1
        except IntegrityError:
            continue
    return sent


def send_publication_notice(publication_id: int) -> int:
    """Tell the region and the participants with an account that the protocol is public."""
    from .models import Publication

    publication = (
        Publication.objects.select_related("version", "negotiation__round")
        .filter(pk=publication_id, withdrawn_at__isnull=True)
        .first()
    )
    if publication is None:
        return 0
    negotiation = publication.negotiation
    participants = [
        p.user for p in negotiation.participants.select_related("user__region") if p.user_id
    ]
    region = region_recipients(negotiation)
    recipients = by_language(
        user_recipients(participants)
        + [(address, language) for language, group in region.items() for address in group]
    )
    return send_notice(
        "minutes/email/published",
        negotiation,
        recipients,
        version=publication.version,
        path=f"/protocols/{publication.pk}/",
    )


def send_item_due_reminders(today=None) -> int:
    """Remind the region of each open item FOLLOW_UP_REMINDER_DAYS before its due date,
    once per item and due date, in each recipient's language."""
    today = today or timezone.localdate()
    due = (
        TrackedItem.objects.still_open()
        .filter(
            due_date__gte=today,
            due_date__lte=today + timedelta(days=settings.FOLLOW_UP_REMINDER_DAYS),
            made_in__withdrawn_at__isnull=True,
        )
        .select_related(
            "negotiation__round", "negotiation__region", "negotiation__cooperation_area"
        )
        .order_by("due_date", "pk")
    )
    sent = 0
    for item in due:
        try:
            with transaction.atomic():
                ItemReminder.objects.create(item=item, due_date=item.due_date)
                if send_notice(
                    "minutes/email/item_due", item.negotiation,
                    region_recipients(item.negotiation), item=item,
                    path=f"/workspace/follow-up/items/{item.pk}/",
                ):  # fmt: skip
                    sent += 1
        except IntegrityError:
            continue  # already reminded for this due date
    return sent
