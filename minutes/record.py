"""What a protocol records beyond its text: the diary number, the memorandum's date and
who was there (chair, secretary, each participant's organisation and attendance).

The one home for these rules: the editor's forms and the service share `diary_errors`,
the snapshot is made by `snapshot_record`, and every public reader (pages, feeds, API)
asks `public_participants` what it may show of the people after the retention period.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Minutes, ParticipantRole, ProtocolParticipant

DIARY_NUMBER_MAX = 40
# Loose on purpose: the Government's form is VN/12345/2027, ministries' older systems
# write STM/1234/00.00.00/2027 or similar. Letters, digits and / . - _ : and spaces inside.
DIARY_NUMBER_PATTERN = re.compile(
    r"^[A-Za-zÅÄÖåäö0-9](?:[A-Za-zÅÄÖåäö0-9/.\-_: ]*[A-Za-zÅÄÖåäö0-9])?$"
)


def clean_diary_number(value: str) -> str:
    """The number as stored: trimmed, inner runs of spaces made one."""
    return " ".join((value or "").split())


def diary_errors(value: str, *, minutes: Minutes) -> list[str]:
    """Why this diary number cannot be this protocol's, in the reader's language."""
    number = clean_diary_number(value)
    if not number:
        return []
    if len(number) > DIARY_NUMBER_MAX:
        return [_("A diary number has at most %(limit)d characters.") % {"limit": DIARY_NUMBER_MAX}]
    if not DIARY_NUMBER_PATTERN.match(number):
        return [
            _(
                "Write the diary number as the case management system gives it, for "
                "example VN/12345/2027: letters, digits and / . - only."
            )
        ]
    other = (
        Minutes.objects.filter(diary_number__iexact=number)
        .exclude(pk=minutes.pk)
        .select_related("negotiation__round")
        .first()
    )
    if other is not None:
        negotiation = other.negotiation
        return [
            _("This diary number is already used by the protocol of %(protocol)s.")
            % {"protocol": f"{negotiation.party.name} {negotiation.round.year}"}
        ]
    return []


def role_errors(roles: list[str]) -> list[str]:
    """A protocol has at most one chair and one secretary."""
    errors = []
    if roles.count(ParticipantRole.CHAIR) > 1:
        errors.append(_("Only one participant can be the chair."))
    if roles.count(ParticipantRole.SECRETARY) > 1:
        errors.append(_("Only one participant can be the secretary."))
    return errors


def record_save(*, minutes: Minutes, diary_number: str, memorandum_date, participants: list):
    """Save the record's fields and replace the participant rows, inside the editor's
    transaction (its revision lock is already held on `minutes`).

    `participants`: dicts of ProtocolParticipant fields, in order. Raises
    ValidationError({"diary_number": …} or {"participants": …}) and saves nothing."""
    number = clean_diary_number(diary_number)
    errors = diary_errors(number, minutes=minutes)
    if errors:
        raise ValidationError({"diary_number": errors})
    errors = role_errors([row.get("role") for row in participants])
    if errors:
        raise ValidationError({"participants": errors})
    changed = (
        minutes.diary_number != number
        or minutes.memorandum_date != memorandum_date
        or _rows(minutes) != [_row_key(row) for row in participants]
    )
    if not changed:
        return False
    minutes.diary_number, minutes.memorandum_date = number, memorandum_date
    try:
        # A savepoint: a number taken by a concurrent save is a form error, not a 500
        # that leaves the editor's transaction broken.
        with transaction.atomic():
            minutes.save(update_fields=["diary_number", "memorandum_date"])
    except IntegrityError:
        raise ValidationError(
            {"diary_number": _("This diary number is already used by another protocol.")}
        ) from None
    minutes.participant_rows.all().delete()
    ProtocolParticipant.objects.bulk_create(
        ProtocolParticipant(minutes=minutes, position=position, **row)
        for position, row in enumerate(participants, start=1)
    )
    return True


_FIELDS = (
    "name", "title", "organisation_id", "region_id", "other_organisation", "role",
    "present_from", "present_to", "items",
)  # fmt: skip


def _row_key(row: dict) -> tuple:
    values = dict(row)
    for field in ("organisation", "region"):
        if field in values:
            value = values.pop(field)
            values[f"{field}_id"] = value.pk if value is not None else None
    return tuple(values.get(field) or None for field in _FIELDS)


def _rows(minutes: Minutes) -> list[tuple]:
    return [
        tuple(getattr(row, field) or None for field in _FIELDS)
        for row in minutes.participant_rows.order_by("position", "pk")
    ]


def _organisation_names(row: ProtocolParticipant) -> dict:
    if row.organisation is not None:
        return row.organisation.names
    if row.region is not None:
        return row.region.names
    text = row.other_organisation
    return {"fi": text, "sv": text, "en": text} if text else {}


def snapshot_record(minutes: Minutes) -> dict:
    """The record as plain data, organisation names in every language, for the snapshot."""
    rows = minutes.participant_rows.select_related("organisation", "region").order_by(
        "position", "pk"
    )
    return {
        "record": {
            "diary_number": minutes.diary_number,
            "memorandum_date": (
                minutes.memorandum_date.isoformat() if minutes.memorandum_date else None
            ),
            "participants": [
                {
                    "name": row.name,
                    "title": row.title,
                    "organisation_names": _organisation_names(row),
                    "role": row.role,
                    "present_from": row.present_from.strftime("%H:%M")
                    if row.present_from
                    else None,
                    "present_to": row.present_to.strftime("%H:%M") if row.present_to else None,
                    "items": row.items,
                }
                for row in rows
            ],
        }
    }


def record_of(snapshot: dict) -> dict:
    """A version's record; versions frozen before it existed have an empty one."""
    return snapshot.get("record") or {
        "diary_number": "",
        "memorandum_date": None,
        "participants": [],
    }


def record_text(snapshot: dict) -> str:
    """The record as lines of text, for the version diff."""
    record = record_of(snapshot)
    lines = []
    if record["diary_number"]:
        label = _("Diary number")
        lines.append(f"{label}: {record['diary_number']}")
    if record["memorandum_date"]:
        label = _("Date of the memorandum")
        lines.append(f"{label}: {record['memorandum_date']}")
    for person in record["participants"]:
        names = person["organisation_names"] or {}
        parts = [person["name"], person["title"], names.get(snapshot.get("language", "fi"), "")]
        if person["role"] != ParticipantRole.MEMBER:
            parts.append(str(ParticipantRole(person["role"]).label))
        if person["present_from"] or person["present_to"]:
            parts.append(f"{person['present_from'] or ''}–{person['present_to'] or ''}")
        if person["items"]:
            parts.append(person["items"])
        lines.append(", ".join(part for part in parts if part))
    return "\n".join(lines)


# --- What the public sees ------------------------------------------------------------------


def names_hidden(publication, now=None) -> bool:
    """The retention period for personal data on public pages has run out."""
    days = settings.PUBLIC_PERSONAL_DATA_DAYS
    if days is None:
        return False
    return (now or timezone.now()) >= publication.published_at + timedelta(days=days)


def public_participants(publication, now=None) -> dict:
    """The participants as the public may see them now: everything within the retention
    period (PUBLIC_PERSONAL_DATA_DAYS after publication), then only organisation and role.
    Officials' pages and the archive read the version's snapshot instead, whole.

    {"hidden": bool, "days": int | None, "participants": [...], "legacy_html": str}"""
    snapshot = publication.version.snapshot
    hidden = names_hidden(publication, now)
    people = record_of(snapshot)["participants"]
    if hidden:
        people = [{**person, "name": "", "title": ""} for person in people]
    return {
        "hidden": hidden,
        "days": settings.PUBLIC_PERSONAL_DATA_DAYS,
        "participants": people,
        # The free text of older minutes names people too: it goes with the names.
        "legacy_html": "" if hidden else snapshot.get("participants_html", ""),
    }


def participants_prefill(minutes: Minutes) -> None:
    """New minutes start with the negotiation's participants as rows: a ministry person
    under the ministry named in their organisation (by code or name), the region's people
    under the region, anyone else with their organisation as written."""
    from regions.models import Organisation

    negotiation = minutes.negotiation
    organisations = {}
    for organisation in Organisation.objects.all():
        for key in (organisation.code, *organisation.names.values()):
            organisations[key.casefold()] = organisation
    rows = []
    for position, person in enumerate(negotiation.participants.order_by("side", "name"), 1):
        text = (person.organisation or "").strip()
        organisation = organisations.get(text.casefold()) if text else None
        region = None
        own_region = organisation is None and person.side == "region" and negotiation.region_id
        region_names = negotiation.region.names.values() if own_region else ()
        if own_region and (not text or text.casefold() in map(str.casefold, region_names)):
            region, text = negotiation.region, ""
        rows.append(
            ProtocolParticipant(
                minutes=minutes,
                position=position,
                name=person.name,
                title=person.title,
                organisation=organisation,
                region=region,
                other_organisation="" if organisation or region else text,
            )
        )
    ProtocolParticipant.objects.bulk_create(rows)
