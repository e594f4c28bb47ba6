"""Who may read a comment thread, and the ministry's internal notes.

Every thread and note has a publicity level and, unless public, a legal ground (Act
621/1999, section 24), checked by `regions.models.publicity_errors`, the one rule for
documents and threads alike. The region writes its comment without choosing either: it is
"shared with the region" and counts as not yet classified until an official sets its
level and ground. An official's internal note is ministry-internal from the start, names
its ground when written and never changes level: the region never learns of it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regions.models import Publicity, publicity_errors

from ..models import Comment, MinutesEvent, MinutesVersion, Publication, Section
from ..public.selectors import is_public
from .drafting import record_event

# The levels an official may give a region's thread: keeping the region's own words from
# the region makes no sense, so "ministry-internal" is for the ministry's notes alone.
THREAD_LEVELS = (Publicity.REGION, Publicity.PUBLIC)


def _refuse_publicity_errors(publicity, secrecy_ground) -> None:
    errors = publicity_errors(publicity, secrecy_ground)
    if errors:
        raise ValidationError(errors, code="publicity")


@transaction.atomic
def note_add(*, version: MinutesVersion, section: Section, by, body: str, secrecy_ground):
    """An official's ministry-internal note on one section of a version: any time, as the
    note is not part of the region's review."""
    if section.minutes_id != version.minutes_id or version.section(section.pk) is None:
        raise ValidationError(_("The section is not part of this version."), code="section")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the note before saving it.")}, code="empty")
    _refuse_publicity_errors(Publicity.INTERNAL, secrecy_ground)
    note = Comment.objects.create(
        version=version,
        section=section,
        author=by,
        body=body,
        publicity=Publicity.INTERNAL,
        secrecy_ground=secrecy_ground,
    )
    # No text in the history: the history is read by people who may not read the note.
    record_event(version.minutes, MinutesEvent.Action.NOTE_ADDED, by, version=version)
    return note


@transaction.atomic
def thread_classify(*, comment: Comment, by, publicity: str, secrecy_ground) -> Comment:
    """Set who may read a region's thread (the comment and its answer)."""
    if comment.is_note:
        raise ValidationError(_("An internal note stays ministry-internal."), code="note")
    if publicity not in THREAD_LEVELS:
        raise ValidationError(
            {"publicity": _("A region's comment is shared with the region or public.")},
            code="level",
        )
    _refuse_publicity_errors(publicity, secrecy_ground)
    was_public = comment.publicity == Publicity.PUBLIC
    comment.publicity, comment.secrecy_ground = publicity, secrecy_ground
    comment.save(update_fields=["publicity", "secrecy_ground"])
    data = {"publicity": publicity}
    if secrecy_ground:
        data["ground"] = secrecy_ground.citation
    record_event(
        comment.version.minutes,
        MinutesEvent.Action.THREAD_CLASSIFIED,
        by,
        version=comment.version,
        data=data,
    )
    if was_public or publicity == Publicity.PUBLIC:
        # A published protocol shows its public threads: its cached pages are stale.
        from ..public.cache import clear_public_pages

        clear_public_pages()
    return comment


def public_threads(publication: Publication) -> dict[int, list[Comment]]:
    """The threads shown with a published protocol, by section id: the region's comments
    marked public on the versions reviewed before it (not withdrawn), with their answers.
    Nothing while the publication is not public (`public.is_public`, the one rule)."""
    if not is_public(publication):
        return {}
    version = publication.version
    threads = (
        Comment.objects.threads()
        .filter(
            version__minutes=version.minutes_id,
            version__approved=False,
            version__number__lt=version.number,
            publicity=Publicity.PUBLIC,
            withdrawn_at__isnull=True,
        )
        .select_related("answer")
        .order_by("created_at", "pk")
    )
    by_section: dict[int, list[Comment]] = {}
    for thread in threads:
        by_section.setdefault(thread.section_id, []).append(thread)
    return by_section
