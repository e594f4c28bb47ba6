"""The region's review of a version: comments, the ministry's answers, completion."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steering.outbox import enqueue

from ..models import (
    Answer,
    Comment,
    Minutes,
    MinutesEvent,
    MinutesVersion,
    ReviewCompletion,
    Section,
)
from .drafting import record_event

logger = logging.getLogger(__name__)


def _require_review_open(version: MinutesVersion) -> None:
    # Approval locks the same row, so a comment and an approval cannot cross: the state
    # that counts is the one after the lock, not the one the page was built from.
    Minutes.objects.select_for_update().filter(pk=version.minutes_id).first()
    if not MinutesVersion.objects.open_for_review().filter(pk=version.pk).exists():
        raise ValidationError(
            _("The comment period of this version has ended."), code="review_closed"
        )


def _clean_text(value: str, *, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("Write the comment before sending it.")}, code="empty")
    return value


@transaction.atomic
def comment_add(
    *, version: MinutesVersion, section: Section, by, body: str, quote: str = "",
    item_id: int | None = None,
):  # fmt: skip
    """A region's comment on a section of a version, or on one outcome item of it."""
    _require_review_open(version)
    if section.minutes_id != version.minutes_id or version.section(section.pk) is None:
        raise ValidationError(_("The section is not part of this version."), code="section")
    if item_id is not None and not any(
        item["id"] == item_id and item["section_id"] == section.pk
        for item in version.snapshot.get("items", [])
    ):
        raise ValidationError(
            _("The item is not part of this section in this version."), code="item"
        )
    comment = Comment.objects.create(
        version=version,
        section=section,
        item_id=item_id,
        author=by,
        body=_clean_text(body, field="body"),
        quote=(quote or "").strip(),
    )
    record_event(version.minutes, MinutesEvent.Action.COMMENTED, by, version=version)
    return comment


def _require_own_open_comment(comment: Comment, by) -> None:
    # Under the lock an approval also takes, then the one rule on the state after it.
    Minutes.objects.select_for_update().filter(pk=comment.version.minutes_id).first()
    comment.version.__dict__.pop("review_open", None)
    if refusal := comment.change_refusal(by):
        raise ValidationError(refusal, code="closed")


@transaction.atomic
def comment_update(*, comment: Comment, by, body: str, quote: str = "") -> Comment:
    _require_own_open_comment(comment, by)
    comment.body = _clean_text(body, field="body")
    comment.quote = (quote or "").strip()
    comment.updated_at = timezone.now()
    comment.save(update_fields=["body", "quote", "updated_at"])
    record_event(
        comment.version.minutes, MinutesEvent.Action.COMMENT_EDITED, by, version=comment.version
    )
    return comment


@transaction.atomic
def comment_withdraw(*, comment: Comment, by) -> Comment:
    _require_own_open_comment(comment, by)
    comment.withdrawn_at = timezone.now()
    comment.save(update_fields=["withdrawn_at"])
    record_event(
        comment.version.minutes, MinutesEvent.Action.COMMENT_WITHDRAWN, by, version=comment.version
    )
    return comment


@transaction.atomic
def answer_add(*, comment: Comment, by, decision: str, reason: str = "") -> Answer:
    if comment.is_note:
        raise ValidationError(_("An internal note is not answered."), code="note")
    if comment.is_withdrawn:
        raise ValidationError(_("The comment was withdrawn."), code="withdrawn")
    if comment.version.minutes.is_final:
        raise ValidationError(_("The minutes are already approved."), code="final")
    reason = (reason or "").strip()
    if decision != Answer.Decision.ACCEPTED and not reason:
        raise ValidationError(
            {"reason": _("Give a reason when a comment is not fully accepted.")}, code="reason"
        )
    try:
        with transaction.atomic():
            answer = Answer.objects.create(comment=comment, decision=decision, reason=reason, by=by)
    except IntegrityError:
        raise ValidationError(
            _("This comment has already been answered."), code="answered"
        ) from None
    record_event(comment.version.minutes, MinutesEvent.Action.ANSWERED, by, version=comment.version)
    from ..tasks import notify_comment_answered

    enqueue(notify_comment_answered, answer.pk)
    return answer


@transaction.atomic
def review_complete(*, version: MinutesVersion, by) -> ReviewCompletion:
    _require_review_open(version)
    completion, created = ReviewCompletion.objects.get_or_create(
        version=version, defaults={"by": by}
    )
    if created:
        record_event(version.minutes, MinutesEvent.Action.REVIEW_DONE, by, version=version)
        from ..tasks import notify_review_completed

        enqueue(notify_review_completed, version.pk)
    return completion
