from regions.models import Organisation

from .models import MinutesEvent


def protocol_context(version) -> dict:
    """Everything the protocol document shows, from the frozen version and its negotiation."""
    minutes = version.minutes
    negotiation = minutes.negotiation
    approval = (
        MinutesEvent.objects.filter(version=version, action=MinutesEvent.Action.APPROVED)
        .select_related("by")
        .first()
    )
    party = negotiation.party
    language = version.snapshot["language"]
    return {
        "version": version,
        "content": version.snapshot,
        "negotiation": negotiation,
        "party_name": getattr(party, f"name_{language}", None) or party.name_fi,
        "ministries": [
            getattr(o, f"name_{language}")
            for o in Organisation.objects.filter(kind=Organisation.Kind.MINISTRY).order_by("pk")
        ],
        "attachments": list(
            negotiation.documents.filter(public_with_protocol=True).order_by("uploaded_at")
        ),
        "approval": approval,
        "document_id": f"ON-{negotiation.round.year}-{party.slug}-v{version.number}",
        "language": language,
    }
