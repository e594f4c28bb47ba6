"""The public pages: no login, nothing that has not been published."""

from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language

from negotiations.models import Round
from regions.models import Region
from regions.selectors import cooperation_areas_with_regions, in_name_order
from steering.downloads import stored_file_response

from .. import translation
from ..followup_selectors import public_items_of_region
from ..models import ProtocolPDF, Publication
from ..record import public_participants
from ..selectors import document_id, protocol_context, version_attachments
from ..services.threads import public_threads
from . import selectors as public
from .cache import public_page
from .forms import ProtocolFilter, round_years

PAGE_SIZE = 20


@public_page
def home(request):
    year = timezone.localdate().year
    return render(
        request,
        "home.html",
        {
            "cooperation_areas": cooperation_areas_with_regions(),
            "latest": public.current_rows()[:10],
            "schedule": public.public_schedule(year),
        },
    )


@public_page
def region_detail(request, slug):
    """A region's public page: reference data, its published protocols and the items they
    made, with the status the published protocols recorded; nothing that is not public."""
    region = get_object_or_404(Region.objects.select_related("cooperation_area"), slug=slug)
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "publications": public.current_rows().filter(region=region),
            "items": public_items_of_region(region),
        },
    )


@public_page
def protocol_list(request):
    areas = cooperation_areas_with_regions()
    years = round_years()
    filters = ProtocolFilter(request.GET, years=years, areas=areas)
    # A filter naming something that does not exist is a wrong address, not an empty list.
    if not filters.is_valid():
        raise Http404
    try:
        rows = filters.filter(public.current_rows())
        page = Paginator(rows, PAGE_SIZE).page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404 from None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "minutes/public/protocol_list.html",
        {
            "page": page,
            "params": filters.cleaned_data,
            "query": query.urlencode(),
            "years": years,
            "regions": in_name_order(filters.regions),
            "areas": areas,
            "kinds": Round.Kind.choices,
        },
    )


@public_page
def search_page(request):
    from ..search import normalise, search

    query = normalise(request.GET.get("q", ""))
    try:
        page = search(query, request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404 from None
    return render(
        request,
        "minutes/public/search.html",
        {"query": query, "page": page, "page_query": urlencode({"q": query})},
    )


def _publication(pk) -> Publication:
    return get_object_or_404(
        Publication.objects.select_related(
            "version__minutes", "negotiation__round", "region", "cooperation_area",
        ),
        pk=pk,
    )  # fmt: skip


def _withdrawn(request, publication):
    """The notice left at every former address of a withdrawn protocol: its page, PDF and
    attachments."""
    return render(
        request, "minutes/public/withdrawn.html", {"publication": publication}, status=410
    )


@public_page
def protocol_detail(request, pk):
    publication = _publication(pk)
    if not public.is_public(publication):
        return _withdrawn(request, publication)
    negotiation = publication.negotiation
    newer, older, other_years = public.neighbours(publication)
    # The party and round come from the publication's own joins, not from further queries.
    negotiation.region, negotiation.cooperation_area = (
        publication.region, publication.cooperation_area,
    )  # fmt: skip
    publication.version.minutes.negotiation = negotiation
    publication.version.publication = publication  # the frozen meeting, without a query
    threads = public_threads(publication)
    # A bilingual protocol is read in the language of the address (/fi/…, /sv/…), each
    # rendition wholly in its language; any other address shows the main one.
    context = protocol_context(publication.version, get_language())
    pdfs = ProtocolPDF.objects.filter(version=publication.version, language=context["language"])
    return render(
        request,
        "minutes/public/protocol_detail.html",
        {
            **context,
            "sections": [
                {**section, "public_threads": threads.get(section["id"], [])}
                for section in context["content"]["sections"]
            ],
            "publication": publication,
            # Names and titles only within the retention period (minutes/record.py).
            "public_record": public_participants(publication),
            "language_versions": translation.other_renditions(
                publication.version.snapshot,
                context["language"],
                "public_protocol",
                publication.pk,
            ),
            "pdf": pdfs.filter(status=ProtocolPDF.Status.DONE).first(),
            # A failed render is never announced as "being made": it waits for an official.
            "pdf_failed": pdfs.filter(status=ProtocolPDF.Status.FAILED).exists(),
            "newer": newer,
            "older": older,
            "other_years": other_years,
        },
    )


# Published files never change, but a withdrawn one must not linger in browsers and shared
# caches: as long as the pages, then revalidated against the checksum (a 304).
FILE_CACHE_CONTROL = "public, max-age=60"


def protocol_pdf(request, pk):
    publication = _publication(pk)
    if not public.is_public(publication):
        return _withdrawn(request, publication)
    language = translation.reading_language(publication.version.snapshot, get_language())
    pdf = ProtocolPDF.objects.filter(
        version=publication.version, language=language, status=ProtocolPDF.Status.DONE
    ).first()
    if pdf is None:
        raise Http404
    # The two renditions of a bilingual protocol download under names of their own.
    suffix = f"-{language}" if len(translation.languages(publication.version.snapshot)) > 1 else ""
    return stored_file_response(
        request, pdf.file, sha256=pdf.sha256,
        filename=f"{document_id(publication.version)}{suffix}.pdf",
        content_type="application/pdf", cache_control=FILE_CACHE_CONTROL,
    )  # fmt: skip


def attachment(request, pk, document_pk):
    publication = _publication(pk)
    if not public.is_public(publication):
        get_object_or_404(version_attachments(publication.version), pk=document_pk)
        return _withdrawn(request, publication)
    document = get_object_or_404(version_attachments(publication.version), pk=document_pk)
    return stored_file_response(
        request, document.file, sha256=document.sha256, filename=document.original_name,
        content_type=document.content_type, cache_control=FILE_CACHE_CONTROL,
    )  # fmt: skip


def schedule_ics(request):
    """The public schedule: when each negotiation is held and with whom, nothing more."""
    from negotiations.calendar import schedule_calendar

    year = timezone.localdate().year
    negotiations = public.public_schedule(year) + public.public_schedule(year + 1)
    return HttpResponse(
        schedule_calendar(negotiations), content_type="text/calendar; charset=utf-8"
    )
