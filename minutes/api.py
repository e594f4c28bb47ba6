"""A read-only JSON API of published protocols (documented in the README)."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import public
from .models import ProtocolPDF
from .public_cache import public_page
from .selectors import version_attachments
from .threads import public_threads

PAGE_SIZE = 50

PUBLIC_ITEM_KEYS = ("number", "kind", "text", "responsible", "ministry", "due_date", "topic_names")
PUBLIC_ASSESSMENT_KEYS = ("item_year", "item_number", "item_kind", "item_text", "status", "text")


def _names(party) -> dict:
    return {"fi": party.name_fi, "sv": party.name_sv, "en": party.name_en}


def _summary(request, publication) -> dict:
    negotiation = publication.negotiation
    party = publication.party
    return {
        "id": publication.pk,
        "year": publication.year,
        "round_kind": publication.round_kind,
        "party": {"slug": party.slug, "name": _names(party)},
        "negotiation_date": publication.starts_at.date().isoformat(),
        "published_at": publication.published_at.isoformat(),
        "language": negotiation.language,
        "corrected": bool(publication.correction_note),
        "url": request.build_absolute_uri(
            reverse("public_protocol", kwargs={"pk": publication.pk})
        ),
        "api_url": request.build_absolute_uri(
            reverse("api_protocol", kwargs={"pk": publication.pk})
        ),
    }


def _thread(thread) -> dict:
    """A thread marked public: the region's words as plain text (no person named) and the
    ministry's answer."""
    answer = getattr(thread, "answer", None)
    return {
        "quote": thread.quote,
        "comment": thread.body,
        "answer": {"decision": answer.decision, "reason": answer.reason} if answer else None,
    }


@require_safe
@public_page
def protocol_list(request):
    parties = public.Parties()
    year = request.GET.get("year") or ""
    rows = public.filtered(
        public.current_rows()
        .select_related("negotiation")
        .only(*public.ROW_FIELDS, "starts_at", "negotiation__language"),
        parties,
        year=year if year.isascii() and year.isdigit() else None,
        region=request.GET.get("region") or None,
        area=request.GET.get("area") or None,
        kind=request.GET.get("kind") or None,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [
                _summary(request, publication) for publication in parties.attach(page.object_list)
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
@public_page
def protocol_detail(request, pk):
    publication = get_object_or_404(
        public.visible_publications().select_related(
            "version__minutes", "negotiation", "region", "cooperation_area"
        ),
        pk=pk,
    )
    snapshot = publication.version.snapshot
    threads = public_threads(publication)
    pdf = ProtocolPDF.objects.filter(version=publication.version, status="done").first()
    attachments = version_attachments(publication.version)
    data = {
        **_summary(request, publication),
        "correction_note": publication.correction_note,
        "version": publication.version.number,
        "content_sha256": publication.version.content_sha256,
        "pdf": request.build_absolute_uri(
            reverse("public_protocol_pdf", kwargs={"pk": publication.pk})
        )
        if pdf
        else None,
        "participants_html": snapshot["participants_html"],
        "sections": [
            {
                "position": s["position"],
                "heading": s["heading"],
                "html": s["html"],
                "comments": [_thread(thread) for thread in threads.get(s["id"], [])],
            }
            for s in snapshot["sections"]
        ],
        # Versions frozen before outcome items existed have a conclusions box and
        # follow-up actions instead; they are shown as they were published.
        "conclusions_html": snapshot.get("conclusions_html", ""),
        "follow_up_actions": snapshot.get("actions", []),
        "outcome_items": [
            {key: item[key] for key in PUBLIC_ITEM_KEYS} for item in snapshot.get("items", [])
        ],
        "assessments": [
            {key: row[key] for key in PUBLIC_ASSESSMENT_KEYS}
            for row in snapshot.get("assessments", [])
        ],
        "attachments": [
            {
                "title": document.title,
                "kind": document.kind,
                "language": document.language,
                "content_type": document.content_type,
                "size": document.size,
                "sha256": document.sha256,
                "url": request.build_absolute_uri(
                    reverse(
                        "public_attachment",
                        kwargs={"pk": publication.pk, "document_pk": document.pk},
                    )
                ),
            }
            for document in attachments
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
