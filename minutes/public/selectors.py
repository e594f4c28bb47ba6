"""Reads for the public pages: only published, not withdrawn protocols, ever."""

from django.db.models import OuterRef, Subquery

from negotiations.models import Negotiation, Round

from ..models import Publication

# What a line in a public list shows: the year, the party, the date and whether corrected.
ROW_FIELDS = (
    "pk", "published_at", "correction_note", "year", "round_kind", "language", "region",
    "cooperation_area",
)  # fmt: skip
# What a row needs of its party (a region or a cooperation area) to name and link it.
PARTY_FIELDS = [
    f"{relation}__{name}"
    for relation in ("region", "cooperation_area")
    for name in ("slug", "name_fi", "name_sv", "name_en")
]


def visible_publications():
    """The one rule of what the public may see of the protocols: publications that have
    not been withdrawn. Every public surface (pages, PDF, attachments, feeds, API, sitemap,
    search, region and front pages) reads through this or `is_public`. A withdrawal stamps
    every publication of its negotiation (`publishing.protocol_withdraw`), so no version it
    replaced stays public."""
    return Publication.objects.filter(withdrawn_at__isnull=True)


def is_public(publication) -> bool:
    """`visible_publications`, for one row already read."""
    return publication.withdrawn_at is None


def current_rows():
    """The newest publication of each negotiation that is neither withdrawn nor corrected,
    with its party, newest first."""
    return (
        visible_publications()
        .filter(is_current=True)
        .select_related("region", "cooperation_area")
        .only(*ROW_FIELDS, *PARTY_FIELDS)
        .order_by("-published_at", "-pk")
    )


def neighbours(publication) -> tuple:
    """(newer, older, other years) of a publication, from one read of its party's
    publications: the correction that replaced it (if not withdrawn), the ones it replaced
    (newest first), and the party's current protocols of other negotiations (newest first).
    """
    negotiation_pk = publication.negotiation_id
    party = {"region": publication.region_id} if publication.region_id else {
        "cooperation_area": publication.cooperation_area_id
    }  # fmt: skip
    siblings = list(
        Publication.objects.filter(**party)
        .only("pk", "negotiation_id", "published_at", "withdrawn_at", "is_current", "year")
        .order_by("published_at", "pk")
    )
    # This negotiation's publications in the order they were made, which is the order
    # that decides the current one (timestamps can tie).
    same = sorted((item for item in siblings if item.negotiation_id == negotiation_pk),
                  key=lambda item: item.pk)  # fmt: skip
    position = next(index for index, item in enumerate(same) if item.pk == publication.pk)
    newer = next((item for item in same[position + 1 :] if is_public(item)), None)
    other_years = [
        item for item in reversed(siblings)
        if item.negotiation_id != negotiation_pk and item.is_current and is_public(item)
    ]  # fmt: skip
    return newer, same[:position][::-1], other_years


def public_schedule(year: int) -> list:
    """This year's negotiations as far as the public may know them: when and with whom. A
    negotiation whose protocol is published shows the time its record froze: a later edit
    of the live negotiation is not the record."""
    frozen = Publication.objects.filter(negotiation=OuterRef("pk"), is_current=True)
    rows = list(
        Negotiation.objects.filter(
            round__year=year, round__status=Round.Status.OPEN, status=Negotiation.Status.SCHEDULED
        )
        .select_related("round", "region", "cooperation_area")
        .only("starts_at", "ends_at", "schedule_version", "round__year", *PARTY_FIELDS)
        .annotate(
            frozen_starts_at=Subquery(frozen.values("starts_at")[:1]),
            frozen_ends_at=Subquery(frozen.values("ends_at")[:1]),
        )
    )
    for row in rows:
        if row.frozen_starts_at is not None:
            row.starts_at, row.ends_at = row.frozen_starts_at, row.frozen_ends_at
    return sorted(rows, key=lambda row: row.starts_at)
