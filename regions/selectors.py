from .models import Region


def cooperation_areas_with_regions() -> list:
    """All cooperation areas, each with `region_list`, its regions by name: one query.

    Every area has regions (the reference data has no empty area), so reading the regions
    with their areas gives the whole tree.
    """
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
