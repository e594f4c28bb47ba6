"""The ledger's pages: the region's follow-up actions with reports, an item's page with
its history (and, for officials, the status and remark forms), the officials' overview
across regions with its CSV, and the report files behind access checks."""

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from negotiations.uploads import explain_lost_file
from regions.roles import Role, role_of
from steering.downloads import stored_file_response

from ..access import get_tracked_item_for_user
from ..followup_forms import ItemRemarkForm, ItemReportForm, ItemStatusForm, OverviewFilterForm
from ..followup_selectors import item_history, open_items_for, overview, overview_items
from ..models import ItemStatus
from ..services import ledger

OVERVIEW_ITEMS = 200


def _can_read_overview(user) -> bool:
    return role_of(user) in (Role.OFFICIAL, Role.ADMINISTRATOR)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_safe
def followup_list(request):
    """Region staff: the open items of their region and its cooperation area. Officials
    follow all regions on the overview."""
    role = role_of(request.user)
    if _can_read_overview(request.user):
        return redirect("followup_overview")
    if role != Role.REGION_STAFF:
        raise Http404
    return render(
        request,
        "minutes/followup/list.html",
        {"items": open_items_for(request.user), "region": request.user.region},
    )


def _item_page(request, item, *, report_form=None, status_form=None, status=200):
    official = role_of(request.user) == Role.OFFICIAL
    own_staff = role_of(request.user) == Role.REGION_STAFF
    if report_form is None and (official or (own_staff and not item.is_closed)):
        report_form = ItemRemarkForm() if official else ItemReportForm()
    if status_form is None and official:
        status_form = ItemStatusForm(item=item)
    return render(
        request,
        "minutes/followup/item.html",
        {
            "item": item,
            **item_history(item),
            "official": official,
            "report_form": report_form,
            "status_form": status_form,
            "closed_for_region": own_staff and item.is_closed,
        },
        status=status,
    )


@login_required
@require_safe
def item_detail(request, pk):
    return _item_page(request, get_tracked_item_for_user(request.user, pk))


@login_required
@require_POST
def item_report(request, pk):
    item = get_tracked_item_for_user(request.user, pk, write=True)
    official = role_of(request.user) == Role.OFFICIAL
    form = (ItemRemarkForm if official else ItemReportForm)(request.POST, request.FILES)
    if form.is_valid():
        try:
            ledger.item_report(
                item=item, by=request.user, text=form.cleaned_data["text"],
                upload=form.cleaned_data["file"],
                max_bytes=settings.MAX_UPLOAD_MB * 1024 * 1024,
            )  # fmt: skip
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, error)
            elif form.cleaned_data["file"] is not None and error.code not in ("closed", None):
                form.add_error("file", error)  # the upload's content was refused
            else:
                # Closed or removed meanwhile: the page says why, nothing was saved.
                messages.error(request, _errors(error))
                return redirect("followup_item", pk=item.pk)
        else:
            messages.success(
                request, _("Your remark was saved.") if official else _("Your report was saved.")
            )
            return redirect("followup_item", pk=item.pk)
    explain_lost_file(request, form)
    return _item_page(request, item, report_form=form, status=400)


@login_required
@require_POST
def item_status(request, pk):
    item = get_tracked_item_for_user(request.user, pk, write=True)
    if role_of(request.user) != Role.OFFICIAL:
        # The ledger refuses it in words; the page says so and nothing changes.
        try:
            ledger.item_set_status(
                item=item, by=request.user, status=request.POST.get("status", ""), reason=""
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        return redirect("followup_item", pk=item.pk)
    form = ItemStatusForm(request.POST, item=item)
    if form.is_valid():
        try:
            ledger.item_set_status(
                item=item, by=request.user, status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The status was saved."))
            return redirect("followup_item", pk=item.pk)
    return _item_page(request, item, status_form=form, status=400)


@login_required
@require_safe
def report_file(request, pk, report_pk):
    item = get_tracked_item_for_user(request.user, pk)
    report = get_object_or_404(item.reports.exclude(file=""), pk=report_pk)
    return stored_file_response(
        request, report.file, filename=report.original_name, content_type=report.content_type,
        cache_control="private, no-store", sha256=report.sha256,
    )  # fmt: skip


def _overview_form(request):
    if not _can_read_overview(request.user):
        raise Http404
    return OverviewFilterForm(request.GET or None)


@login_required
@require_safe
def followup_overview(request):
    form = _overview_form(request)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return render(
        request,
        "minutes/followup/overview.html",
        {
            "form": form,
            "statuses": ItemStatus.choices,
            **overview(data),
            # The table counts them all; the list shows the first ones, the CSV has all.
            "items": list(overview_items(data)[:OVERVIEW_ITEMS]),
            "items_shown": OVERVIEW_ITEMS,
            "query": request.GET.urlencode(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_safe
def followup_overview_csv(request):
    """The overview's items for Finnish Excel: UTF-8 with a byte-order mark (without it
    Excel reads the file as Windows-1252) and `;` between fields (`,` is the decimal
    separator in Finnish)."""
    form = _overview_form(request)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest(" ".join(_errors_of(form)), content_type="text/plain")
    data = form.cleaned_data if form.is_bound else {}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Year"), _("Region"), _("No."), _("Kind"), _("Text"), _("Responsible party"),
            _("Due date"), _("Topic"), _("Status"), _("Overdue"), _("Reason"),
        ]
    )  # fmt: skip
    for item in overview_items(data):
        writer.writerow(
            [
                item.year, item.party.name, item.number, item.get_kind_display(),
                _spreadsheet_safe(item.text), item.get_responsible_display(),
                item.due_date.strftime("%d.%m.%Y") if item.due_date else "",
                item.topic.name if item.topic else "", item.get_status_display(),
                _("yes") if item.is_overdue else "", _spreadsheet_safe(item.status_reason),
            ]
        )  # fmt: skip
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="follow-up-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def _errors_of(form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]


def _spreadsheet_safe(text: str) -> str:
    """A cell that starts like a formula is read as text by Excel, not run."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
