from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from negotiations.access import is_own_staff
from regions.roles import Role, role_of

from .. import services
from ..access import can_comment, comments_visible_to, get_comment_for_user, get_version_for_user
from ..diff import diff_html
from ..forms import AnswerForm, CommentEditForm, CommentForm, NoteForm, ThreadPublicityForm
from ..models import ReviewCompletion
from ..services import threads
from ..translation import side_by_side


def _version_url(version, anchor=""):
    url = reverse("minutes_version", kwargs={"pk": version.minutes_id, "number": version.number})
    return f"{url}#{anchor}" if anchor else url


def _sections_with_comments(version, user, failed_form=None, comment_item=None):
    """The version's sections, each with the comments `user` may read (and a refused
    comment form back next to the section it was written for; the item's section's form
    open, with the item chosen, when a "comment on item" link asked for it)."""
    failed_section = failed_form.data.get("section") if failed_form is not None else None
    comments = (
        comments_visible_to(user, version)
        .select_related("author", "answer__by", "secrecy_ground")
        .order_by("created_at")
    )
    content = side_by_side(version.snapshot)
    items = content.get("items", [])
    numbers = {item["id"]: item["number"] for item in items}
    asked = next((item for item in items if str(item["id"]) == comment_item), None)
    by_section = {}
    for comment in comments:
        # A comment on an item is shown under its section, labelled with the item's number.
        comment.item_number = numbers.get(comment.item_id)
        comment.may_change = comment.change_refusal(user) is None
        by_section.setdefault(comment.section_id, []).append(comment)
    return [
        {
            **section,
            "comments": by_section.get(section["id"], []),
            "failed_form": failed_form if str(section["id"]) == failed_section else None,
            "comment_item": asked["id"] if asked and asked["section_id"] == section["id"] else None,
        }
        for section in content["sections"]
    ]


@login_required
def version_detail(request, pk, number, *, comment_form=None, refused=None, status=200):
    version = get_version_for_user(request.user, pk, number)
    minutes = version.minutes
    official = role_of(request.user) == Role.OFFICIAL
    return render(
        request,
        "minutes/version_detail.html",
        {
            "minutes": minutes,
            "negotiation": minutes.negotiation,
            "version": version,
            "content": side_by_side(version.snapshot),
            "sections": _sections_with_comments(
                version, request.user, comment_form, request.GET.get("item")
            ),
            # The refused form, for the error summary at the top of the page.
            "comment_form": comment_form,
            "refused_elsewhere": comment_form is not None
            and not any(
                str(s["id"]) == comment_form.data.get("section")
                for s in version.snapshot["sections"]
            ),
            "official": official,
            "may_comment": can_comment(request.user, version),
            "own_staff": is_own_staff(request.user, minutes.negotiation),
            "completion": ReviewCompletion.objects.filter(version=version).first(),
            "answer_form": AnswerForm() if official and not minutes.is_final else None,
            # The ministry classifies the region's threads and writes its internal notes.
            "thread_form": ThreadPublicityForm() if official else None,
            "note_form": NoteForm(version=version) if official else None,
            "grounds": list(ThreadPublicityForm.grounds()) if official else [],
            "pdf": version.pdfs.filter(language=version.snapshot["language"]).first(),
            "translation_pdf": version.pdfs.exclude(language=version.snapshot["language"])
            .filter(status="done")
            .first(),
            # A comment the service refused (the period closed meanwhile): its text is
            # shown back to its author, never lost.
            "refused": refused,
        },
        status=status,
    )


@login_required
@require_POST
def comment_add(request, pk, number):
    version = get_version_for_user(request.user, pk, number)
    if not is_own_staff(request.user, version.minutes.negotiation):
        raise PermissionDenied
    # The section's own ids (as the template writes them), so the error summary links to
    # the fields next to the section the comment was written for.
    section = request.POST.get("section", "")
    auto_id = f"%s-{section}" if section.isascii() and section.isdigit() else "id_%s"
    form = CommentForm(request.POST, version=version, auto_id=auto_id)
    if form.is_valid():
        try:
            comment = services.comment_add(
                version=version,
                section=form.cleaned_data["section"],
                by=request.user,
                body=form.cleaned_data["body"],
                quote=form.cleaned_data["quote"],
                item_id=form.cleaned_data["item"],
            )
        except ValidationError as error:
            refused = {"message": " ".join(error.messages), **form.cleaned_data}
            return version_detail(request, pk, number, refused=refused, status=409)
        messages.success(request, _("Your comment was saved."))
        return redirect(_version_url(version, f"comment-{comment.pk}"))
    # Shown again with what was typed, next to the section it was meant for.
    return version_detail(request, pk, number, comment_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request, pk):
    comment = get_comment_for_user(request.user, pk)
    version = comment.version
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    form = CommentEditForm(
        request.POST or None, initial={"body": comment.body, "quote": comment.quote}
    )
    if request.method == "POST":
        if "withdraw" in request.POST:
            return _withdraw(request, comment)
        if form.is_valid():
            try:
                services.comment_update(comment=comment, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                # The edit form comes back with what was typed and the reason.
                form.add_error(None, error)
                return _comment_edit_page(request, comment, form, status=409)
            messages.success(request, _("Your comment was saved."))
            return redirect(_version_url(version, f"comment-{comment.pk}"))
    return _comment_edit_page(request, comment, form)


def _comment_edit_page(request, comment, form, status=200):
    version = comment.version
    return render(
        request,
        "minutes/comment_edit.html",
        {
            "comment": comment,
            "version": version,
            "minutes": version.minutes,
            "negotiation": version.minutes.negotiation,
            "form": form,
            "open": comment.change_refusal(request.user) is None,
        },
        status=status,
    )


def _withdraw(request, comment):
    try:
        services.comment_withdraw(comment=comment, by=request.user)
        messages.success(request, _("Your comment was withdrawn."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_version_url(comment.version))


@login_required
@require_POST
def answer_add(request, pk):
    comment = get_comment_for_user(request.user, pk)
    if role_of(request.user) != Role.OFFICIAL:
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_add(comment=comment, by=request.user, **form.cleaned_data)
            messages.success(request, _("The answer was saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Choose a decision for the comment."))
    return redirect(_version_url(comment.version, f"comment-{comment.pk}"))


@login_required
@require_POST
def note_add(request, pk, number):
    version = get_version_for_user(request.user, pk, number)
    if role_of(request.user) != Role.OFFICIAL:
        raise PermissionDenied
    form = NoteForm(request.POST, version=version)
    if form.is_valid():
        try:
            note = threads.note_add(version=version, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The internal note was saved."))
            return redirect(_version_url(version, f"comment-{note.pk}"))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(_version_url(version, f"section-{request.POST.get('section', '')}"))


@login_required
@require_POST
def thread_classify(request, pk):
    comment = get_comment_for_user(request.user, pk)
    if role_of(request.user) != Role.OFFICIAL:
        raise PermissionDenied
    form = ThreadPublicityForm(request.POST)
    if form.is_valid():
        try:
            threads.thread_classify(comment=comment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The publicity of the comment was saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(_version_url(comment.version, f"comment-{comment.pk}"))


@login_required
@require_POST
def review_complete(request, pk, number):
    version = get_version_for_user(request.user, pk, number)
    if not is_own_staff(request.user, version.minutes.negotiation):
        raise PermissionDenied
    try:
        services.review_complete(version=version, by=request.user)
        messages.success(request, _("Thank you. The ministry has been told that you are done."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_version_url(version))


@login_required
def reconciliation(request, pk, number):
    """Every comment of a version with its answer and the change it led to."""
    version = get_version_for_user(request.user, pk, number)
    minutes = version.minutes
    later = minutes.versions.filter(number__gt=version.number).order_by("number").first()
    if later is not None:
        compare_to, compare_label = later.snapshot, later.number
    elif role_of(request.user) == Role.OFFICIAL:
        compare_to, compare_label = services.snapshot(minutes), None
    else:
        compare_to, compare_label = version.snapshot, version.number
    items_before = {item["id"]: item for item in version.snapshot.get("items", [])}
    items_after = {item["id"]: item for item in compare_to.get("items", [])}
    rows = []
    for section in _sections_with_comments(version, request.user):
        if not section["comments"]:
            continue
        for comment in section["comments"]:
            before, after = items_before.get(comment.item_id), items_after.get(comment.item_id)
            if before is not None and (after is None or after["text"] != before["text"]):
                comment.item_change = diff_html(before["text"], after["text"] if after else "")
        after = next((s for s in compare_to["sections"] if s["id"] == section["id"]), None)
        rows.append(
            {
                "section": section,
                "change": diff_html(section["body"], after["body"] if after else ""),
                "changed": after is None or after["body"] != section["body"],
            }
        )
    return render(
        request,
        "minutes/reconciliation.html",
        {
            "minutes": minutes,
            "negotiation": minutes.negotiation,
            "version": version,
            "rows": rows,
            "compare_label": compare_label,
        },
    )
