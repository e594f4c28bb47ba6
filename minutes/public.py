"""Reads for the public pages: only published, not withdrawn protocols, ever.

The lists read the publication table alone and name each row's party (a region or a
cooperation area) from `Parties`, one read of the 28 reference rows per page, instead of
joining them into every row's query: on an uncached page, compiling and running the joins
cost more than the rest of the page.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.core.validators import slug_re
from django.db.models import Count, OuterRef, Q, Subquery, Window
from django.urls import reverse

from negotiations.models import Negotiation, Round
from regions.models import CooperationArea, Region
from regions.selectors import cooperation_areas_with_regions

from .models import Publication

# What a line in a public list shows: the year, the party, the date and whether corrected.
ROW_FIELDS = (
    "pk", "published_at", "correction_note", "year", "round_kind", "language", "region",
    "cooperation_area",
)  # fmt: skip


# What the front page and the public calendar show of a scheduled negotiation.
SCHEDULE_FIELDS = (
    "starts_at", "ends_at", "schedule_version", "round__year", "region", "cooperation_area",
)  # fmt: skip


def _is_slug(value) -> bool:
    """Worth asking the database about: PostgreSQL refuses a NUL in a text parameter, and
    nothing else can be a slug."""
    return bool(value) and slug_re.fullmatch(value) is not None


class Parties:
    """Every cooperation area with its regions (`areas`), the regions by name (`regions`),
    and the means to attach them to rows that carry `region_id`/`cooperation_area_id`.

    The regions and areas are the process's shared read of them (see
    `regions.selectors.cooperation_areas_with_regions`); one created since, in another
    process, is read from the database when something asks for it.
    """

    def __init__(self):
        self.areas = cooperation_areas_with_regions()
        self.regions = sorted(
            (region for area in self.areas for region in area.region_list),
            key=lambda region: region.name_fi,
        )
        self._regions = {region.pk: region for region in self.regions}
        self._areas = {area.pk: area for area in self.areas}

    def region(self, slug):
        found = next((region for region in self.regions if region.slug == slug), None)
        if found is None and _is_slug(slug):
            found = Region.objects.filter(slug=slug).first()
        return found

    def area(self, slug):
        found = next((area for area in self.areas if area.slug == slug), None)
        if found is None and _is_slug(slug):
            found = CooperationArea.objects.filter(slug=slug).first()
            if found is not None:
                found.region_list = []
        return found

    def attach(self, rows) -> list:
        """The rows as a list, each with its region or area set, so `row.party` reads no
        more."""
        rows = list(rows)
        for known, model, column in (
            (self._regions, Region, "region_id"),
            (self._areas, CooperationArea, "cooperation_area_id"),
        ):
            missing = {getattr(row, column) for row in rows} - set(known) - {None}
            if missing:
                known.update(model.objects.in_bulk(missing))
        for row in rows:
            if row.region_id in self._regions:
                row.region = self._regions[row.region_id]
            if row.cooperation_area_id in self._areas:
                row.cooperation_area = self._areas[row.cooperation_area_id]
        return rows


def url_maker(name: str, sample):
    """`reverse(name, args=[value])` for the many rows of one list, reversed only once.

    For patterns whose one argument is a number or a slug, which need no quoting; the
    sample is a value of that kind that cannot otherwise appear in the address.
    """
    head, tail = reverse(name, args=[sample]).split(str(sample))
    return lambda value: f"{head}{value}{tail}"


def with_urls(rows: list) -> list:
    """Each publication row's public address as `row.url`."""
    url = url_maker("public_protocol", 987654321)
    for row in rows:
        row.url = url(row.pk)
    return rows


def visible_publications():
    """The one rule of what the public may see of the protocols: publications that have
    not been withdrawn. Every public surface (pages, PDF, attachments, feeds, API, sitemap,
    search, region and front pages) reads through this or `is_public`; the raw-SQL search
    in `search.py` states the same condition. A withdrawal stamps every publication of its
    negotiation (`publishing.protocol_withdraw`), so no version it replaced stays public."""
    return Publication.objects.filter(withdrawn_at__isnull=True)


def is_public(publication) -> bool:
    """`visible_publications`, for one row already read."""
    return publication.withdrawn_at is None


def current_rows():
    """The newest publication of each negotiation that is neither withdrawn nor corrected:
    the listing columns of the one table, newest first (pair with `Parties.attach`)."""
    return (
        visible_publications()
        .filter(is_current=True)
        .only(*ROW_FIELDS)
        .order_by("-published_at", "-pk")
    )


def filtered(queryset, parties: Parties, *, year=None, region=None, area=None, kind=None):
    """Filters by year, region slug, cooperation-area slug and round kind; an unknown slug
    or kind matches nothing."""
    if year:
        queryset = queryset.filter(year=year)
    if region:
        found = parties.region(region)
        queryset = queryset.filter(region=found) if found else queryset.none()
    if area:
        found = parties.area(area)
        if found is None:
            return queryset.none()
        # The region's area as the reference data says now, not as it was when published.
        queryset = queryset.filter(
            Q(region__in=[region.pk for region in found.region_list]) | Q(cooperation_area=found)
        )
    if kind:
        queryset = (
            queryset.filter(round_kind=kind) if kind in Round.Kind.values else queryset.none()
        )
    return queryset


def page_bounds(page_number, per_page: int) -> tuple[int, int]:
    """(page number, offset of its first row); InvalidPage for a number no page can have,
    as Paginator.page raises."""
    try:
        number = int(page_number)
    except (TypeError, ValueError):
        raise PageNotAnInteger(page_number) from None
    start = (number - 1) * per_page
    # Beyond a 64-bit OFFSET the database would fail; no list is that long.
    if number < 1 or start >= 2**62:
        raise EmptyPage(number)
    return number, start


def page_of(found: list, number: int, per_page: int) -> Page:
    """A Page of rows read with their total count as `total`; EmptyPage for a page past
    the last."""
    if not found and number > 1:
        raise EmptyPage(number)
    paginator = Paginator(found, per_page)
    paginator.count = found[0].total if found else 0
    return Page(found, number, paginator)


def counted_page(rows, page_number, per_page: int) -> Page:
    """One page of `rows`, counted in the same query (COUNT(*) OVER ()): Paginator would
    count in a query of its own, finding every row a second time. Raises InvalidPage for a
    page that does not exist, as Paginator.page does."""
    number, start = page_bounds(page_number, per_page)
    found = list(rows.annotate(total=Window(Count("*")))[start : start + per_page])
    return page_of(found, number, per_page)


def neighbours(publication) -> tuple:
    """(newer, older, other years) of a publication, from one read of its party's
    publications: the correction that replaced it (if not withdrawn), the ones it replaced
    (newest first), and the party's current protocols of other negotiations (newest first),
    each with its address as `url`.
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
    older = same[:position][::-1]
    with_urls([item for item in (newer, *older, *other_years) if item is not None])
    return newer, older, other_years


def public_schedule(year: int) -> list:
    """This year's negotiations as far as the public may know them: when and with whom
    (pair with `Parties.attach`). A negotiation whose protocol is published shows the time
    its record froze: a later edit of the live negotiation is not the record."""
    frozen = Publication.objects.filter(negotiation=OuterRef("pk"), is_current=True)
    rows = list(
        Negotiation.objects.filter(
            round__year=year, round__status=Round.Status.OPEN, status=Negotiation.Status.SCHEDULED
        )
        .select_related("round")
        .only(*SCHEDULE_FIELDS)
        .annotate(
            frozen_starts_at=Subquery(frozen.values("starts_at")[:1]),
            frozen_ends_at=Subquery(frozen.values("ends_at")[:1]),
        )
        .order_by("starts_at")
    )
    for row in rows:
        if row.frozen_starts_at is not None:
            row.starts_at, row.ends_at = row.frozen_starts_at, row.frozen_ends_at
    return sorted(rows, key=lambda row: row.starts_at)
