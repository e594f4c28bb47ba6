"""The signed-in starting pages: an official's work across regions, a region's next steps.
Here, at the top of the layering, because they read regions, negotiations and minutes."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from negotiations.selectors import negotiations_of_region
from regions.access import can_edit_region_workspace, get_region_for_user
from regions.roles import Role, role_of
from regions.selectors import cooperation_areas_with_regions, region_staff

from ..landing import official_work, region_next_steps


@login_required
def workspace(request):
    """Where a login lands: each side's own starting page."""
    role = role_of(request.user)
    if role == Role.REGION_STAFF:
        return redirect("region_workspace", slug=request.user.region.slug)
    if role == Role.OFFICIAL:
        return render(
            request,
            "workspace/official.html",
            {**official_work(request.user), "cooperation_areas": cooperation_areas_with_regions()},
        )
    if role == Role.ADMINISTRATOR:
        return redirect("admin:index")
    # Signed in but attached to no organisation or region yet: nothing to work on.
    raise PermissionDenied


@login_required
def region_workspace(request, slug):
    """A region's starting page: what comes next for it, then its negotiations, contacts and
    staff."""
    region = get_region_for_user(request.user, slug)
    return render(
        request,
        "regions/region_workspace.html",
        {
            **region_next_steps(request.user, region),
            "region": region,
            "staff": region_staff(region),
            "negotiations": negotiations_of_region(request.user, region),
            "now": timezone.now(),
            "can_edit": can_edit_region_workspace(request.user, region),
        },
    )
