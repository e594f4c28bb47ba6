from django.core.exceptions import ObjectDoesNotExist
from django.utils.functional import SimpleLazyObject

from negotiations.models import Document
from regions.models import AUTONYMS, Organisation, Publicity

from .models import MinutesEvent, ProtocolPDF
from .translation import reading_language, rendition


def document_id(version) -> str:
    negotiation = version.minutes.negotiation
    return f"ON-{negotiation.round.year}-{negotiation.party.slug}-v{version.number}"


def version_attachments(version):
    """The material that goes with this version: the negotiation's documents at the level
    "public with the protocol" and uploaded by the time the version was made (approved).
    What comes later goes with the next version, a correction: until then its PDF, its
    public page and the API list the same attachments, and no other is downloadable."""
    return Document.objects.filter(
        negotiation=version.minutes.negotiation_id,
        publicity=Publicity.PUBLIC,
        uploaded_at__lte=version.created_at,
    ).order_by("uploaded_at", "pk")


def protocol_context(version, language: str | None = None) -> dict:
    """Everything the protocol document shows, from the frozen version and its negotiation,
    in `language` if the version is in it (a bilingual protocol's other rendition), else
    in its main language.

    The issuing ministries and the approval are read only if the template shows them (the
    PDF does; the public page does not).
    """
    minutes = version.minutes
    negotiation = minutes.negotiation
    party = negotiation.party
    language = reading_language(version.snapshot, language)
    return {
        "version": version,
        "content": rendition(version.snapshot, language),
        "negotiation": negotiation,
        "meeting": _meeting(version),
        "party_name": getattr(party, f"name_{language}", None) or party.name_fi,
        "ministries": SimpleLazyObject(lambda: _ministries(language)),
        "attachments": _with_autonyms(version_attachments(version)),
        "approval": SimpleLazyObject(lambda: _approval(version)),
        "document_id": document_id(version),
        "language": language,
    }


def _with_autonyms(documents) -> list:
    """Each document with its language's own name if that is a Sámi language (`autonym`),
    shown beside the reader's word for it."""
    rows = list(documents)
    for document in rows:
        document.autonym = AUTONYMS.get(document.language, "")
    return rows


def _meeting(version):
    """Where and when the meeting was (`starts_at`, `ends_at`, `place`): as frozen in the
    version's publication once it is published, else the negotiation as it is now."""
    try:
        return version.publication
    except ObjectDoesNotExist:
        return version.minutes.negotiation


def _ministries(language) -> list[str]:
    ministries = Organisation.objects.filter(kind=Organisation.Kind.MINISTRY).order_by("pk")
    return [getattr(ministry, f"name_{language}") for ministry in ministries]


def _approval(version):
    return (
        MinutesEvent.objects.filter(version=version, action=MinutesEvent.Action.APPROVED)
        .select_related("by")
        .first()
    )


def failed_pdfs(minutes):
    """The renders of these minutes that failed: they wait for an official to retry."""
    return list(
        ProtocolPDF.objects.filter(
            version__minutes=minutes, status=ProtocolPDF.Status.FAILED
        ).select_related("version")
    )
