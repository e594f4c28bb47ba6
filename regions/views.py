from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minutes.public_cache import public_page

from . import services
from .access import get_region_for_user
from .forms import RegionContactForm
from .models import Region


@public_page
def region_detail(request, slug):
    """A region's public page: reference data, its published protocols and the items they
    made, with the status the published protocols recorded; nothing that is not public."""
    from minutes.followup_selectors import public_items_of_region
    from minutes.public import current_rows, with_urls

    region = get_object_or_404(Region.objects.select_related("cooperation_area"), slug=slug)
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "publications": with_urls(list(current_rows().filter(region=region))),
            "items": public_items_of_region(region),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def region_contact_edit(request, slug):
    region = get_region_for_user(request.user, slug, write=True)
    form = RegionContactForm(
        request.POST or None, initial={"registry_email": region.registry_email}
    )
    if request.method == "POST" and form.is_valid():
        services.region_contact_update(
            region=region, registry_email=form.cleaned_data["registry_email"], by=request.user
        )
        messages.success(request, _("The region's contact details were saved."))
        return redirect("region_workspace", slug=region.slug)
    return render(request, "regions/region_contact_form.html", {"region": region, "form": form})
