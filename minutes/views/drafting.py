from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from negotiations.access import get_negotiation_for_user
from regions.roles import Role, role_of
from steering.confirm import is_confirmed, render_confirmation

from .. import services, translation
from ..access import events_visible_to, get_minutes_for_user
from ..diff import diff_html, outcome_diff, version_diff
from ..forms import ApproveForm, MinutesEditor, WithdrawForm
from ..models import Publication
from ..public.selectors import visible_publications
from ..selectors import failed_pdfs
from ..services import StaleMinutes, outcomes, publishing
from ..translation_forms import TranslationForm


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
            "items": minutes.items.select_related("section", "ministry", "topic"),
            "approve_form": ApproveForm() if official else None,
            "open_comments": services.open_comments(latest).count() if latest else 0,
            "publications": minutes.negotiation.publications.select_related("version"),
            "failed_pdfs": failed_pdfs(minutes) if official else [],
            "withdrawal": publishing.current_withdrawal(minutes.negotiation_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    minutes = get_minutes_for_user(request.user, pk, write=True)
    if not minutes.is_editable:
        messages.error(request, _("The minutes cannot be edited in their current state."))
        return redirect("minutes_detail", pk=minutes.pk)
    editor = MinutesEditor(request.POST if request.method == "POST" else None, minutes=minutes)
    translated = _translation_form(request, minutes)
    conflict = None
    if (
        request.method == "POST"
        and editor.is_valid()
        and (translated is None or translated.is_valid())
    ):
        form = editor.text
        try:
            # Both languages in one save: a refused item keeps the translation unsaved too.
            with transaction.atomic():
                current = outcomes.minutes_save_editor(
                    minutes=minutes,
                    by=request.user,
                    expected_revision=form.cleaned_data["revision"],
                    participants=form.cleaned_data["participants"],
                    sections=form.section_bodies(),
                    items=editor.item_changes(),
                    assessments=editor.assessment_changes(),
                    record=editor.record_changes(),
                )
                if translated is not None:
                    translation.translation_save(minutes=current, **translated.changes())
        except StaleMinutes as stale:
            conflict = _conflict(stale.current, editor)
            # The next save is based on what the editor has now seen.
            data = request.POST.copy()
            data["revision"] = stale.current.revision
            editor = MinutesEditor(data, minutes=minutes)
            editor.is_valid()
        except outcomes.EditorRefused as refused:
            editor.add_errors(refused.errors)
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
            "form": editor.text,
            "editor": editor,
            # Named here so that the error summary (form_errors) finds their errors.
            "record_form": editor.record,
            "participant_forms": editor.participants,
            "translated": translated and _beside(translated, editor),
            "conflict": conflict,
            # Shown again after a post: a field was refused, so nothing was kept.
            "not_saved": request.method == "POST" and conflict is None,
        },
    )


def _beside(translated, editor):
    translated.attach(editor)
    return translated


def _translation_form(request, minutes):
    if translation.translation_of(minutes) is None:
        return None
    return TranslationForm(request.POST if request.method == "POST" else None, minutes=minutes)


@login_required
@require_POST
def minutes_translation_start(request, pk):
    """The official's "also in the other national language"."""
    minutes = get_minutes_for_user(request.user, pk, write=True)
    try:
        translation.translation_start(minutes=minutes, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("minutes_detail", pk=minutes.pk)
    return redirect("minutes_edit", pk=minutes.pk)


def _conflict(current, editor) -> dict:
    """What the other editor saved, against what this editor tried to save."""
    form = editor.text
    current_sections = {section.pk: section for section in current.sections.all()}
    changes = []
    for name, label, saved in (("participants", _("Participants"), current.participants),):
        mine = form.cleaned_data.get(name, "")
        if mine != saved:
            changes.append({"label": label, "html": diff_html(mine, saved)})
    for section_id, mine in form.section_bodies().items():
        saved = current_sections[section_id].body
        if mine != saved:
            changes.append(
                {"label": current_sections[section_id].heading, "html": diff_html(mine, saved)}
            )
    saved_items = {item.pk: item for item in current.items.all()}
    for entry in editor.sections:
        for row in entry["items"]:
            if not row.is_bound:
                continue
            saved = saved_items.get(row.item.pk)
            mine = row.cleaned_data.get("text", "")
            if saved is None or mine != saved.text:
                changes.append(
                    {
                        "label": _("Item %(number)s") % {"number": row.number},
                        "html": diff_html(mine, saved.text if saved else ""),
                    }
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
            "content": translation.side_by_side(services.snapshot(minutes)),
        },
    )


# What each confirmed transition does, named on its confirmation page.
CONFIRMED_ACTIONS = ("approve", "publish", "withdraw")


def _withdraw_form(request, minutes) -> tuple[WithdrawForm, Publication | None]:
    """The withdraw form and the publication it names, if that is one of this
    negotiation's public ones; tampered numbers are a form error, never a lookup error."""
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return form, None
    publication = (
        visible_publications()
        .filter(negotiation=minutes.negotiation_id, pk=form.cleaned_data["publication"])
        .first()
    )
    if publication is None:
        form.add_error("publication", _("The protocol is not public; nothing to withdraw."))
    return form, publication


def _confirmation(request, minutes, action):
    """The confirmation page of a transition, or None when the input must be refused
    first (shown as a message)."""
    negotiation = minutes.negotiation
    context = _("Minutes %(year)s: %(party)s") % {
        "year": negotiation.round.year, "party": negotiation.party.name,
    }  # fmt: skip
    cancel = reverse("minutes_detail", kwargs={"pk": minutes.pk})
    common = {"cancel_url": cancel, "context": context}
    if action == "approve":
        consequences = [
            _("The text is frozen as the approved version; it can change only by a correction."),
            _("Its PDF is made; it is not public until you publish it."),
        ]
        days = services.review_days_left(minutes)
        if days is not None:
            consequences.insert(
                0,
                ngettext(
                    "The comment period is still open: %(days)s day is left. Approving "
                    "closes it; the region can no longer comment.",
                    "The comment period is still open: %(days)s days are left. Approving "
                    "closes it; the region can no longer comment.",
                    days,
                )
                % {"days": days},
            )
        return render_confirmation(
            request, title=_("Approve the minutes?"), consequences=consequences,
            button=_("Approve the minutes"), danger=False,
            fields={"override_reason": request.POST.get("override_reason", "")}, **common,
        )  # fmt: skip
    if action == "publish":
        note = (request.POST.get("note") or "").strip()
        correction = minutes.negotiation.publications.exists()
        if correction and not note:
            raise ValidationError(
                _("Say what the correction changed; the note is shown to the public.")
            )
        consequences = [
            _("The protocol, its PDF and its public attachments become public to everyone."),
            _("The region and the participants are told by e-mail."),
            _("It cannot be unpublished; only withdrawn, with a public notice."),
        ]
        if correction:
            consequences.insert(
                0, _("It replaces the published protocol, with your note: %(note)s")
                % {"note": note},
            )  # fmt: skip
        return render_confirmation(
            request,
            title=_("Publish the correction?") if correction else _("Publish the protocol?"),
            consequences=consequences,
            button=_("Publish the correction") if correction else _("Publish the protocol"),
            danger=False, fields={"note": note}, **common,
        )  # fmt: skip
    form, publication = _withdraw_form(request, minutes)
    if publication is None:
        raise ValidationError([message for errors in form.errors.values() for message in errors])
    return render_confirmation(
        request, title=_("Withdraw the protocol?"),
        consequences=[
            _("Every published version of the protocol, its PDFs and attachments leave "
              "public view: the pages, feeds, search and the API."),
            _("Each former address shows a notice with your reason: %(reason)s")
            % {"reason": form.cleaned_data["reason"]},
            _("To publish it again, make a correction; it is published with a note."),
        ],
        button=_("Withdraw the protocol"),
        fields={"publication": publication.pk, "reason": form.cleaned_data["reason"]}, **common,
    )  # fmt: skip


@login_required
@require_POST
def minutes_transition(request, pk, action):
    minutes = get_minutes_for_user(request.user, pk, write=True)
    try:
        if action in CONFIRMED_ACTIONS and not is_confirmed(request):
            return _confirmation(request, minutes, action)
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
            form, publication = _withdraw_form(request, minutes)
            if publication is None:
                raise ValidationError(
                    [message for errors in form.errors.values() for message in errors]
                )
            publishing.protocol_withdraw(
                publication=publication, by=request.user, reason=form.cleaned_data["reason"]
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
    # The region follows the review, not the ministry's drafting work or notes.
    events = events_visible_to(request.user, minutes)
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
            "outcome_rows": outcome_diff(old.snapshot, new.snapshot),
            "numbers": sorted(versions),
        },
    )
