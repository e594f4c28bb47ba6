"""Outcome items in the working copy of the minutes: conclusions, recommendations and
agreed follow-up actions under their sections, and the assessments of the previous
negotiations' items. Frozen into each version by `snapshot_outcomes`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _

from negotiations.models import Round

from ..models import (
    ItemAssessment,
    ItemReport,
    ItemStatus,
    Minutes,
    MinutesEvent,
    OutcomeItem,
    OutcomeKind,
    Responsible,
    Section,
    TrackedItem,
)
from .drafting import minutes_save_text, record_event, require_editable

ITEM_FIELDS = ("section", "kind", "text", "responsible", "ministry", "due_date", "topic")


def outcome_errors(minutes: Minutes, fields: dict) -> dict:
    """The one rule for an outcome item, used by the forms and the services: its section
    is one of these minutes', its text is there, a named ministry is a ministry, and a
    due date is not before the negotiation. Errors by field, empty when valid."""
    errors = {}
    section = fields.get("section")
    if section is not None and section.minutes_id != minutes.pk:
        errors["section"] = _("The section is not part of these minutes.")
    if not (fields.get("text") or "").strip():
        errors["text"] = _("Write the text of the item.")
    if fields.get("kind") not in OutcomeKind.values:
        errors["kind"] = _("Choose the kind of the item.")
    if fields.get("responsible", Responsible.REGION) not in Responsible.values:
        errors["responsible"] = _("Choose who is responsible.")
    ministry = fields.get("ministry")
    if ministry is not None and ministry.kind != "ministry":
        errors["ministry"] = _("Choose a ministry.")
    due = fields.get("due_date")
    held = timezone.localtime(minutes.negotiation.starts_at).date()
    if due is not None and due < held:
        errors["due_date"] = _("The due date cannot be before the negotiation (%(date)s).") % {
            "date": held.strftime("%d.%m.%Y")
        }
    return errors


def _check(minutes: Minutes, fields: dict) -> None:
    require_editable(minutes)
    errors = outcome_errors(minutes, fields)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def outcome_add(*, minutes: Minutes, by, **fields) -> OutcomeItem:
    _check(minutes, fields)
    section = fields["section"]
    last = section.items.aggregate(last=Max("position"))["last"] or 0
    item = OutcomeItem.objects.create(
        minutes=minutes, position=last + 1, **{**fields, "text": fields["text"].strip()}
    )
    record_event(minutes, MinutesEvent.Action.ACTION_ADDED, by, detail=item.text[:200])
    return item


@transaction.atomic
def outcome_update(*, item: OutcomeItem, by, **fields) -> OutcomeItem:
    merged = {name: getattr(item, name) for name in ITEM_FIELDS} | fields
    _check(item.minutes, merged)
    if merged["section"].pk != item.section_id:
        last = merged["section"].items.aggregate(last=Max("position"))["last"] or 0
        item.position = last + 1
    for name in ITEM_FIELDS:
        setattr(item, name, merged[name])
    item.text = item.text.strip()
    item.save()
    record_event(item.minutes, MinutesEvent.Action.ACTION_CHANGED, by, detail=item.text[:200])
    return item


@transaction.atomic
def outcome_remove(*, item: OutcomeItem, by) -> None:
    require_editable(item.minutes)
    record_event(item.minutes, MinutesEvent.Action.ACTION_REMOVED, by, detail=item.text[:200])
    item.delete()


class EditorRefused(Exception):
    """Some item of an editor save was refused: nothing of the save was kept. `errors`
    maps the editor's row (its form prefix) to the ValidationError."""

    def __init__(self, errors: dict[str, ValidationError]):
        super().__init__(errors)
        self.errors = errors


@transaction.atomic
def minutes_save_editor(
    *, minutes: Minutes, by, expected_revision: int, participants: str,
    sections: dict[int, str], items: list[dict], assessments: list[dict],
    record: dict | None = None,
) -> Minutes:  # fmt: skip
    """The editor's save: the text, the outcome items and the assessments together, or
    nothing. The text's revision check (StaleMinutes) guards the items too, since the
    editor is the only place they change.

    `items`: {"key", "item" (None for a new one), "section", "remove", "fields"};
    `assessments`: {"key", "assessment", "status", "text"}."""
    current = minutes_save_text(
        minutes=minutes, by=by, expected_revision=expected_revision,
        participants=participants, sections=sections,
    )  # fmt: skip
    errors = {}
    for row in items:
        try:
            if row["item"] is None:
                outcome_add(minutes=current, by=by, section=row["section"], **row["fields"])
            elif row["remove"]:
                outcome_remove(item=row["item"], by=by)
            else:
                outcome_update(item=row["item"], by=by, **row["fields"])
        except ValidationError as error:
            errors[row["key"]] = error
    for row in assessments:
        try:
            assessment_update(
                assessment=row["assessment"], by=by, status=row["status"], text=row["text"]
            )
        except ValidationError as error:
            errors[row["key"]] = error
    if record is not None:
        from ..record import record_save

        try:
            if record_save(minutes=current, **record):
                # Said in the history as an edit of the participants (the record's rows
                # and numbers are the protocol's head, where the participants are).
                record_event(current, MinutesEvent.Action.EDITED, by, data={"participants": True})
        except ValidationError as error:
            errors["record"] = error
    if errors:
        raise EditorRefused(errors)
    return current


# --- The previous negotiations' items ------------------------------------------------------


def carried_into(round):
    """Every party's items a round carries: of an earlier year of the same kind of round,
    still open or in progress. The one rule for what "carried" means."""
    return TrackedItem.objects.still_open().filter(round_kind=round.kind, year__lt=round.year)


def carried_items(negotiation):
    """What the previous negotiations of the same party and kind left open, oldest first."""
    return (
        carried_into(negotiation.round)
        .of_party(negotiation.party)
        .select_related("made_in", "topic", "ministry")
        .order_by("year", "number", "pk")
    )


def follow_up_reporting(round) -> dict:
    """Per party of `round` (its pk): how many of the items the round carries the region
    has reported on since the protocol that last spoke of them, and how many there are.

    That protocol is the latest earlier-year one that assessed the item, else the one that
    made it (a protocol of this round's own negotiations does not count: the reports are
    for it). One query, whatever the number of parties."""
    since = Case(
        When(
            assessed_in__isnull=False,
            assessed_in__negotiation__round__year__lt=round.year,
            then=F("assessed_in__published_at"),
        ),
        default=F("made_in__published_at"),
    )
    reported = ItemReport.objects.filter(
        item=OuterRef("pk"), by_ministry=False, at__gt=OuterRef("since")
    )
    party = "region_id" if round.kind == Round.Kind.REGION else "cooperation_area_id"
    rows = (
        carried_into(round)
        .annotate(since=since)
        .annotate(reported=Exists(reported))
        .values(party)
        .annotate(total=Count("pk"), reported_count=Count("pk", filter=Q(reported=True)))
        .order_by()
    )
    return {row[party]: (row["reported_count"], row["total"]) for row in rows}


def follow_up_section(minutes: Minutes) -> Section | None:
    from negotiations.models import AgendaRole

    return minutes.sections.filter(role=AgendaRole.PREVIOUS_FOLLOW_UP).order_by("position").first()


def assessments_prefill(minutes: Minutes) -> int:
    """Give the follow-up section one assessment per carried item, at its current status
    (for the official to confirm or change). Items already there are kept as written."""
    section = follow_up_section(minutes)
    if section is None:
        return 0
    have = set(minutes.assessments.values_list("item_id", flat=True))
    rows = [
        ItemAssessment(minutes=minutes, section=section, item=item, status=item.status)
        for item in carried_items(minutes.negotiation)
        if item.pk not in have
    ]
    ItemAssessment.objects.bulk_create(rows)
    return len(rows)


def assessment_errors(status: str, text: str) -> dict:
    """The one rule for an assessment, used by the editor's form and the service: a
    known status, and a dropped item says why. Errors by field, empty when valid."""
    if status not in ItemStatus.values:
        return {"status": _("Choose the status.")}
    if status == ItemStatus.DROPPED and not (text or "").strip():
        return {"text": _("Say why the item is dropped.")}
    return {}


@transaction.atomic
def assessment_update(*, assessment: ItemAssessment, by, status: str, text: str):
    require_editable(assessment.minutes)
    errors = assessment_errors(status, text)
    if errors:
        raise ValidationError(errors)
    text = (text or "").strip()
    if (assessment.status, assessment.text) == (status, text):
        return assessment
    assessment.status, assessment.text = status, text
    assessment.save(update_fields=["status", "text"])
    record_event(
        assessment.minutes, MinutesEvent.Action.ASSESSED, by,
        data={"item": assessment.item.number, "status": assessment.status},
    )  # fmt: skip
    return assessment


# --- Freezing -------------------------------------------------------------------------------


def snapshot_outcomes(minutes: Minutes) -> dict:
    """Items and assessments as plain data, with names in every language, so a Swedish
    protocol names its ministry and topic in Swedish however it is read later."""
    positions = {}
    items = []
    for item in minutes.items.select_related("section", "ministry", "topic").order_by(
        "section__position", "position", "pk"
    ):
        count = positions[item.section_id] = positions.get(item.section_id, 0) + 1
        items.append(
            {
                "id": item.pk,
                "section_id": item.section_id,
                "number": f"{item.section.position}.{count}",
                "kind": item.kind,
                "text": item.text,
                "responsible": item.responsible,
                "ministry": item.ministry.code if item.ministry else None,
                "ministry_names": item.ministry.names if item.ministry else None,
                "due_date": item.due_date.isoformat() if item.due_date else None,
                "topic_id": item.topic_id,
                "topic_names": item.topic.names if item.topic else None,
            }
        )
    assessments = [
        {
            "id": assessment.pk,
            "section_id": assessment.section_id,
            "item_id": assessment.item_id,
            "item_year": assessment.item.year,
            "item_number": assessment.item.number,
            "item_kind": assessment.item.kind,
            "item_text": assessment.item.text,
            "status": assessment.status,
            "text": assessment.text,
        }
        for assessment in minutes.assessments.select_related("item").order_by(
            "item__year", "item__number", "pk"
        )
    ]
    return {"items": items, "assessments": assessments}
