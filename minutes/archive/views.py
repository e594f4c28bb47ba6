from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from steering.downloads import stored_file_response

from .access import get_export_for_user, get_round_for_archive, require_official
from .services import archive_request


def _exports(round_):
    return round_.archive_exports.select_related("requested_by")


@login_required
@require_http_methods(["GET", "POST"])
def archive_list(request, pk):
    """The round's archive packages; a POST asks for a new one (or finds the running one)."""
    round_ = get_round_for_archive(request.user, pk)
    if request.method == "POST":
        try:
            export = archive_request(round=round_, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("round_dashboard", pk=round_.pk)
        return redirect("archive_detail", pk=export.pk)
    return render(
        request, "minutes/archive_list.html", {"round": round_, "exports": _exports(round_)}
    )


@login_required
def archive_detail(request, pk):
    export = get_export_for_user(request.user, pk)
    others = _exports(export.round).exclude(pk=export.pk)
    return render(request, "minutes/archive_detail.html", {"export": export, "others": others})


def archive_download(request, pk):
    """The package, for officials only: to anyone else, signed in or not, it does not
    exist. Never a half-made one: only a ready export has a file."""
    require_official(request.user)
    export = get_export_for_user(request.user, pk)
    if not export.is_ready:
        raise Http404
    return stored_file_response(
        request,
        export.file,
        sha256=export.sha256,
        filename=export.filename,
        content_type="application/zip",
        cache_control="private, no-store",
    )
