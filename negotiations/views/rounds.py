from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from regions.roles import Role, role_of
from steering.confirm import is_confirmed, render_confirmation

from .. import selectors, services
from ..access import can_see_rounds, get_round_for_user, require_official
from ..forms import RoundForm
from ..models import AgendaTemplate, Round
from ..workdays import same_day_next_year


@login_required
def round_list(request):
    if not can_see_rounds(request.user):
        raise Http404
    rounds = Round.objects.select_related("created_by").order_by("-year", "kind")
    return render(request, "negotiations/round_list.html", {"rounds": rounds})


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    require_official(request.user)
    today = timezone.localdate()
    form = RoundForm(
        request.POST or None,
        initial={"year": today.year + 1, "agenda_template": AgendaTemplate.objects.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_open(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The round was opened."))
            return redirect("round_dashboard", pk=round_.pk)
    return render(request, "negotiations/round_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request, pk):
    round_ = get_round_for_user(request.user, pk, write=True)
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(round=round_, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The round was saved."))
            return redirect("round_dashboard", pk=round_.pk)
    return render(request, "negotiations/round_form.html", {"form": form, "round": round_})


@login_required
@require_http_methods(["GET", "POST"])
def round_next(request, pk):
    """Next year's round from this one: the proposal on screen first, saved only when the
    official has reviewed it, through the same form and rules as opening a round."""
    source = get_round_for_user(request.user, pk, write=True)
    existing = services.round_next_existing(source)
    if existing is not None:
        messages.error(
            request,
            _("Next year's round (%(round)s) already exists; nothing was changed.")
            % {"round": existing},
        )
        return redirect("round_dashboard", pk=existing.pk)
    proposal = services.round_next_proposal(source)
    form = RoundForm(request.POST or None, initial=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_create_next(round=source, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Next year's round was opened."))
            return redirect("round_dashboard", pk=round_.pk)
    for name in services.ROUND_DATE_FIELDS:
        plain = same_day_next_year(getattr(source, name))
        if proposal[name] != plain:
            form.fields[name].help_text = _("Moved from %(day)s, which is not a working day.") % {
                "day": f"{date_format(plain, 'D')} {date_format(plain, 'SHORT_DATE_FORMAT')}"
            }
    return render(request, "negotiations/round_next.html", {"form": form, "source": source})


@login_required
def round_dashboard(request, pk):
    round_ = get_round_for_user(request.user, pk)
    rows = selectors.round_dashboard(round_)
    return render(
        request,
        "negotiations/round_dashboard.html",
        {
            "round": round_,
            "rows": rows,
            "unscheduled": sum(1 for row in rows if row.negotiation is None),
            "events": round_.events.select_related("by"),
            "round_documents": round_.documents.select_related("uploaded_by", "secrecy_ground"),
            "can_edit": role_of(request.user) == Role.OFFICIAL,
        },
    )


@login_required
@require_POST
def round_close(request, pk):
    round_ = get_round_for_user(request.user, pk, write=True)
    if request.POST.get("action") != "reopen" and round_.is_open and not is_confirmed(request):
        return _confirm_round_close(request, round_)
    try:
        if request.POST.get("action") == "reopen":
            services.round_reopen(round=round_, by=request.user)
            messages.success(request, _("The round was reopened."))
        else:
            services.round_close(round=round_, by=request.user)
            messages.success(request, _("The round was closed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("round_dashboard", pk=round_.pk)


def _confirm_round_close(request, round_):
    summary = selectors.round_close_summary(round_)
    consequences = [
        ngettext(
            "The round's %(count)s negotiation leaves the public schedule.",
            "The round's %(count)s negotiations leave the public schedule.",
            summary["negotiations"],
        )
        % {"count": summary["negotiations"]},
        ngettext(
            "%(count)s of them has no published protocol yet; its minutes can still be "
            "written, approved and published.",
            "%(count)s of them have no published protocol yet; their minutes can still be "
            "written, approved and published.",
            summary["unpublished"],
        )
        % {"count": summary["unpublished"]},
        _("No new negotiations can be scheduled in the round until it is reopened."),
    ]
    return render_confirmation(
        request,
        title=_("Close the round?"),
        consequences=consequences,
        button=_("Close the round"),
        cancel_url=reverse("round_dashboard", kwargs={"pk": round_.pk}),
        fields={"action": "close"},
        context=str(round_),
    )
