from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steering.confirm import is_confirmed, render_confirmation

from .. import selectors, services
from ..access import get_negotiation_for_user
from ..forms import AgendaItemForm


def _item(request, pk, item_pk):
    negotiation = get_negotiation_for_user(request.user, pk, write=True)
    # The item is looked up within the negotiation the user may edit, never by id alone.
    return negotiation, get_object_or_404(negotiation.agenda_items, pk=item_pk)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_edit(request, pk):
    negotiation = get_negotiation_for_user(request.user, pk, write=True)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_add(negotiation=negotiation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The item was added to the agenda."))
            return redirect("agenda_edit", pk=negotiation.pk)
    items = negotiation.agenda_items.select_related("responsible")
    return render(
        request,
        "negotiations/agenda_edit.html",
        {"negotiation": negotiation, "items": items, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_edit(request, pk, item_pk):
    negotiation, item = _item(request, pk, item_pk)
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The agenda item was saved."))
            return redirect("agenda_edit", pk=negotiation.pk)
    return render(
        request,
        "negotiations/agenda_item_form.html",
        {"negotiation": negotiation, "item": item, "form": form},
    )


@login_required
@require_POST
def agenda_item_delete(request, pk, item_pk):
    negotiation, item = _item(request, pk, item_pk)
    if not is_confirmed(request):
        return _confirm_item_delete(request, negotiation, item)
    try:
        services.agenda_item_delete(item=item, by=request.user)
    except ValidationError as error:  # e.g. the negotiation was cancelled meanwhile
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The item was removed from the agenda."))
    return redirect("agenda_edit", pk=negotiation.pk)


def _confirm_item_delete(request, negotiation, item):
    consequences = [
        _("The item “%(title)s” is removed from the agenda and the items after it move up.")
        % {"title": item.title},
    ]
    if item.documents.exists():
        consequences.append(
            _("Material attached to the item stays with the negotiation, without the item.")
        )
    if selectors.agenda_item_has_minutes(item):
        # The minutes keep their section: what was written of the meeting is not lost by
        # tidying the agenda, and the section can still be edited or emptied there.
        consequences.append(
            _(
                "The minutes keep their section for this item, with its heading and text; "
                "it is no longer linked to the agenda."
            )
        )
    return render_confirmation(
        request,
        title=_("Remove the agenda item?"),
        consequences=consequences,
        button=_("Remove the item"),
        cancel_url=reverse("agenda_edit", kwargs={"pk": negotiation.pk}) + f"#item-{item.pk}",
        context=item.title,
        lang=negotiation.language,
    )


@login_required
@require_POST
def agenda_item_move(request, pk, item_pk):
    negotiation, item = _item(request, pk, item_pk)
    try:
        services.agenda_item_move(
            item=item, by=request.user, up=request.POST.get("direction") == "up"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    # Back to the moved item, so keyboard users keep their place in the list.
    return redirect(reverse("agenda_edit", kwargs={"pk": negotiation.pk}) + f"#item-{item.pk}")


@login_required
@require_POST
def agenda_ready(request, pk):
    negotiation = get_negotiation_for_user(request.user, pk, write=True)
    try:
        services.agenda_mark_ready(
            negotiation=negotiation, by=request.user, ready=request.POST.get("ready") != "0"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("agenda_edit", pk=negotiation.pk)
