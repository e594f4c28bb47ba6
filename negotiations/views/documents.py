from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from regions.roles import Role, role_of
from steering.downloads import stored_file_response

from .. import services
from ..access import (
    can_upload_observations,
    get_document_for_user,
    get_negotiation_for_user,
    get_round_for_user,
)
from ..forms import DocumentForm
from ..models import Document
from ..uploads import explain_lost_file


def upload_limit_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


def _stored(request, form, **target) -> bool:
    """Store a valid upload; a refusal of its content becomes the file field's error."""
    data = {**form.cleaned_data, **target}
    uploaded = data.pop("file")
    try:
        services.document_add(
            by=request.user, uploaded_file=uploaded, max_bytes=upload_limit_bytes(), **data
        )
    except ValidationError as error:
        form.add_error("file", error)
        return False
    messages.success(request, _("The file was uploaded."))
    return True


@login_required
@require_POST
def negotiation_document_upload(request, pk):
    negotiation = get_negotiation_for_user(request.user, pk)
    official = role_of(request.user) == Role.OFFICIAL
    if not official and not can_upload_observations(request.user, negotiation):
        # The form is not offered after the deadline; a stale or forged post ends here.
        raise PermissionDenied
    form = DocumentForm(
        request.POST, request.FILES, negotiation=negotiation, for_region=not official
    )
    # The region uploads its own observations; what they are is not its choice.
    forced = {} if official else {"kind": Document.Kind.REGION_OBSERVATIONS}
    if form.is_valid() and _stored(request, form, negotiation=negotiation, **forced):
        return redirect("negotiation_detail", pk=negotiation.pk)
    explain_lost_file(request, form)
    return render(
        request,
        "negotiations/document_form.html",
        {"form": form, "negotiation": negotiation, "action": request.path},
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_document_upload(request, pk):
    round_ = get_round_for_user(request.user, pk, write=True)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and _stored(request, form, round=round_):
        return redirect("round_dashboard", pk=round_.pk)
    if request.method == "POST":
        explain_lost_file(request, form)
    return render(
        request,
        "negotiations/document_form.html",
        {"form": form, "round": round_, "action": request.path},
    )


@login_required
def document_download(request, pk):
    document = get_document_for_user(request.user, pk)
    return stored_file_response(
        request, document.file, filename=document.original_name,
        content_type=document.content_type, cache_control="private, no-store",
    )  # fmt: skip


@login_required
@require_POST
def document_delete(request, pk):
    document = get_document_for_user(request.user, pk, write=True)
    target = document.negotiation_id
    round_id = document.round_id
    services.document_delete(document=document, by=request.user)
    messages.success(request, _("The file was removed."))
    if target:
        return redirect("negotiation_detail", pk=target)
    return redirect("round_dashboard", pk=round_id)
