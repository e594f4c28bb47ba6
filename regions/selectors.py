import itertools
import threading
import time
import unicodedata

from django.db import connection, transaction
from django.utils.translation import get_language

from .models import CooperationArea, Region

# The 28 reference rows change a few times a decade, through the admin or the reference
# import. Each process keeps its read of them, the way Django keeps Site and ContentType
# rows: on an uncached public page the read cost as much as the page's own query. The read
# is made again after REFERENCE_LIFETIME seconds, at once after this process changes a row,
# and when the public pages' shared generation moves (`follow_generation`), which every
# process's change of a row moves.
REFERENCE_LIFETIME = 60
# The fields the read holds: saving only others (a registry address) forgets nothing.
TREE_FIELDS = frozenset(
    {"slug", "name_fi", "name_sv", "name_en", "cooperation_area", "cooperation_area_id"}
)
# The one field of a region that no public page shows.
PRIVATE_FIELDS = frozenset({"registry_email"})

# (forgets counted when the read began, monotonic deadline, areas): replaced whole, never
# changed in place, so threads that read it while another replaces it see one consistent
# tree.
_tree: tuple[int, float, list] | None = None
# Moves on every forget. A tree is used only while no forget has happened since its read
# began, so a read that a forget overtook (even one stored just after the forget, by
# another thread) is not used again.
_forgets = itertools.count()
_last_forget = next(_forgets)
_generation = None
# Set in a thread that changed a row inside a transaction not yet committed: its reads
# see its own change, which may still be rolled back, so they are not kept.
_local = threading.local()


def cooperation_areas_with_regions() -> list:
    """All cooperation areas by name, each with `region_list`, its regions by name.

    The areas and regions are shared between requests: read them, never set attributes on
    them.
    """
    global _tree
    uncommitted = _uncommitted_change()
    found = _tree
    if (
        found is not None
        and found[0] == _last_forget
        and found[1] >= time.monotonic()
        and not uncommitted
    ):
        return list(found[2])
    started = _last_forget
    areas = _read_tree()
    if not uncommitted:
        _tree = (started, time.monotonic() + REFERENCE_LIFETIME, areas)
    return list(areas)


def forget_reference_data() -> None:
    """Drop this process's read of the regions and areas: the next one reads them again."""
    global _tree, _last_forget
    _last_forget = next(_forgets)
    _tree = None


def start_afresh() -> None:
    """As in a new process: nothing read, no generation seen, no uncommitted change (for
    tests, whose transactions end in a rollback)."""
    global _generation
    forget_reference_data()
    _generation = None
    _local.uncommitted = False


def follow_generation(generation) -> None:
    """Called with the public pages' shared generation: a new one (another process may have
    changed a region) makes this process read the regions and areas again."""
    global _generation
    if generation != _generation:
        _generation = generation
        forget_reference_data()


def reference_data_changed(update_fields=None, **kwargs) -> None:
    """A region or area was saved or deleted here: forget the read now, and again when the
    transaction commits."""
    if update_fields is not None and not TREE_FIELDS & set(update_fields):
        return
    forget_reference_data()
    if connection.in_atomic_block:
        _local.uncommitted = True
        transaction.on_commit(_committed, robust=True)


def _committed() -> None:
    _local.uncommitted = False
    forget_reference_data()


def _uncommitted_change() -> bool:
    if getattr(_local, "uncommitted", False) and not connection.in_atomic_block:
        _local.uncommitted = False  # rolled back: the transaction is over without a commit
    return getattr(_local, "uncommitted", False)


def _read_tree() -> list:
    names = ("slug", "name_fi", "name_sv", "name_en")
    # Regions first: an area that has regions cannot be deleted, so every area they name
    # is still there for the second read.
    regions = list(Region.objects.only(*names, "cooperation_area").order_by("name_fi"))
    areas = list(CooperationArea.objects.only(*names).order_by("name_fi"))
    by_pk = {area.pk: area for area in areas}
    for area in areas:
        area.region_list = []
    for region in regions:
        area = by_pk.get(region.cooperation_area_id)
        if area is not None:
            region.cooperation_area = area
            area.region_list.append(region)
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
