from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regions.roles import Role, role_of
from steering.downloads import stored_file_response

from ..access import get_version_for_user
from ..models import ProtocolPDF
from ..selectors import document_id
from ..services.protocols import protocol_request
from ..translation import reading_language


@login_required
def protocol_pdf(request, pk, number):
    """The PDF of a version, for those who may see the version (drafts: ministry and
    region only). Approved versions never change, so they may be cached for long."""
    version = get_version_for_user(request.user, pk, number)
    # ?lang=sv: a bilingual version's other language rendition.
    language = reading_language(version.snapshot, request.GET.get("lang"))
    pdf = ProtocolPDF.objects.filter(
        version=version, language=language, status=ProtocolPDF.Status.DONE
    ).first()
    if pdf is None or not pdf.file:
        raise Http404
    return stored_file_response(
        request,
        pdf.file,
        sha256=pdf.sha256,
        filename=f"{document_id(version)}.pdf",
        content_type="application/pdf",
        cache_control=(
            "private, max-age=31536000, immutable" if version.approved else "private, no-cache"
        ),
    )


@login_required
@require_POST
def protocol_render_request(request, pk, number):
    version = get_version_for_user(request.user, pk, number)
    if role_of(request.user) != Role.OFFICIAL:
        raise PermissionDenied
    try:
        protocol_request(version=version)
        messages.success(request, _("The PDF is being made; reload the page in a moment."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("minutes_version", kwargs={"pk": pk, "number": number}))
