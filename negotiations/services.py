"""What officials and region staff do with rounds, negotiations, agendas and material.

Each function is one transaction, checks the state it starts from and leaves a trace
(history row or attribution). Views and tasks only turn input into these calls.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import SAMI_LANGUAGES, Publicity, SecrecyGround
from steering.outbox import enqueue

from .dates import date_range_error, round_year_error
from .models import (
    ROUND_TRANSITIONS,
    AgendaItem,
    Document,
    DocumentEvent,
    Negotiation,
    Participant,
    Round,
    RoundEvent,
    material_deadline_error,
    negotiation_times_error,
)
from .uploads import check_upload, storage_name
from .workdays import shifted_one_year

logger = logging.getLogger(__name__)


# --- Rounds -------------------------------------------------------------------------------


def round_open(*, by, **fields) -> Round:
    return _round_create(by=by, fields=fields, action=RoundEvent.Action.OPENED)


@transaction.atomic
def _round_create(*, by, fields, action, note: str = "") -> Round:
    """The one way a round comes to be: validated as a whole (one per year and kind is
    the model's constraint, with its message), with its history row."""
    round_ = Round(created_by=by, **fields)
    round_.full_clean()
    try:
        # Two officials saving the same year at once: the constraint decides, in words.
        with transaction.atomic():
            round_.save()
    except IntegrityError:
        round_.validate_constraints()
        raise
    RoundEvent.objects.create(round=round_, action=action, by=by, note=note)
    return round_


ROUND_DATE_FIELDS = ("material_deadline", "window_start", "window_end", "publication_target")


def round_next_proposal(round: Round) -> dict:
    """Next year's round as this one would be a year on, unsaved, for the official to
    review: the same kind, comment period and agenda template, every date a year later
    and off weekends and public holidays (to the next working day)."""
    return {
        "year": round.year + 1,
        "kind": round.kind,
        **{name: shifted_one_year(getattr(round, name)) for name in ROUND_DATE_FIELDS},
        "comment_period_days": round.comment_period_days,
        "agenda_template": round.agenda_template,
    }


def round_next_existing(round: Round) -> Round | None:
    return Round.objects.filter(year=round.year + 1, kind=round.kind).first()


def round_create_next(*, round: Round, by, **fields) -> Round:
    """Save the reviewed proposal as a new round, under the same rules as opening one."""
    return _round_create(
        by=by, fields=fields, action=RoundEvent.Action.CARRIED_OVER, note=str(round)
    )


@transaction.atomic
def round_update(*, round: Round, by, **fields) -> Round:
    stored = Round.objects.select_for_update().get(pk=round.pk)
    # Published protocols carry the round's year and kind (lists, feeds, document
    # identifiers, the PDFs themselves): once one is out, those are part of the record.
    changed = [
        name
        for name in ("year", "kind")
        if name in fields and fields[name] != getattr(stored, name)
    ]
    if changed and stored.negotiations.filter(publications__isnull=False).exists():
        message = _("Protocols of this round have been published; its year and kind stay.")
        raise ValidationError({name: message for name in changed}, code="published")
    for name, value in fields.items():
        setattr(round, name, value)
    round.full_clean()
    round.save()
    RoundEvent.objects.create(round=round, action=RoundEvent.Action.EDITED, by=by)
    _public_schedule_changed()
    return round


def round_close(*, round: Round, by, note: str = "") -> Round:
    return round_move(
        round, Round.Status.CLOSED, by, note, refusal=_("Only an open round can be closed.")
    )


def round_reopen(*, round: Round, by, note: str = "") -> Round:
    return round_move(
        round, Round.Status.OPEN, by, note, refusal=_("Only a closed round can be reopened.")
    )


@transaction.atomic
def round_move(round: Round, target, by, note="", *, refusal) -> Round:
    """The one way a round changes status: refused unless ROUND_TRANSITIONS allows it
    from the status in the database now, with the history row the table names."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    action = ROUND_TRANSITIONS.get(round.status, {}).get(target)
    if action is None:
        raise ValidationError(refusal, code="invalid_state")
    round.status = target
    round.save(update_fields=["status"])
    RoundEvent.objects.create(round=round, action=action, by=by, note=note)
    _public_schedule_changed()
    return round


# --- Scheduling ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A participant who has no login: a name, a title and where they come from."""

    side: str
    name: str
    title: str = ""
    organisation: str = ""


def booking_conflicts(*, users, starts_at, ends_at, exclude_pk=None):
    """Scheduled negotiations that overlap [starts_at, ends_at) for any of `users`."""
    user_ids = {user.pk for user in users if user is not None}
    if not user_ids:
        return Negotiation.objects.none()
    overlapping = Negotiation.objects.filter(
        status=Negotiation.Status.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exclude(pk=exclude_pk)
    return (
        overlapping.filter(chair_id__in=user_ids)
        | overlapping.filter(secretary_id__in=user_ids)
        | overlapping.filter(participants__user_id__in=user_ids)
    ).distinct()


def _people_of(negotiation_fields: dict, officials, region_people) -> list:
    return [
        negotiation_fields.get("chair"),
        negotiation_fields.get("secretary"),
        *officials,
        *region_people,
    ]


def _check_schedule(*, round, fields, officials, region_people, exclude_pk=None):
    if not round.is_open:
        raise ValidationError(_("The round is closed."), code="round_closed")
    starts_at, ends_at = fields["starts_at"], fields["ends_at"]
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if message := date_range_error(value):
            raise ValidationError({name: message}, code="date_out_of_range")
    if message := round_year_error(round.year, starts_at):
        raise ValidationError({"starts_at": message}, code="far_from_round_year")
    if message := negotiation_times_error(starts_at, ends_at):
        raise ValidationError({"ends_at": message}, code="end_before_start")
    deadline_error = material_deadline_error(fields.get("material_deadline"), starts_at)
    if deadline_error:
        raise ValidationError({"material_deadline": deadline_error}, code="deadline_after")
    conflicts = booking_conflicts(
        users=_people_of(fields, officials, region_people),
        starts_at=starts_at,
        ends_at=ends_at,
        exclude_pk=exclude_pk,
    )
    if conflicts.exists():
        clash = conflicts.select_related("region", "cooperation_area").first()
        raise ValidationError(
            _(
                "Someone in this negotiation is already booked for %(party)s at an "
                "overlapping time (%(when)s)."
            )
            % {
                "party": clash.party,
                "when": timezone.localtime(clash.starts_at).strftime("%d.%m.%Y %H:%M"),
            },
            code="double_booking",
        )


def outside_window(round: Round, starts_at: datetime, ends_at: datetime) -> bool:
    local_start = timezone.localtime(starts_at).date()
    local_end = timezone.localtime(ends_at).date()
    return local_start < round.window_start or local_end > round.window_end


def _save_participants(negotiation, *, officials, region_people, others):
    """Replace the participant list: people with a login keep their name and title as
    they are now, so the minutes show who sat at the table even if the account changes."""
    negotiation.participants.all().delete()
    rows = [
        Participant(
            negotiation=negotiation,
            user=user,
            side=side,
            name=user.get_full_name() or user.username,
            title=user.title,
            organisation=str(home) if home else "",
        )
        for side, people, home_of in (
            (Participant.Side.MINISTRY, officials, lambda u: u.organisation),
            (Participant.Side.REGION, region_people, lambda u: u.region),
        )
        for user in people
        for home in [home_of(user)]
    ]
    rows += [
        Participant(
            negotiation=negotiation,
            side=person.side,
            name=person.name,
            title=person.title,
            organisation=person.organisation,
        )
        for person in others
    ]
    Participant.objects.bulk_create(rows)


def _agenda_from_template(negotiation: Negotiation) -> None:
    template = negotiation.round.agenda_template
    if template is None:
        return
    title_field = "title_sv" if negotiation.language == "sv" else "title_fi"
    AgendaItem.objects.bulk_create(
        AgendaItem(
            negotiation=negotiation,
            position=index,
            title=getattr(item, title_field),
            responsible=item.responsible,
            role=item.role,
        )
        for index, item in enumerate(template.items.order_by("position"), start=1)
    )


def _public_schedule_changed() -> None:
    """The front page and the public calendar show the schedule."""
    from .signals import schedule_changed

    schedule_changed.send(sender=Negotiation)


def _notify_schedule(negotiation: Negotiation, *, moved: bool) -> None:
    from .tasks import notify_negotiation_schedule

    _public_schedule_changed()
    enqueue(notify_negotiation_schedule, negotiation.pk, negotiation.schedule_version, moved)


def _default_deadline(round: Round, starts_at) -> date:
    """The round's material deadline, but never after this meeting itself."""
    return min(round.material_deadline, timezone.localtime(starts_at).date())


@transaction.atomic
def negotiation_schedule(
    *,
    round: Round,
    by,
    region=None,
    cooperation_area=None,
    officials=(),
    region_people=(),
    others=(),
    **fields,
) -> Negotiation:
    """Schedule the round's negotiation with one party, its agenda started from the template."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    _check_schedule(round=round, fields=fields, officials=officials, region_people=region_people)
    party = region or cooperation_area
    language = fields.pop("language", None) or getattr(party, "main_language", "fi")
    if not fields.get("material_deadline"):
        fields["material_deadline"] = _default_deadline(round, fields["starts_at"])
    negotiation = Negotiation(
        round=round, region=region, cooperation_area=cooperation_area, language=language, **fields
    )
    negotiation.full_clean()
    negotiation.save()
    _save_participants(negotiation, officials=officials, region_people=region_people, others=others)
    _agenda_from_template(negotiation)
    logger.info("negotiation %s scheduled by user %s", negotiation.pk, by.pk)
    _notify_schedule(negotiation, moved=False)
    return negotiation


SCHEDULE_FIELDS = ("starts_at", "ends_at", "place", "video_link")


@transaction.atomic
def negotiation_update(
    *, negotiation: Negotiation, by, officials=(), region_people=(), others=(), **fields
) -> Negotiation:
    negotiation = Negotiation.objects.select_for_update().get(pk=negotiation.pk)
    if negotiation.is_cancelled:
        raise ValidationError(_("A cancelled negotiation cannot be changed."), code="cancelled")
    _check_schedule(
        round=negotiation.round,
        fields=fields,
        officials=officials,
        region_people=region_people,
        exclude_pk=negotiation.pk,
    )
    if "material_deadline" in fields and not fields["material_deadline"]:
        fields["material_deadline"] = _default_deadline(negotiation.round, fields["starts_at"])
    moved = any(
        name in fields and getattr(negotiation, name) != fields[name] for name in SCHEDULE_FIELDS
    )
    for name, value in fields.items():
        setattr(negotiation, name, value)
    if moved:
        negotiation.schedule_version += 1
    negotiation.full_clean()
    negotiation.save()
    _save_participants(negotiation, officials=officials, region_people=region_people, others=others)
    logger.info("negotiation %s updated by user %s (moved=%s)", negotiation.pk, by.pk, moved)
    if moved:
        _notify_schedule(negotiation, moved=True)
    return negotiation


@transaction.atomic
def negotiation_cancel(*, negotiation: Negotiation, by) -> Negotiation:
    negotiation = Negotiation.objects.select_for_update().get(pk=negotiation.pk)
    if negotiation.is_cancelled:
        raise ValidationError(_("The negotiation is already cancelled."), code="cancelled")
    negotiation.status = Negotiation.Status.CANCELLED
    negotiation.save(update_fields=["status"])
    logger.info("negotiation %s cancelled by user %s", negotiation.pk, by.pk)
    _public_schedule_changed()
    return negotiation


WORKDAY_SLOTS = ((time(9, 0), time(12, 0)), (time(13, 0), time(16, 0)))


def propose_slots(*, round: Round, parties, chair, start_from: date | None = None):
    """Suggest a free half-day for each party: workdays in the window, two slots a day,
    skipping slots where the chair is already booked. Nothing is saved here."""
    day = max(round.window_start, start_from or round.window_start)
    proposals = []
    remaining = list(parties)
    while remaining and day <= round.window_end:
        if day.weekday() < 5:
            for slot_start, slot_end in WORKDAY_SLOTS:
                if not remaining:
                    break
                starts_at = timezone.make_aware(datetime.combine(day, slot_start))
                ends_at = timezone.make_aware(datetime.combine(day, slot_end))
                if booking_conflicts(users=[chair], starts_at=starts_at, ends_at=ends_at).exists():
                    continue
                proposals.append((remaining.pop(0), starts_at, ends_at))
        day += timedelta(days=1)
    return proposals, remaining


# --- Agenda -------------------------------------------------------------------------------


def _editable_agenda(negotiation: Negotiation) -> None:
    if negotiation.is_cancelled:
        raise ValidationError(_("A cancelled negotiation cannot be changed."), code="cancelled")


@transaction.atomic
def agenda_item_add(*, negotiation: Negotiation, by, **fields) -> AgendaItem:
    _editable_agenda(negotiation)
    last = negotiation.agenda_items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(negotiation=negotiation, position=last + 1, **fields)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, by, **fields) -> AgendaItem:
    _editable_agenda(item.negotiation)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item


def _renumber(negotiation: Negotiation) -> None:
    items = list(negotiation.agenda_items.order_by("position", "pk"))
    for index, item in enumerate(items, start=1):
        item.position = index
    AgendaItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, by) -> None:
    _editable_agenda(item.negotiation)
    negotiation = item.negotiation
    item.delete()
    _renumber(negotiation)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, by, up: bool) -> None:
    """Swap an item with its neighbour: the keyboard-friendly way to reorder."""
    _editable_agenda(item.negotiation)
    _renumber(item.negotiation)
    items = list(item.negotiation.agenda_items.order_by("position"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if not 0 <= target < len(items):
        return
    items[index].position, items[target].position = items[target].position, items[index].position
    AgendaItem.objects.bulk_update([items[index], items[target]], ["position"])


@transaction.atomic
def agenda_mark_ready(*, negotiation: Negotiation, by, ready: bool = True) -> Negotiation:
    _editable_agenda(negotiation)
    if ready and not negotiation.agenda_items.exists():
        raise ValidationError(_("An empty agenda cannot be ready."), code="empty_agenda")
    negotiation.agenda_ready_at = timezone.now() if ready else None
    negotiation.save(update_fields=["agenda_ready_at"])
    return negotiation


# --- Material -----------------------------------------------------------------------------


def document_add(
    *, by, uploaded_file, max_bytes: int, round=None, negotiation=None, agenda_item=None, **fields
) -> Document:
    """Check and store an upload, then record it; a failure leaves neither file nor row."""
    checked = check_upload(uploaded_file, max_bytes=max_bytes)
    # Ministry-internal unless said otherwise, on the first ground the form also offers.
    fields.setdefault("publicity", Publicity.INTERNAL)
    if fields["publicity"] != Publicity.PUBLIC and not fields.get("secrecy_ground"):
        fields["secrecy_ground"] = SecrecyGround.objects.filter(active=True).first()
    if agenda_item is not None:
        negotiation = agenda_item.negotiation
    if fields.get("language") in SAMI_LANGUAGES and not (
        negotiation is not None and negotiation.region and negotiation.region.serves_sami
    ):
        raise ValidationError(
            {"language": _("Material in a Sámi language belongs to Lapland's negotiations.")},
            code="sami",
        )
    stored_name = default_storage.save(storage_name(checked), uploaded_file)
    try:
        with transaction.atomic():
            document = Document(
                round=round,
                negotiation=negotiation,
                agenda_item=agenda_item,
                file=stored_name,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=by,
                **fields,
            )
            document.full_clean()
            document.save()
    except BaseException:
        default_storage.delete(stored_name)
        raise
    logger.info("document %s (%s bytes) added by user %s", document.pk, checked.size, by.pk)
    return document


def document_in_published_record(document: Document) -> bool:
    """Whether the document went public with a protocol: public, and uploaded by the time
    a version of its negotiation that was published (withdrawn or not) was made. The same
    rule as minutes.selectors.version_attachments, read through the reverse relation so
    that this app need not import the minutes app."""
    if not document.is_public or document.negotiation_id is None:
        return False
    return Negotiation.objects.filter(
        pk=document.negotiation_id, publications__version__created_at__gte=document.uploaded_at
    ).exists()


def _refuse_if_published(document: Document) -> None:
    if document_in_published_record(document):
        raise ValidationError(
            _(
                "This document went public with a published protocol and is part of the "
                "record. To change the record, publish a correction or withdraw the protocol."
            ),
            code="published",
        )


def _event(document: Document, action, by, note: str = "") -> None:
    DocumentEvent.objects.create(
        document=document if action != DocumentEvent.Action.DELETED else None,
        document_pk=document.pk,
        title=document.title,
        action=action,
        by=by,
        note=note,
    )


@transaction.atomic
def document_set_publicity(*, document: Document, by, publicity, secrecy_ground) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.publicity == publicity and document.secrecy_ground == secrecy_ground:
        return document
    if publicity != Publicity.PUBLIC:
        _refuse_if_published(document)
    before = f"{document.publicity} {document.secrecy_ground_id or ''}".strip()
    document.publicity, document.secrecy_ground = publicity, secrecy_ground
    document.full_clean()
    document.save(update_fields=["publicity", "secrecy_ground"])
    after = f"{publicity} {secrecy_ground.pk if secrecy_ground else ''}".strip()
    _event(document, DocumentEvent.Action.PUBLICITY, by, note=f"{before} → {after}")
    logger.info("document %s publicity %s by user %s", document.pk, after, by.pk)
    return document


def document_delete(*, document: Document, by) -> None:
    """Remove a document and its file, with a history row; never one that is part of a
    published record."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        _refuse_if_published(document)
        pk, name = document.pk, document.file.name
        _event(document, DocumentEvent.Action.DELETED, by, note=document.original_name)
        document.delete()
    # The row is gone first: a file without a row is only clutter, never a broken link.
    default_storage.delete(name)
    logger.info("document %s deleted by user %s", pk, by.pk)
