from django.utils.functional import SimpleLazyObject

from regions.models import Organisation

from .models import MinutesEvent


def document_id(version) -> str:
    negotiation = version.minutes.negotiation
    return f"ON-{negotiation.round.year}-{negotiation.party.slug}-v{version.number}"


def protocol_context(version, attachments=None) -> dict:
    """Everything the protocol document shows, from the frozen version and its negotiation.

    The issuing ministries and the approval are read only if the template shows them (the
    PDF does; the public page does not). `attachments` replaces the negotiation's material
    marked public (a publication shows those it made public).
    """
    minutes = version.minutes
    negotiation = minutes.negotiation
    party = negotiation.party
    language = version.snapshot["language"]
    return {
        "version": version,
        "content": version.snapshot,
        "negotiation": negotiation,
        "party_name": getattr(party, f"name_{language}", None) or party.name_fi,
        "ministries": SimpleLazyObject(lambda: _ministries(language)),
        "attachments": list(
            negotiation.documents.filter(public_with_protocol=True).order_by("uploaded_at")
            if attachments is None
            else attachments
        ),
        "approval": SimpleLazyObject(lambda: _approval(version)),
        "document_id": document_id(version),
        "language": language,
    }


def _ministries(language) -> list[str]:
    ministries = Organisation.objects.filter(kind=Organisation.Kind.MINISTRY).order_by("pk")
    return [getattr(ministry, f"name_{language}") for ministry in ministries]


def _approval(version):
    return (
        MinutesEvent.objects.filter(version=version, action=MinutesEvent.Action.APPROVED)
        .select_related("by")
        .first()
    )
