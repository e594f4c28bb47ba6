"""The ledger: published recommendations and follow-up actions, followed year to year.

Publishing a protocol makes (or, for a correction, updates) one TrackedItem per tracked
outcome item of the version, and applies the version's assessments of earlier items.
After that the region reports progress and officials set the status, each change
attributed in the item's history."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from negotiations.uploads import check_upload, storage_name
from regions.models import Organisation, Topic
from regions.roles import Role, role_of

from ..models import (
    ITEM_TRANSITIONS,
    TRACKED_KINDS,
    ItemEvent,
    ItemReport,
    ItemStatus,
    Publication,
    TrackedItem,
)

Action = ItemEvent.Action


def _event(item, action, by, *, status_from="", status_to="", note=""):
    ItemEvent.objects.create(
        item=item, action=action, by=by, status_from=status_from, status_to=status_to,
        note=note,
    )  # fmt: skip


def _frozen_fields(row: dict, sections: dict, ministries: dict, topics: dict) -> dict:
    ministry = ministries.get(row["ministry"])
    topic = topics.get(row["topic_id"])
    return {
        "number": row["number"],
        "section_heading": sections.get(row["section_id"], ""),
        "kind": row["kind"],
        "text": row["text"],
        "responsible": row["responsible"],
        "ministry": ministry,
        "due_date": date.fromisoformat(row["due_date"]) if row["due_date"] else None,
        "topic": topic,
    }


def ledger_publish(publication: Publication) -> None:
    """Called inside the publishing transaction: the ledger follows the published
    version exactly, including a correction that changes or removes an item."""
    snapshot = publication.version.snapshot
    by = publication.published_by
    sections = {section["id"]: section["heading"] for section in snapshot["sections"]}
    existing = {
        item.source_item_id: item
        for item in TrackedItem.objects.filter(negotiation=publication.negotiation_id)
    }
    rows = snapshot.get("items", [])
    # The names the version froze, read once for all its items.
    ministries = Organisation.objects.in_bulk(
        {row["ministry"] for row in rows if row["ministry"]}, field_name="code"
    )
    topics = Topic.objects.in_bulk({row["topic_id"] for row in rows if row["topic_id"]})
    published_ids = set()
    for row in rows:
        if row["kind"] not in TRACKED_KINDS:
            continue
        published_ids.add(row["id"])
        fields = _frozen_fields(row, sections, ministries, topics)
        item = existing.get(row["id"])
        if item is None:
            item = TrackedItem.objects.create(
                negotiation_id=publication.negotiation_id, source_item_id=row["id"],
                made_in=publication, year=publication.year, round_kind=publication.round_kind,
                region_id=publication.region_id,
                cooperation_area_id=publication.cooperation_area_id,
                language=publication.language, **fields,
            )  # fmt: skip
            _event(item, Action.MADE, by, status_to=item.status)
            continue
        changed = any(getattr(item, name) != value for name, value in fields.items())
        for name, value in fields.items():
            setattr(item, name, value)
        item.made_in, item.removed_at = publication, None
        item.save()
        if changed:
            _event(item, Action.CORRECTED, by, note=publication.correction_note)
    for source_id, item in existing.items():
        if source_id not in published_ids and item.removed_at is None:
            item.removed_at = timezone.now()
            item.save(update_fields=["removed_at"])
            _event(item, Action.REMOVED, by, note=publication.correction_note)
    _apply_assessments(publication, snapshot.get("assessments", []), by)


def _apply_assessments(publication, rows, by) -> None:
    for row in rows:
        item = TrackedItem.objects.select_for_update().filter(pk=row["item_id"]).first()
        if item is None:
            continue
        before = item.status
        item.assessed_status = row["status"]
        item.assessment_text = row["text"]
        item.assessed_in = publication
        item.status = row["status"]
        if row["status"] == ItemStatus.DROPPED:
            item.status_reason = row["text"] or item.status_reason or "–"
        if before != item.status:
            item.status_changed_at = timezone.now()
        item.save()
        _event(
            item, Action.ASSESSED, by, status_from=before, status_to=item.status, note=row["text"]
        )


def _require_in_record(item: TrackedItem) -> None:
    if item.removed_at is not None:
        raise ValidationError(_("A correction removed this item from its protocol."))


@transaction.atomic
def item_report(
    *, item: TrackedItem, by, text: str, upload=None, max_bytes: int | None = None
) -> ItemReport:
    """The region's dated report on its own item (access is checked by the caller's
    access helper); an official's remark goes the same way, marked as the ministry's."""
    item = TrackedItem.objects.select_for_update().get(pk=item.pk)
    _require_in_record(item)
    official = role_of(by) == Role.OFFICIAL
    if item.is_closed and not official:
        raise ValidationError(
            _("The item is %(status)s; reports are closed. Ask the ministry to reopen it.")
            % {"status": item.get_status_display()},
            code="closed",
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the report before sending it.")}, code="empty")
    report = ItemReport(item=item, by=by, by_ministry=official, text=text)
    if upload is None:
        report.save()
    else:
        # Checked by content like any material; the file is removed again if the row
        # cannot be written, so a failed report leaves no orphan behind.
        checked = check_upload(upload, max_bytes=max_bytes or settings.MAX_UPLOAD_MB * 1024 * 1024)
        stored_name = default_storage.save(storage_name(checked), upload)
        report.file, report.original_name = stored_name, checked.original_name
        report.content_type, report.size = checked.content_type, checked.size
        report.sha256 = checked.sha256
        try:
            with transaction.atomic():
                report.save()
        except BaseException:
            default_storage.delete(stored_name)
            raise
    _event(item, Action.REMARKED if official else Action.REPORTED, by, note=text[:500])
    return report


def allowed_statuses(item: TrackedItem) -> list[str]:
    return [status for status in ItemStatus.values if status in ITEM_TRANSITIONS[item.status]]


@transaction.atomic
def item_set_status(*, item: TrackedItem, by, status: str, reason: str = "") -> TrackedItem:
    if role_of(by) != Role.OFFICIAL:
        raise ValidationError(_("Only the ministries' officials set an item's status."))
    item = TrackedItem.objects.select_for_update().get(pk=item.pk)
    _require_in_record(item)
    if status not in ITEM_TRANSITIONS[item.status]:
        raise ValidationError(
            {"status": _("An item that is %(now)s cannot become %(new)s.")
             % {"now": item.get_status_display(), "new": ItemStatus(status).label
                if status in ItemStatus.values else status}},
            code="transition",
        )  # fmt: skip
    reason = (reason or "").strip()
    if status == ItemStatus.DROPPED and not reason:
        raise ValidationError({"reason": _("Say why the item is dropped.")}, code="reason")
    before = item.status
    item.status, item.status_reason = status, reason
    item.status_changed_at = timezone.now()
    item.save(update_fields=["status", "status_reason", "status_changed_at"])
    _event(item, Action.STATUS, by, status_from=before, status_to=status, note=reason)
    return item
