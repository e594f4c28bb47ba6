from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from regions.models import CooperationArea, Region
from regions.roles import Role, role_of

from .. import selectors, services
from ..access import (
    can_delete_document,
    can_upload_observations,
    get_negotiation_for_user,
    get_round_for_user,
    is_own_staff,
    material_deadline_passed,
)
from ..calendar import negotiation_calendar
from ..dates import round_year_error
from ..forms import BulkSlotFormSet, DocumentForm, NegotiationForm
from ..models import Round


def _party_field(round_: Round) -> str:
    """Which negotiation field names the other side: regions or cooperation areas."""
    return "region" if round_.kind == Round.Kind.REGION else "cooperation_area"


def _party(round_: Round, slug: str):
    model = Region if round_.kind == Round.Kind.REGION else CooperationArea
    return get_object_or_404(model, slug=slug)


def _party_regions(party):
    if isinstance(party, Region):
        return [party]
    return list(party.regions.all())


@login_required
@require_http_methods(["GET", "POST"])
def negotiation_create(request, pk, slug):
    round_ = get_round_for_user(request.user, pk, write=True)
    party = _party(round_, slug)
    form = NegotiationForm(
        request.POST or None,
        round=round_,
        party_regions=_party_regions(party),
        initial={
            "chair": request.user.pk,
            "language": getattr(party, "main_language", "fi"),
            "officials": [request.user.pk],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            negotiation = services.negotiation_schedule(
                round=round_,
                by=request.user,
                **{_party_field(round_): party},
                **form.service_arguments(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The negotiation was scheduled and the region notified."))
            return redirect("negotiation_detail", pk=negotiation.pk)
    return render(
        request,
        "negotiations/negotiation_form.html",
        {"form": form, "round": round_, "party": party},
    )


@login_required
@require_http_methods(["GET", "POST"])
def negotiation_edit(request, pk):
    negotiation = get_negotiation_for_user(request.user, pk, write=True)
    if negotiation.is_cancelled:
        raise Http404
    form = NegotiationForm(
        request.POST or None,
        round=negotiation.round,
        party_regions=_party_regions(negotiation.party),
        initial=NegotiationForm.initial_from(negotiation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.negotiation_update(
                negotiation=negotiation, by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The negotiation was saved."))
            return redirect("negotiation_detail", pk=negotiation.pk)
    return render(
        request,
        "negotiations/negotiation_form.html",
        {
            "form": form,
            "round": negotiation.round,
            "party": negotiation.party,
            "negotiation": negotiation,
        },
    )


@login_required
@require_POST
def negotiation_cancel(request, pk):
    negotiation = get_negotiation_for_user(request.user, pk, write=True)
    try:
        services.negotiation_cancel(negotiation=negotiation, by=request.user)
        messages.success(request, _("The negotiation was cancelled."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("negotiation_detail", pk=negotiation.pk)


@login_required
def negotiation_detail(request, pk):
    negotiation = get_negotiation_for_user(request.user, pk)
    official = role_of(request.user) == Role.OFFICIAL
    may_upload = official or can_upload_observations(request.user, negotiation)
    context = {
        "negotiation": negotiation,
        "round": negotiation.round,
        "official": official,
        "publicity_editable": official,
        "own_staff": is_own_staff(request.user, negotiation),
        "deadline_passed": material_deadline_passed(negotiation),
        "upload_form": DocumentForm(negotiation=negotiation, for_region=not official)
        if may_upload and not negotiation.is_cancelled
        else None,
        **selectors.negotiation_detail(negotiation, request.user),
    }
    context["deletable"] = {
        document.pk
        for document in context["documents"]
        + [d for item in context["agenda"] for d in item.documents.all()]
        if can_delete_document(request.user, document)
    }
    return render(request, "negotiations/negotiation_detail.html", context)


@login_required
def negotiation_ics(request, pk):
    negotiation = get_negotiation_for_user(request.user, pk)
    response = HttpResponse(
        negotiation_calendar(negotiation), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="neuvottelu-{negotiation.pk}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def bulk_schedule(request, pk):
    """Propose a slot for every unscheduled party; the official adjusts and saves."""
    round_ = get_round_for_user(request.user, pk, write=True)
    parties = {
        row.party.slug: row.party
        for row in selectors.round_dashboard(round_)
        if row.negotiation is None
    }
    if request.method == "POST":
        formset = BulkSlotFormSet(request.POST)
        if formset.is_valid():
            chosen = [form.cleaned_data for form in formset if form.cleaned_data.get("include")]
            errors = _save_slots(request, round_, parties, chosen)
            if not errors:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s negotiation was scheduled.",
                        "%(count)s negotiations were scheduled.",
                        len(chosen),
                    )
                    % {"count": len(chosen)},
                )
                return redirect("round_dashboard", pk=round_.pk)
            for message in errors:
                messages.error(request, message)
    else:
        proposals, _left = services.propose_slots(
            round=round_,
            parties=list(parties.values()),
            chair=request.user,
            start_from=timezone.localdate(),
        )
        formset = BulkSlotFormSet(
            initial=[
                {"party": party.slug, "starts_at": start, "ends_at": end, "include": True}
                for party, start, end in proposals
            ]
        )
    rows = [(form, parties.get(form["party"].value())) for form in formset]
    return render(
        request,
        "negotiations/bulk_schedule.html",
        {"round": round_, "formset": formset, "rows": rows, "unplaced": len(parties) - len(rows)},
    )


def _save_slots(request, round_, parties, chosen) -> list[str]:
    """Save all chosen slots or none: a clash anywhere keeps the whole proposal on screen."""
    errors = []
    try:
        with transaction.atomic():
            for data in chosen:
                party = parties.get(data["party"])
                if party is None:
                    raise ValidationError(_("A region in the proposal is already scheduled."))
                # A year far from the round's is a typo: said as such, not as "outside
                # the window" (the service refuses it as well).
                if message := round_year_error(round_.year, data["starts_at"]):
                    errors.append(f"{party}: {message}")
                    continue
                if services.outside_window(round_, data["starts_at"], data["ends_at"]):
                    outside = _("The date is outside the negotiation window.")
                    errors.append(f"{party}: {outside}")
                    continue
                try:
                    services.negotiation_schedule(
                        round=round_,
                        by=request.user,
                        **{_party_field(round_): party},
                        starts_at=data["starts_at"],
                        ends_at=data["ends_at"],
                        chair=request.user,
                        officials=[request.user],
                    )
                except ValidationError as error:
                    errors.append(f"{party}: {' '.join(error.messages)}")
            if errors:
                raise ValidationError(errors)
    except ValidationError as error:
        return errors or error.messages
    return []
