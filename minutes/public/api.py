"""A read-only JSON API of published protocols (documented in the README)."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from regions.models import Region
from regions.selectors import cooperation_areas_with_regions

from ..followup_selectors import public_items, with_public_status
from ..models import TRACKED_KINDS, ItemStatus, ProtocolPDF
from ..record import public_participants, record_of
from ..selectors import version_attachments
from ..services.threads import public_threads
from . import selectors as public
from .cache import public_page
from .forms import ProtocolFilter, round_years

PAGE_SIZE = 50

PUBLIC_ITEM_KEYS = ("number", "kind", "text", "responsible", "ministry", "due_date", "topic_names")
PUBLIC_ASSESSMENT_KEYS = ("item_year", "item_number", "item_kind", "item_text", "status", "text")


def _participants(publication) -> dict:
    shown = public_participants(publication)
    record = record_of(publication.version.snapshot)
    return {
        "participants_html": shown["legacy_html"],
        "participants": [
            {
                "name": person["name"] or None,
                "title": person["title"] or None,
                "organisation": person["organisation_names"] or None,
                "role": person["role"],
                "present_from": person["present_from"],
                "present_to": person["present_to"],
                "items": person["items"],
            }
            for person in shown["participants"]
        ],
        "personal_data_removed": shown["hidden"],
        "diary_number": record["diary_number"] or None,
        "memorandum_date": record["memorandum_date"],
    }


def _summary(request, publication) -> dict:
    negotiation = publication.negotiation
    party = publication.party
    return {
        "id": publication.pk,
        "year": publication.year,
        "round_kind": publication.round_kind,
        "party": {"slug": party.slug, "name": party.names},
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
    query = request.GET.copy()
    year = query.get("year", "")
    if not (year.isascii() and year.isdigit()):
        query.pop("year", None)  # as documented: a year that is not a number is no filter
    filters = ProtocolFilter(query, years=round_years(), areas=cooperation_areas_with_regions())
    rows = filters.filter(
        public.current_rows()
        .select_related("negotiation")
        .only(*public.ROW_FIELDS, *public.PARTY_FIELDS, "starts_at", "negotiation__language")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [_summary(request, publication) for publication in page.object_list],
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
    pdf = ProtocolPDF.objects.filter(
        version=publication.version, status=ProtocolPDF.Status.DONE
    ).first()
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
        # Names and titles only within the retention period (minutes/record.py).
        **_participants(publication),
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


def _number(value: str) -> int | None:
    """A filter's whole number, or None for anything else (a NUL, "²", a number beyond
    what a database column holds)."""
    if value.isascii() and value.isdigit() and len(value) < 10:
        return int(value)
    return None


def _item(request, item) -> dict:
    def links(pk) -> dict:
        return {
            "id": pk,
            "url": request.build_absolute_uri(reverse("public_protocol", args=[pk])),
            "api_url": request.build_absolute_uri(reverse("api_protocol", args=[pk])),
        }

    party = item.party
    topic = item.topic
    return {
        "id": item.pk,
        "year": item.year,
        "round_kind": item.round_kind,
        "party": {"slug": party.slug, "name": party.names},
        "number": item.number,
        "kind": item.kind,
        "text": item.text,
        "language": item.language,
        "responsible": item.responsible,
        "due_date": item.due_date.isoformat() if item.due_date else None,
        "topic": {"id": topic.pk, "name": topic.names} if topic else None,
        "status": item.public_status,
        "assessment": item.public_assessment,
        "made_in": links(item.made_in_id),
        "assessed_in": links(item.public_assessed_in.pk) if item.public_assessed_in else None,
    }


@require_safe
@public_page
def item_list(request):
    """The published recommendations and follow-up actions, newest year first. As in the
    protocol list, a filter value that names nothing matches nothing, and a year that is
    not a number is no filter."""
    rows = public_items()
    region = request.GET.get("region") or ""
    if region:
        found = Region.objects.filter(slug=region).first() if region.isprintable() else None
        rows = (
            rows.filter(Q(region=found) | Q(cooperation_area_id=found.cooperation_area_id))
            if found
            else rows.none()
        )
    year = request.GET.get("year") or ""
    if year.isascii() and year.isdigit():
        rows = rows.filter(year=int(year)) if _number(year) is not None else rows.none()
    kind = request.GET.get("kind") or ""
    if kind:
        rows = rows.filter(kind=kind) if kind in TRACKED_KINDS else rows.none()
    status = request.GET.get("status") or ""
    if status:
        rows = rows.filter(public_status=status) if status in ItemStatus.values else rows.none()
    topic = request.GET.get("topic") or ""
    if topic:
        number = _number(topic)
        rows = rows.filter(topic_id=number) if number is not None else rows.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [_item(request, item) for item in with_public_status(page.object_list)],
        },
        json_dumps_params={"ensure_ascii": False},
    )
