"""Reads for the ledger's pages: the region's follow-up actions, an item's history, the
officials' overview across regions, and what the public may see of the items.

Each runs in a fixed number of queries whatever the number of items: the reports and
events come in one prefetch each, the overview's counts in one grouped query."""

from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, Value, When
from django.utils import timezone

from regions.models import CooperationArea, Region

from .access import tracked_items_visible_to
from .models import CLOSED_STATUSES, ItemEvent, ItemReport, ItemStatus, TrackedItem
from .public.selectors import visible_publications

ITEM_RELATIONS = ("region", "cooperation_area", "topic", "ministry", "made_in")


def _with_reports(queryset):
    return queryset.prefetch_related(
        Prefetch("reports", queryset=ItemReport.objects.select_related("by").order_by("at", "pk"))
    )


def _split_reports(item) -> None:
    """`item.latest_report` (the region's newest) and `item.remarks` (the ministries')."""
    reports = list(item.reports.all())
    own = [report for report in reports if not report.by_ministry]
    item.latest_report = own[-1] if own else None
    item.remarks = [report for report in reports if report.by_ministry]


def open_items_for(user) -> list[TrackedItem]:
    """The items the user's region is still working on (its own and its cooperation
    area's), soonest due first, each with its latest report and the ministries' remarks."""
    items = list(
        _with_reports(
            tracked_items_visible_to(user).still_open().select_related(*ITEM_RELATIONS)
        ).order_by("due_date", "-year", "number", "pk")
    )
    for item in items:
        _split_reports(item)
    return items


def item_history(item: TrackedItem) -> dict:
    """An item's reports (oldest first) and its events, each event's words made from its
    codes in the reader's language by the template."""
    return {
        "reports": list(item.reports.select_related("by").order_by("at", "pk")),
        "events": list(
            ItemEvent.objects.filter(item=item).select_related("by").order_by("at", "pk")
        ),
    }


def filtered_items(data: dict):
    """The ledger's items still in their protocol, filtered by the overview form's
    cleaned data (year, kind, status, topic, region: a region's own and its cooperation
    area's items)."""
    queryset = TrackedItem.objects.in_record()
    if data.get("year"):
        queryset = queryset.filter(year=data["year"])
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("topic"):
        queryset = queryset.filter(topic=data["topic"])
    region = data.get("region")
    if region:
        queryset = queryset.filter(
            Q(region=region) | Q(cooperation_area_id=region.cooperation_area_id)
        )
    return queryset


@dataclass
class OverviewRow:
    party: object
    counts: dict = field(default_factory=dict)
    overdue: int = 0
    total: int = 0

    def cells(self) -> list[int]:
        return [self.counts.get(status, 0) for status in ItemStatus.values]


def overview(data: dict) -> dict:
    """Counts per party (region or cooperation area) and status, with the overdue ones,
    in one grouped query; the parties' names in one query per kind."""
    today = timezone.localdate()
    overdue = Q(due_date__lt=today) & ~Q(status__in=CLOSED_STATUSES)
    grouped = (
        filtered_items(data)
        .order_by()
        .values("region_id", "cooperation_area_id", "status")
        .annotate(count=Count("pk"), overdue=Count("pk", filter=overdue))
    )
    rows: dict = {}
    for group in grouped:
        key = (group["region_id"], group["cooperation_area_id"])
        row = rows.setdefault(key, OverviewRow(party=None))
        row.counts[group["status"]] = group["count"]
        row.overdue += group["overdue"]
        row.total += group["count"]
    regions = Region.objects.in_bulk({key[0] for key in rows} - {None})
    areas = CooperationArea.objects.in_bulk({key[1] for key in rows} - {None})
    for (region_id, area_id), row in rows.items():
        row.party = regions.get(region_id) if region_id else areas.get(area_id)
    ordered = sorted(rows.values(), key=lambda row: row.party.name_fi)
    totals = OverviewRow(party=None)
    for row in ordered:
        for status, count in row.counts.items():
            totals.counts[status] = totals.counts.get(status, 0) + count
        totals.overdue += row.overdue
        totals.total += row.total
    return {"rows": ordered, "totals": totals}


def overview_items(data: dict):
    return (
        filtered_items(data)
        .select_related("region", "cooperation_area", "topic", "ministry")
        .order_by("-year", "region__name_fi", "cooperation_area__name_fi", "number", "pk")
    )


def public_items(queryset=None):
    """What the public may see of the ledger: items still in their protocol whose
    protocol is published and not withdrawn. The one rule of an item's public status is
    annotated here, so the pages and the API's filter read the same: `public_status` is
    what the latest public protocol that assessed it recorded (as made, it was open)."""
    queryset = TrackedItem.objects.all() if queryset is None else queryset
    assessed_publicly = Exists(visible_publications().filter(pk=OuterRef("assessed_in_id")))
    return (
        queryset.in_record()
        .filter(made_in__in=visible_publications().values("pk"))
        .annotate(
            public_assessed=assessed_publicly,
            public_status=Case(
                When(public_assessed=True, then=F("assessed_status")),
                default=Value(ItemStatus.OPEN),
            ),
        )
        .select_related("made_in", "assessed_in", "topic", "region", "cooperation_area")
        .order_by("-year", "number", "pk")
    )


def with_public_status(items) -> list:
    """`public_items` with the words of their public status and assessment."""
    items = list(items)
    for item in items:
        assessed = item.public_assessed
        item.public_status_label = ItemStatus(item.public_status).label
        item.public_assessment = item.assessment_text if assessed else ""
        item.public_assessed_in = item.assessed_in if assessed else None
    return items


def public_items_of_region(region) -> list:
    """The region's items over the years, and its cooperation area's."""
    return with_public_status(
        public_items().filter(Q(region=region) | Q(cooperation_area_id=region.cooperation_area_id))
    )
