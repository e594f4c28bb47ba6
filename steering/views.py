from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from minutes.public import Parties, current_rows, public_schedule, url_maker, with_urls
from minutes.public_cache import public_page
from regions.roles import Role, role_of
from regions.selectors import cooperation_areas_with_regions, in_name_order


@public_page
def home(request):
    parties = Parties()
    region_url = url_maker("region_detail", "zz-sample-zz")
    # (area, [(region, address)]): the areas and regions are shared between requests, so
    # their addresses, which depend on the language, are not set on them.
    areas = [
        (area, [(region, region_url(region.slug)) for region in in_name_order(area.region_list)])
        for area in in_name_order(parties.areas)
    ]
    return render(
        request,
        "home.html",
        {
            "cooperation_areas": areas,
            "latest": with_urls(parties.attach(current_rows()[:10])),
            "schedule": parties.attach(public_schedule(timezone.localdate().year)),
        },
    )


def accessibility(request):
    return render(request, "accessibility.html")


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
            {"cooperation_areas": cooperation_areas_with_regions()},
        )
    if role == Role.ADMINISTRATOR:
        return redirect("admin:index")
    # Signed in but attached to no organisation or region yet: nothing to work on.
    raise PermissionDenied


def bare(request):
    """The bare framework's cost: a constant answer, the yardstick of make bench-web."""
    from django.http import HttpResponse

    return HttpResponse(b"ok", content_type="text/plain")
