from django.db.models import Prefetch

from .models import CooperationArea, Region


def cooperation_areas_with_regions():
    """All cooperation areas with their regions, in two queries whatever the data size."""
    return CooperationArea.objects.prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("name_fi"))
    ).order_by("name_fi")


def region_staff(region):
    return region.staff.filter(is_active=True).order_by("last_name", "first_name", "username")
