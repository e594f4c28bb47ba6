"""Publication: what makes a protocol, its PDF and its public attachments visible to all."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steering.outbox import enqueue

from ..models import Minutes, MinutesEvent, MinutesVersion, Publication
from ..search import protocol_words, store_search_vector
from ..signals import protocol_published, protocol_withdrawn
from ..translation import languages, rendition
from .drafting import move_to, record_event, require_move
from .ledger import ledger_publish
from .protocols import protocol_request

logger = logging.getLogger(__name__)
Status = Minutes.Status


def search_text(negotiation, snapshot: dict) -> str:
    party = negotiation.party
    # A bilingual protocol is found by the words of either language version.
    names, year = (party.name_fi, party.name_sv), negotiation.round.year
    return "\n".join(
        protocol_words(names, year, rendition(snapshot, language))
        for language in languages(snapshot)
    )


def _latest_approved(minutes: Minutes) -> MinutesVersion | None:
    return minutes.versions.filter(approved=True).order_by("-number").first()


@transaction.atomic
def protocol_publish(*, minutes: Minutes, by, note: str = "") -> Publication:
    """Publish the latest approved version; after a correction, `note` says what changed."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    require_move(minutes, Status.PUBLISHED, MinutesEvent.Action.PUBLISHED)
    version = _latest_approved(minutes)
    earlier = Publication.objects.filter(negotiation=minutes.negotiation_id).exists()
    note = (note or "").strip()
    if earlier and not note:
        raise ValidationError(
            {"note": _("Say what the correction changed; the note is shown to the public.")},
            code="note",
        )
    negotiation = minutes.negotiation
    # The publication it corrects stops being the current one; the database allows one.
    Publication.objects.filter(negotiation=negotiation.pk, is_current=True).update(is_current=False)
    publication = Publication.objects.create(
        version=version,
        negotiation=negotiation,
        published_by=by,
        correction_note=note,
        search_text=search_text(negotiation, version.snapshot),
        starts_at=negotiation.starts_at,
        ends_at=negotiation.ends_at,
        place=negotiation.place,
        year=negotiation.round.year,
        round_kind=negotiation.round.kind,
        language=version.snapshot["language"],
        region_id=negotiation.region_id,
        cooperation_area_id=negotiation.cooperation_area_id,
    )
    store_search_vector(publication)
    ledger_publish(publication)
    move_to(
        minutes, Status.PUBLISHED, MinutesEvent.Action.PUBLISHED, by, version=version, detail=note
    )
    protocol_request(version=version)
    from ..public.cache import clear_public_pages
    from ..tasks import notify_published

    clear_public_pages()
    enqueue(notify_published, publication.pk)
    protocol_published.send(sender=Publication, publication=publication, corrected=earlier)
    logger.info("protocol %s published (version %s)", minutes.pk, version.number)
    return publication


def round_publish_approved(*, round, by) -> int:
    """Publish every approved (never yet published) protocol of a round; one at a time,
    so that one refusal does not hold back the others."""
    count = 0
    for minutes in Minutes.objects.filter(negotiation__round=round, status=Status.APPROVED):
        if Publication.objects.filter(negotiation=minutes.negotiation_id).exists():
            continue  # a correction needs its own note
        protocol_publish(minutes=minutes, by=by)
        count += 1
    return count


@transaction.atomic
def minutes_start_correction(*, minutes: Minutes, by) -> Minutes:
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    move_to(minutes, Status.REVISED, MinutesEvent.Action.CORRECTION, by)
    return minutes


@transaction.atomic
def protocol_withdraw(*, publication: Publication, by, reason: str) -> Publication:
    """Withdraw the protocol: every publication of the negotiation, the one named and the
    versions it corrected, leaves public view at once with the same notice. Publishing it
    again is a correction (a new publication, with a note)."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.is_withdrawn:
        raise ValidationError(_("The protocol has already been withdrawn."), code="withdrawn")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for the withdrawal; it is shown to the public.")},
            code="reason",
        )
    now = timezone.now()
    Publication.objects.filter(
        negotiation=publication.negotiation_id, withdrawn_at__isnull=True
    ).update(withdrawn_at=now, withdrawn_by=by, withdrawal_reason=reason)
    publication.refresh_from_db()
    record_event(
        publication.version.minutes, MinutesEvent.Action.WITHDRAWN, by,
        version=publication.version, detail=reason,
    )  # fmt: skip
    from ..public.cache import clear_public_pages
    from ..tasks import notify_withdrawn

    clear_public_pages()
    enqueue(notify_withdrawn, publication.pk)
    protocol_withdrawn.send(sender=Publication, publication=publication)
    logger.info("protocol of negotiation %s withdrawn", publication.negotiation_id)
    return publication


def current_withdrawal(negotiation) -> Publication | None:
    """The negotiation's newest publication if it is withdrawn: the protocol is then out of
    public view (until a correction is published), and the officials' page says so."""
    newest = (
        Publication.objects.filter(negotiation=negotiation)
        .select_related("withdrawn_by")
        .order_by("-pk")
        .first()
    )
    return newest if newest is not None and newest.is_withdrawn else None
