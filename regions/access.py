"""Access decisions for regions' working pages: one helper, used by every view.

Reference data about a region (names, languages) is public. A region's *workspace*
(its contacts, and in later steps its negotiations and unpublished material) is for the
ministries' officials, administrators and that region's own staff; to anyone else the
region's workspace does not exist (404), so probing slugs reveals nothing.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Region
from .roles import Role, role_of


def can_view_region_workspace(user, region: Region) -> bool:
    role = role_of(user)
    if role == Role.REGION_STAFF:
        return user.region_id == region.pk
    return role in (Role.OFFICIAL, Role.ADMINISTRATOR)


def can_edit_region_workspace(user, region: Region) -> bool:
    # Administrators keep reference data in the admin; the workspace belongs to the two
    # negotiating sides.
    role = role_of(user)
    if role == Role.REGION_STAFF:
        return user.region_id == region.pk
    return role == Role.OFFICIAL


def get_region_for_user(user, slug: str, *, write: bool = False) -> Region:
    region = get_object_or_404(Region.objects.select_related("cooperation_area"), slug=slug)
    if not can_view_region_workspace(user, region):
        raise Http404
    if write and not can_edit_region_workspace(user, region):
        raise PermissionDenied
    return region
