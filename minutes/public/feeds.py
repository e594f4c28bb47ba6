"""New and corrected protocols (Atom), all or one region's."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from regions.models import Region

from .selectors import PARTY_FIELDS, ROW_FIELDS, visible_publications

# A whole round published at once (23 regions) fits in one read of the feed.
FEED_SIZE = 25


class PlainSummaryAtom1Feed(Atom1Feed):
    """Summaries as plain text: Django writes them as `type="html"`, which made an
    official's correction note markup in every feed reader."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item.get("description"):
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class ProtocolFeed(Feed):
    feed_type = PlainSummaryAtom1Feed
    description = None

    def get_object(self, request, slug=None):
        return get_object_or_404(Region, slug=slug) if slug else None

    def title(self):
        return _("Steering negotiations: published protocols")

    def subtitle(self, region):
        return region.name if region else _("All regions")

    def link(self, region):
        return reverse("protocol_list") + (f"?region={region.slug}" if region else "")

    def items(self, region):
        # Corrected ones stay in: a feed announces each publication, the correction too.
        items = visible_publications().select_related("region", "cooperation_area")
        if region:
            items = items.filter(region=region)
        return items.only(*ROW_FIELDS, *PARTY_FIELDS).order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        label = f"{item.year}: {item.party}"
        corrected = _("corrected")
        return f"{label} ({corrected})" if item.correction_note else label

    def item_description(self, item):
        return item.correction_note or _("Memorandum of the steering negotiation")

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at
