"""Reads for the public pages: only published, not withdrawn protocols, ever."""

from django.db.models import Q

from negotiations.models import Negotiation, Round

from .models import Publication

# What a line in a public list shows: the year, the party, the date and whether corrected.
LIST_FIELDS = (
    "pk", "published_at", "correction_note", "year", "round_kind", "language",
    "region__name_fi", "region__name_sv", "region__name_en", "region__slug",
    "cooperation_area__name_fi", "cooperation_area__name_sv", "cooperation_area__name_en",
    "cooperation_area__slug",
)  # fmt: skip


def current_publications():
    """The newest publication of each negotiation that is neither withdrawn nor corrected.

    One table and its two small reference tables: no other join, so the list, the front
    page, the feed and the sitemap stay cheap however many years are published.
    """
    return (
        Publication.objects.filter(is_current=True, withdrawn_at__isnull=True)
        .select_related("region", "cooperation_area")
        .only(*LIST_FIELDS)
        .order_by("-published_at", "-pk")
    )


def filtered(queryset, *, year=None, region=None, area=None, kind=None):
    """Filters by year, region slug, cooperation-area slug and round kind."""
    if year:
        queryset = queryset.filter(year=year)
    if region:
        queryset = queryset.filter(region__slug=region)
    if area:
        # A region's area is reference data an administrator may change: read it, not a copy.
        queryset = queryset.filter(
            Q(region__cooperation_area__slug=area) | Q(cooperation_area__slug=area)
        )
    if kind:
        queryset = queryset.filter(round_kind=kind)
    return queryset


def public_schedule(year: int):
    """This year's negotiations as far as the public may know them: when and with whom."""
    return (
        Negotiation.objects.filter(
            round__year=year, round__status=Round.Status.OPEN, status=Negotiation.Status.SCHEDULED
        )
        .select_related("region", "cooperation_area", "round")
        .order_by("starts_at")
    )
