import unicodedata

from django.db.models import Prefetch
from django.utils.translation import get_language

from .models import CooperationArea, Region


def cooperation_areas_with_regions() -> list:
    """All cooperation areas, each with `region_list`, its regions, both in the reader's
    alphabet: two queries."""
    regions = Prefetch("regions", Region.objects.only("slug", "name_fi", "name_sv", "name_en",
                                                      "cooperation_area"))  # fmt: skip
    areas = in_name_order(CooperationArea.objects.prefetch_related(regions))
    for area in areas:
        area.region_list = in_name_order(area.regions.all())
    return areas


def region_staff(region):
    return region.staff.filter(is_active=True).order_by("last_name", "first_name", "username")


# Finnish and Swedish end their alphabet with å, ä and ö, in that order, after z.
_NORDIC_ENDING = str.maketrans({"å": "{", "ä": "|", "ö": "}"})


def in_name_order(items) -> list:
    """Regions or areas sorted by their names in the active language, as its readers
    alphabetise: in Finnish and Swedish å, ä and ö come after z; in English they are a and
    o."""
    if (get_language() or "fi")[:2] in ("fi", "sv"):
        return sorted(items, key=lambda item: item.name.casefold().translate(_NORDIC_ENDING))
    return sorted(
        items,
        key=lambda item: (
            unicodedata.normalize("NFKD", item.name.casefold()).encode("ascii", "ignore").decode()
        ),
    )
