"""Reads for the public pages: only published, not withdrawn protocols, ever."""

from django.db.models import Exists, OuterRef

from negotiations.models import Negotiation, Round

from .models import Publication


def current_publications():
    """The newest publication of each negotiation that is neither withdrawn nor corrected."""
    newer = Publication.objects.filter(
        negotiation=OuterRef("negotiation"), published_at__gt=OuterRef("published_at")
    )
    return (
        Publication.objects.filter(withdrawn_at__isnull=True)
        .filter(~Exists(newer))
        .select_related(
            "version",
            "negotiation__round",
            "negotiation__region__cooperation_area",
            "negotiation__cooperation_area",
        )
        # Lists show names and dates; the text (large JSON) is loaded only where shown.
        .defer("version__snapshot", "search_text")
        .order_by("-published_at", "-pk")
    )


def filtered(queryset, *, year=None, region=None, area=None, kind=None):
    if year:
        queryset = queryset.filter(negotiation__round__year=year)
    if region:
        queryset = queryset.filter(negotiation__region__slug=region)
    if area:
        queryset = queryset.filter(negotiation__region__cooperation_area__slug=area) | (
            queryset.filter(negotiation__cooperation_area__slug=area)
        )
    if kind:
        queryset = queryset.filter(negotiation__round__kind=kind)
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
