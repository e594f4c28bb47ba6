from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from negotiations.access import get_negotiation_for_user
from regions.roles import Role, role_of

from .. import publishing, services
from ..access import get_minutes_for_user
from ..diff import diff_html, version_diff
from ..forms import ApproveForm, FollowUpForm, MinutesTextForm
from ..models import Publication
from ..selectors import failed_pdfs
from ..services import StaleMinutes


@login_required
@require_POST
def minutes_start(request, negotiation_pk):
    negotiation = get_negotiation_for_user(request.user, negotiation_pk, write=True)
    try:
        minutes = services.minutes_start(negotiation=negotiation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("negotiation_detail", pk=negotiation.pk)
    return redirect("minutes_edit", pk=minutes.pk)


@login_required
def minutes_detail(request, pk):
    minutes = get_minutes_for_user(request.user, pk)
    official = role_of(request.user) == Role.OFFICIAL
    versions = list(minutes.versions.select_related("created_by").order_by("-number"))
    latest = services.latest_review_version(minutes)
    return render(
        request,
        "minutes/minutes_detail.html",
        {
            "minutes": minutes,
            "negotiation": minutes.negotiation,
            "official": official,
            "versions": versions,
            "actions": minutes.actions.all(),
            "followup_form": FollowUpForm() if official and minutes.is_editable else None,
            "approve_form": ApproveForm() if official else None,
            "open_comments": services.open_comments(latest).count() if latest else 0,
            "publications": minutes.negotiation.publications.select_related("version"),
            "failed_pdfs": failed_pdfs(minutes) if official else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    minutes = get_minutes_for_user(request.user, pk, write=True)
    if not minutes.is_editable:
        messages.error(request, _("The minutes cannot be edited in their current state."))
        return redirect("minutes_detail", pk=minutes.pk)
    form = MinutesTextForm(
        request.POST or None, minutes=minutes, initial=MinutesTextForm.initial_for(minutes)
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_save_text(
                minutes=minutes,
                by=request.user,
                expected_revision=form.cleaned_data["revision"],
                participants=form.cleaned_data["participants"],
                conclusions=form.cleaned_data["conclusions"],
                sections=form.section_bodies(),
            )
        except StaleMinutes as stale:
            conflict = _conflict(stale.current, form)
            # The next save is based on what the editor has now seen.
            data = request.POST.copy()
            data["revision"] = stale.current.revision
            form = MinutesTextForm(data, minutes=minutes)
            form.is_valid()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The minutes were saved."))
            if "preview" in request.POST:
                return redirect("minutes_preview", pk=minutes.pk)
            return redirect("minutes_edit", pk=minutes.pk)
    return render(
        request,
        "minutes/minutes_edit.html",
        {
            "minutes": minutes,
            "negotiation": minutes.negotiation,
            "form": form,
            "conflict": conflict,
        },
    )


def _conflict(current, form) -> dict:
    """What the other editor saved, against what this editor tried to save."""
    current_sections = {section.pk: section for section in current.sections.all()}
    changes = []
    for name, label, saved in (
        ("participants", _("Participants"), current.participants),
        ("conclusions", _("Conclusions"), current.conclusions),
    ):
        mine = form.cleaned_data.get(name, "")
        if mine != saved:
            changes.append({"label": label, "html": diff_html(mine, saved)})
    for section_id, mine in form.section_bodies().items():
        saved = current_sections[section_id].body
        if mine != saved:
            changes.append(
                {"label": current_sections[section_id].heading, "html": diff_html(mine, saved)}
            )
    return {"by": current.updated_by, "at": current.updated_at, "changes": changes}


@login_required
def minutes_preview(request, pk):
    minutes = get_minutes_for_user(request.user, pk, write=True)
    return render(
        request,
        "minutes/minutes_preview.html",
        {
            "minutes": minutes,
            "negotiation": minutes.negotiation,
            "content": services.snapshot(minutes),
        },
    )


@login_required
@require_POST
def followup_add(request, pk):
    minutes = get_minutes_for_user(request.user, pk, write=True)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.followup_add(minutes=minutes, by=request.user, **form.cleaned_data)
            messages.success(request, _("The follow-up action was added."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Fill in the follow-up action and who is responsible."))
    return redirect("minutes_detail", pk=minutes.pk)


@login_required
@require_POST
def followup_remove(request, pk, action_pk):
    minutes = get_minutes_for_user(request.user, pk, write=True)
    action = get_object_or_404(minutes.actions, pk=action_pk)
    try:
        services.followup_remove(action=action, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("minutes_detail", pk=minutes.pk)


@login_required
@require_POST
def minutes_transition(request, pk, action):
    minutes = get_minutes_for_user(request.user, pk, write=True)
    try:
        if action == "send":
            version = services.minutes_send_for_review(minutes=minutes, by=request.user)
            messages.success(
                request,
                _("Version %(number)s was sent to the region for comments.")
                % {"number": version.number},
            )
        elif action == "revise":
            services.minutes_start_revision(minutes=minutes, by=request.user)
            messages.success(request, _("You can now revise the minutes."))
        elif action == "approve":
            form = ApproveForm(request.POST)
            form.is_valid()
            services.minutes_approve(
                minutes=minutes,
                by=request.user,
                override_reason=form.cleaned_data.get("override_reason", ""),
            )
            messages.success(request, _("The minutes were approved."))
        elif action == "publish":
            publishing.protocol_publish(
                minutes=minutes, by=request.user, note=request.POST.get("note", "")
            )
            messages.success(request, _("The protocol was published."))
        elif action == "correct":
            publishing.minutes_start_correction(minutes=minutes, by=request.user)
            messages.success(request, _("Correct the text, approve it and publish it with a note."))
        elif action == "withdraw":
            publication = get_object_or_404(
                Publication, version__minutes=minutes, withdrawn_at__isnull=True,
                pk=request.POST.get("publication"),
            )  # fmt: skip
            publishing.protocol_withdraw(
                publication=publication, by=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The protocol was withdrawn; a notice stays public."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("minutes_detail", pk=minutes.pk)


@login_required
def minutes_history(request, pk):
    minutes = get_minutes_for_user(request.user, pk)
    events = minutes.events.select_related("by", "version")
    if role_of(request.user) != Role.OFFICIAL:
        # The region follows the review, not the ministry's drafting work.
        events = events.exclude(action__in=["edited", "action_added", "action_removed"])
    return render(
        request,
        "minutes/minutes_history.html",
        {"minutes": minutes, "negotiation": minutes.negotiation, "events": events},
    )


@login_required
def minutes_diff(request, pk):
    minutes = get_minutes_for_user(request.user, pk)
    versions = {v.number: v for v in minutes.versions.all()}
    try:
        old = versions[int(request.GET.get("from", 0))]
        new = versions[int(request.GET.get("to", 0))]
    except (KeyError, ValueError):
        raise Http404 from None
    return render(
        request,
        "minutes/minutes_diff.html",
        {
            "minutes": minutes,
            "negotiation": minutes.negotiation,
            "old": old,
            "new": new,
            "rows": version_diff(old.snapshot, new.snapshot),
            "numbers": sorted(versions),
        },
    )
