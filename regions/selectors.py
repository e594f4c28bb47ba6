import time

from django.db import transaction

from .models import Region

# The 28 reference rows change a few times a decade, through the admin or the reference
# import. Each process keeps its read of them for at most this long, and forgets it at once
# when it saves or deletes one itself, the way Django keeps Site and ContentType rows: on an
# uncached public page the read cost as much as the page's own query.
REFERENCE_LIFETIME = 60

# (monotonic deadline, areas): replaced whole, never changed in place, so threads that read
# it while another replaces it see one consistent tree.
_tree: tuple[float, list] | None = None


def cooperation_areas_with_regions() -> list:
    """All cooperation areas, each with `region_list`, its regions by name: one query, at
    most every REFERENCE_LIFETIME seconds per process.

    The areas and regions are shared between requests: read them, never set attributes on
    them. Every area has regions (the reference data has no empty area), so reading the
    regions with their areas gives the whole tree.
    """
    global _tree
    found = _tree
    if found is None or found[0] < time.monotonic():
        found = _tree = (time.monotonic() + REFERENCE_LIFETIME, _read_tree())
    return list(found[1])


def forget_reference_data() -> None:
    """Drop this process's read of the regions and areas: the next one reads them again."""
    global _tree
    _tree = None


def reference_data_changed(**kwargs) -> None:
    """A region or area was saved or deleted here: forget the read now, and again when the
    transaction commits (a read in between would otherwise keep the old rows)."""
    forget_reference_data()
    transaction.on_commit(forget_reference_data, robust=True)


def _read_tree() -> list:
    areas = {}
    regions = (
        Region.objects.select_related("cooperation_area")
        .only("slug", "name_fi", "name_sv", "name_en", "cooperation_area__slug",
              "cooperation_area__name_fi", "cooperation_area__name_sv",
              "cooperation_area__name_en")
        .order_by("cooperation_area__name_fi", "name_fi")
    )  # fmt: skip
    for region in regions:
        if region.cooperation_area_id not in areas:
            areas[region.cooperation_area_id] = region.cooperation_area
            region.cooperation_area.region_list = []
        areas[region.cooperation_area_id].region_list.append(region)
    return list(areas.values())


def region_staff(region):
    return region.staff.filter(is_active=True).order_by("last_name", "first_name", "username")
