from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .access import get_region_for_user
from .forms import RegionContactForm


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
