"""The minutes' life: drafting, review by the region, answers, approval.

States: draft → in_review → revised → (in_review → revised)* → approved, as the one
table `models.MINUTES_TRANSITIONS` has them. Every transition goes through `move_to`,
which refuses a move the table does not allow and writes the MinutesEvent; each edit is
attributed.
"""

import hashlib
import json
import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from negotiations.models import Negotiation
from steering.outbox import enqueue

from ..markup import render_markup
from ..models import (
    Minutes,
    MinutesEvent,
    MinutesVersion,
    Section,
    minutes_refusal,
)

logger = logging.getLogger(__name__)
Status = Minutes.Status


class StaleMinutes(Exception):
    """Someone saved the minutes after this editor loaded them."""

    def __init__(self, current: Minutes):
        super().__init__("stale minutes")
        self.current = current


def record_event(minutes, action, by, *, version=None, detail="", data=None) -> MinutesEvent:
    return MinutesEvent.objects.create(
        minutes=minutes, action=action, by=by, version=version, detail=detail, data=data or {}
    )


def require_move(minutes: Minutes, status, action) -> None:
    """Refuse now, before any work, a move that `move_to` would refuse at the end."""
    if refusal := minutes_refusal(minutes, status, action):
        raise refusal


def move_to(minutes: Minutes, status, action, by, *, version=None, detail="") -> MinutesEvent:
    """The one way minutes change state: allowed by MINUTES_TRANSITIONS (else
    TransitionRefused), the new status saved, and its history row."""
    require_move(minutes, status, action)
    minutes.status = status
    minutes.save(update_fields=["status"])
    return record_event(minutes, action, by, version=version, detail=detail)


def require_editable(minutes: Minutes) -> None:
    """The working copy changes only while the minutes are drafted or revised."""
    if not minutes.is_editable:
        raise ValidationError(
            _("This cannot be done while the minutes are %(status)s.")
            % {"status": minutes.get_status_display()},
            code="invalid_state",
        )


@transaction.atomic
def minutes_start(*, negotiation: Negotiation, by) -> Minutes:
    if negotiation.is_cancelled:
        raise ValidationError(_("A cancelled negotiation has no minutes."), code="cancelled")
    if Minutes.objects.filter(negotiation=negotiation).exists():
        raise ValidationError(_("The minutes have already been started."), code="exists")
    minutes = Minutes.objects.create(
        negotiation=negotiation,
        language=negotiation.language,
        updated_by=by,
    )
    from ..record import participants_prefill

    participants_prefill(minutes)
    Section.objects.bulk_create(
        Section(
            minutes=minutes, agenda_item=item, position=item.position, heading=item.title,
            role=item.role,
        )
        for item in negotiation.agenda_items.order_by("position")
    )  # fmt: skip
    from .outcomes import assessments_prefill

    assessments_prefill(minutes)
    record_event(minutes, MinutesEvent.Action.CREATED, by)
    return minutes


@transaction.atomic
def minutes_save_text(
    *, minutes: Minutes, by, expected_revision: int, participants: str,
    sections: dict[int, str],
) -> Minutes:  # fmt: skip
    """Save the whole text at once, only if nobody saved in between (else StaleMinutes)."""
    # Lock and re-read: the state and the revision that count are the ones in the
    # database now, not the ones the editor's page was built from. The row alone: with
    # a join, PostgreSQL re-checks the joined user after the wait, and a winner who
    # changed updated_by made the row vanish for the loser (DoesNotExist, a 500).
    current = Minutes.objects.select_for_update().get(pk=minutes.pk)
    require_editable(current)
    if current.revision != expected_revision:
        raise StaleMinutes(current)
    changed = {}
    if current.participants != participants:
        changed["participants"] = True
    current.participants = participants
    current.revision += 1
    current.updated_by, current.updated_at = by, timezone.now()
    current.save(update_fields=["participants", "revision", "updated_by", "updated_at"])
    for section in current.sections.all():
        body = sections.get(section.pk)
        if body is not None and body != section.body:
            section.body = body
            section.save(update_fields=["body"])
            changed.setdefault("sections", []).append(
                {"id": section.pk, "heading": section.heading}
            )
    if changed:
        record_event(current, MinutesEvent.Action.EDITED, by, data=changed)
    return current


def snapshot(minutes: Minutes) -> dict:
    """The content of the minutes as plain data, with the HTML every reader will see."""
    from ..record import snapshot_record
    from ..translation import snapshot_translation
    from .outcomes import snapshot_outcomes

    translated = snapshot_translation(minutes)
    # Only bilingual minutes carry the key, so a monolingual version's content (and its
    # checksum) is what it was before translations existed.
    extra = {"translation": translated} if translated else {}
    return {
        "language": minutes.language,
        "participants": minutes.participants,
        "participants_html": render_markup(minutes.participants),
        "sections": [
            {
                "id": section.pk,
                "position": section.position,
                "heading": section.heading,
                "body": section.body,
                "html": render_markup(section.body),
                "role": section.role,
            }
            for section in minutes.sections.order_by("position")
        ],
        **snapshot_outcomes(minutes),
        **snapshot_record(minutes),
        **extra,
    }


def content_sha256(content: dict) -> str:
    """A version's fingerprint: the same for its snapshot read back from the database, so
    `manage.py verify_records` can tell that a restored text is the one frozen."""
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def _freeze(minutes: Minutes, by, *, approved: bool, review_deadline=None) -> MinutesVersion:
    content = snapshot(minutes)
    digest = content_sha256(content)
    number = (minutes.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    return MinutesVersion.objects.create(
        minutes=minutes,
        number=number,
        approved=approved,
        snapshot=content,
        content_sha256=digest,
        review_deadline=review_deadline,
        created_by=by,
    )


def latest_review_version(minutes: Minutes) -> MinutesVersion | None:
    return minutes.versions.filter(approved=False).order_by("-number").first()


@transaction.atomic
def minutes_send_for_review(*, minutes: Minutes, by) -> MinutesVersion:
    minutes = (
        Minutes.objects.select_for_update().select_related("negotiation__round").get(pk=minutes.pk)
    )
    require_move(minutes, Status.IN_REVIEW, MinutesEvent.Action.SENT)
    deadline = timezone.localdate() + timedelta(days=minutes.negotiation.round.comment_period_days)
    version = _freeze(minutes, by, approved=False, review_deadline=deadline)
    move_to(minutes, Status.IN_REVIEW, MinutesEvent.Action.SENT, by, version=version)
    from ..tasks import notify_review_requested

    enqueue(notify_review_requested, version.pk)
    return version


@transaction.atomic
def minutes_start_revision(*, minutes: Minutes, by) -> Minutes:
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    move_to(minutes, Status.REVISED, MinutesEvent.Action.REVISING, by)
    return minutes


def review_days_left(minutes: Minutes) -> int | None:
    """Days left of the region's open comment period (0 on its last day), or None when
    no period is open: approving before then cuts the region's review short."""
    latest = latest_review_version(minutes)
    if latest is None or not latest.review_open:
        return None
    return (latest.review_deadline - timezone.localdate()).days


def open_comments(version: MinutesVersion):
    # The ministry's internal notes wait for no answer.
    return version.comments.awaiting_answer()


@transaction.atomic
def minutes_approve(*, minutes: Minutes, by, override_reason: str = "") -> MinutesVersion:
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    require_move(minutes, Status.APPROVED, MinutesEvent.Action.APPROVED)
    latest = latest_review_version(minutes)
    unanswered = open_comments(latest).count() if latest else 0
    override_reason = override_reason.strip()
    if unanswered and not override_reason:
        raise ValidationError(
            ngettext(
                "%(count)s comment has no answer yet. Answer it, or give a reason for "
                "approving anyway.",
                "%(count)s comments have no answer yet. Answer them, or give a reason for "
                "approving anyway.",
                unanswered,
            )
            % {"count": unanswered},
            code="open_comments",
        )
    from ..translation import require_complete

    # Both languages are approved together or not at all.
    require_complete(snapshot(minutes))
    version = _freeze(minutes, by, approved=True)
    detail = override_reason if unanswered else ""
    move_to(
        minutes, Status.APPROVED, MinutesEvent.Action.APPROVED, by, version=version, detail=detail
    )
    from .protocols import protocol_request

    protocol_request(version=version)
    logger.info("minutes %s approved as version %s by user %s", minutes.pk, version.number, by.pk)
    return version


# --- The region's review ------------------------------------------------------------------
