import time

from django.db import transaction

from .models import CooperationArea, Region

# The 28 reference rows change a few times a decade, through the admin or the reference
# import. Each process keeps its read of them for at most this long, and forgets it at once
# when it saves or deletes one itself, the way Django keeps Site and ContentType rows: on an
# uncached public page the read cost as much as the page's own query.
REFERENCE_LIFETIME = 60

# (monotonic deadline, areas): replaced whole, never changed in place, so threads that read
# it while another replaces it see one consistent tree.
_tree: tuple[float, list] | None = None


def cooperation_areas_with_regions() -> list:
    """All cooperation areas by name, each with `region_list`, its regions by name: read
    at most every REFERENCE_LIFETIME seconds per process.

    The areas and regions are shared between requests: read them, never set attributes on
    them.
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
    names = ("slug", "name_fi", "name_sv", "name_en")
    areas = list(CooperationArea.objects.only(*names).order_by("name_fi"))
    by_pk = {area.pk: area for area in areas}
    for area in areas:
        area.region_list = []
    for region in Region.objects.only(*names, "cooperation_area").order_by("name_fi"):
        area = by_pk[region.cooperation_area_id]
        region.cooperation_area = area
        area.region_list.append(region)
    return areas


def region_staff(region):
    return region.staff.filter(is_active=True).order_by("last_name", "first_name", "username")
