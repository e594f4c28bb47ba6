"""The public protocol pages: no login, nothing that has not been published."""

import io
from urllib.parse import urlencode

from django.contrib.sites.requests import RequestSite
from django.contrib.syndication.views import add_domain
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from negotiations.models import Round
from regions.selectors import in_name_order
from steering.downloads import stored_file_response

from .. import public, translation
from ..models import ProtocolPDF, Publication
from ..public_cache import public_page
from ..selectors import document_id, protocol_context, version_attachments
from ..threads import public_threads

PAGE_SIZE = 20
# A whole round published at once (23 regions) fits in one read of the feed.
FEED_SIZE = 25


@public_page
def protocol_list(request):
    params = {name: request.GET.get(name) or None for name in ("year", "region", "area", "kind")}
    years = list(Round.objects.order_by("-year").values_list("year", flat=True).distinct())
    parties = public.Parties()
    # A filter naming something that does not exist is a wrong address, not an empty list.
    if params["region"] and not parties.region(params["region"]):
        raise Http404
    if params["area"] and not parties.area(params["area"]):
        raise Http404
    year = params["year"]
    if year and not (year.isascii() and year.isdigit() and int(year) in years):
        raise Http404
    if params["kind"] and params["kind"] not in Round.Kind.values:
        raise Http404
    rows = public.filtered(public.current_rows(), parties, **params)
    try:
        page = public.counted_page(rows, request.GET.get("page") or 1, PAGE_SIZE)
    except InvalidPage:
        raise Http404 from None
    page.object_list = public.with_urls(parties.attach(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "minutes/public/protocol_list.html",
        {
            "page": page,
            "params": params,
            "query": query.urlencode(),
            "years": years,
            "regions": in_name_order(parties.regions),
            "areas": in_name_order(parties.areas),
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
    from django.utils import timezone

    from negotiations.calendar import schedule_calendar

    year = timezone.localdate().year
    parties = public.Parties()
    negotiations = parties.attach(public.public_schedule(year)) + parties.attach(
        public.public_schedule(year + 1)
    )
    return HttpResponse(
        schedule_calendar(negotiations), content_type="text/calendar; charset=utf-8"
    )


class BufferedAtom1Feed(Atom1Feed):
    """Atom, written to the response in one piece: Django's feed writes each of some 1,400
    XML fragments through HttpResponse.write, which cost more than making them.

    Summaries are plain text: Django writes them as `type="html"`, which made an official's
    correction note markup in every feed reader."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item.get("description"):
            handler.addQuickElement("summary", item["description"], {"type": "text"})

    def write(self, outfile, encoding):
        buffer = io.StringIO()
        super().write(buffer, encoding)
        outfile.write(buffer.getvalue())


@public_page
def protocol_feed(request, slug=None):
    """New and corrected protocols (Atom), all or one region's.

    Django's feed generator, fed directly: the syndication Feed view looks up some 25
    attributes of every entry by introspection, which cost more than the rest of the feed,
    and keeps per-request state on an instance that all requests share.
    """
    parties = public.Parties()
    region = parties.region(slug) if slug else None
    if slug and region is None:
        raise Http404
    domain, secure = RequestSite(request).domain, request.is_secure()
    feed = BufferedAtom1Feed(
        title=_("Steering negotiations: published protocols"),
        link=add_domain(
            domain, reverse("protocol_list") + (f"?region={region.slug}" if region else ""), secure
        ),
        description=None,
        subtitle=region.name if region else _("All regions"),
        language=get_language(),
        feed_url=add_domain(domain, request.path, secure),
    )
    # Corrected ones stay in: a feed announces each publication, the correction too.
    items = public.visible_publications().only(*public.ROW_FIELDS)
    if region:
        items = items.filter(region=region)
    newest = items.order_by("-published_at", "-pk")[:FEED_SIZE]
    for item in public.with_urls(parties.attach(newest)):
        label = f"{item.year}: {item.party}"
        link = add_domain(domain, item.url, secure)
        feed.add_item(
            title=f"{label} ({_('corrected')})" if item.correction_note else label,
            link=link,
            description=item.correction_note or _("Memorandum of the steering negotiation"),
            unique_id=link,
            pubdate=item.published_at,
            updateddate=item.published_at,
        )
    response = HttpResponse(content_type=feed.content_type)
    # For conditional requests: the newest entry's time, as Django's Feed view sets it.
    response["Last-Modified"] = http_date(feed.latest_post_date().timestamp())
    feed.write(response, "utf-8")
    return response
