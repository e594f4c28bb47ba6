"""E-mails about the minutes: to the region when a version waits for comments or a comment
is answered, to the ministry when the region has finished, to both when the protocol is
published, corrected or withdrawn. Each in its recipient's language."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from negotiations.notifications import (
    by_language,
    participant_recipients,
    region_recipients,
    send_notice,
    user_recipients,
)
from regions.models import User

from .models import (
    Answer,
    ItemReminder,
    Minutes,
    MinutesVersion,
    Publication,
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


def _everyone(negotiation) -> dict[str, list[str]]:
    """The people at the table with an account, then the region's staff and registry."""
    region = region_recipients(negotiation)
    return by_language(
        participant_recipients(negotiation)
        + [(address, language) for language, group in region.items() for address in group]
    )


def send_publication_notice(publication_id: int) -> int:
    """Tell the region and the participants with an account that the protocol (or its
    correction) is public."""
    publication = (
        Publication.objects.select_related("version", "negotiation__round")
        .filter(pk=publication_id, withdrawn_at__isnull=True)
        .first()
    )
    if publication is None:
        return 0
    negotiation = publication.negotiation
    return send_notice(
        "minutes/email/published",
        negotiation,
        _everyone(negotiation),
        version=publication.version,
        publication=publication,
        corrected=bool(publication.correction_note),
        path=f"/protocols/{publication.pk}/",
    )


def send_withdrawal_notice(publication_id: int) -> int:
    """Tell the region and the participants that the protocol has left public view."""
    publication = (
        Publication.objects.select_related("version", "negotiation__round")
        .filter(pk=publication_id, withdrawn_at__isnull=False)
        .first()
    )
    if publication is None:
        return 0
    negotiation = publication.negotiation
    return send_notice(
        "minutes/email/withdrawn",
        negotiation,
        _everyone(negotiation),
        publication=publication,
        path=f"/workspace/minutes/{publication.version.minutes_id}/",
    )


def send_comment_answered(answer_id: int) -> int:
    """Tell the comment's author and the region's people at the table that the ministry
    has answered: only those who are still staff of the negotiating party, since the
    thread is the region's, and without the comment's words (they stay in the portal)."""
    answer = (
        Answer.objects.select_related(
            "comment__author__region",
            "comment__section",
            "comment__version__minutes__negotiation__round",
            "comment__version__minutes__negotiation__region",
            "comment__version__minutes__negotiation__cooperation_area",
        )
        .filter(pk=answer_id)
        .first()
    )
    if answer is None:
        return 0
    comment = answer.comment
    version = comment.version
    negotiation = version.minutes.negotiation
    if negotiation.region_id:
        regions = [negotiation.region_id]
    else:
        regions = list(negotiation.cooperation_area.regions.values_list("pk", flat=True))
    at_table = User.objects.filter(
        participations__negotiation=negotiation, participations__side="region"
    )
    people = [comment.author, *at_table.select_related("region")]
    recipients = by_language(
        user_recipients(user for user in people if user.is_active and user.region_id in regions)
    )
    return send_notice(
        "minutes/email/comment_answered",
        negotiation,
        recipients,
        version=version,
        answer=answer,
        section_heading=(version.section(comment.section_id) or {}).get("heading", ""),
        path=f"/workspace/minutes/{version.minutes_id}/versions/{version.number}/#comment-{comment.pk}",
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
