from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from regions.roles import Role, role_of
from steering.confirm import is_confirmed, render_confirmation
from steering.downloads import stored_file_response

from .. import services
from ..access import (
    can_upload_observations,
    get_document_for_user,
    get_negotiation_for_user,
    get_round_for_user,
)
from ..forms import DocumentForm, DocumentPublicityForm
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
        # A refusal naming its field (a Sámi language outside Lapland) goes to that field.
        form.add_error(None if hasattr(error, "error_dict") else "file", error)
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


def _back(document) -> str:
    if document.negotiation_id:
        return reverse("negotiation_detail", kwargs={"pk": document.negotiation_id})
    return reverse("round_dashboard", kwargs={"pk": document.round_id})


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request, pk):
    document = get_document_for_user(request.user, pk, write=True)
    back = _back(document)
    if not is_confirmed(request):
        where = (
            _("It is removed from the negotiation's material and its file is deleted.")
            if document.negotiation_id
            else _("It is removed from the material of every negotiation of the round.")
        )
        return render_confirmation(
            request,
            title=_("Remove the document?"),
            consequences=[
                where,
                _("This cannot be undone; the removal is recorded with your name."),
            ],
            button=_("Remove the document"),
            cancel_url=back,
            action_url=reverse("document_delete", kwargs={"pk": document.pk}),
            context=f"{document.title} ({document.original_name})",
            lang=document.language,
        )
    try:
        services.document_delete(document=document, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, _("The file was removed."))
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def document_publicity(request, pk):
    """Officials change who may read a document; the change is recorded with their name."""
    document = get_document_for_user(request.user, pk)
    if role_of(request.user) != Role.OFFICIAL:
        raise PermissionDenied
    form = DocumentPublicityForm(
        request.POST or None,
        initial={"publicity": document.publicity, "secrecy_ground": document.secrecy_ground},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.document_set_publicity(document=document, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The publicity of the document was changed."))
            return redirect(_back(document))
    return render(
        request,
        "negotiations/document_publicity.html",
        {"form": form, "document": document, "cancel_url": _back(document)},
        status=400 if form.errors else 200,
    )
