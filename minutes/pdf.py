"""The protocol as a PDF: HTML from a template, rendered by WeasyPrint, safely.

The minutes text comes from people. It is sanitised before it becomes HTML, and on top
of that the renderer gets a URL fetcher that serves only the portal's own static files
and data: URLs, so no text can make the renderer read a local file or open a socket.
Oversized or deeply nested content is refused before rendering starts.
"""

import logging
import mimetypes
import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Our own assets are referenced under this prefix; the host can never resolve
# (.invalid is reserved), and the fetcher never tries: it maps the path to a file.
STATIC_PREFIX = "https://portal-static.invalid/"


class RefusedURL(ValueError):
    """A resource the protocol may not load; WeasyPrint skips it and goes on."""


class SafeURLFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols={"data", "https"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_PREFIX):
            return self._static(url.removeprefix(STATIC_PREFIX).split("?")[0].split("#")[0])
        logger.warning("protocol render refused a resource: %.200s", url)
        raise RefusedURL(f"refused: {url[:200]}")

    def _static(self, path: str) -> URLFetcherResponse:
        if ".." in Path(path).parts or path.startswith("/"):
            raise RefusedURL("refused: path outside static files")
        found = finders.find(path)
        if not found:
            raise RefusedURL(f"refused: no static file {path}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(
            STATIC_PREFIX + path, Path(found).read_bytes(), {"Content-Type": content_type}
        )


class ContentTooLarge(ValueError):
    """The content would take unreasonable time or memory to lay out."""


class _DepthMeter(HTMLParser):
    VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "wbr"}

    def __init__(self):
        super().__init__()
        self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            self.depth = max(0, self.depth - 1)


def table_rows(html: str) -> int:
    """Table rows are by far the slowest thing to lay out (bench/RESULTS.md)."""
    return len(re.findall(r"<tr[\s>]", html))


def preflight(snapshot: dict) -> None:
    """Refuse content far beyond any real protocol before spending a worker on it."""
    limits = settings.PROTOCOL_LIMITS
    html_parts = [snapshot["participants_html"], snapshot.get("conclusions_html", "")] + [
        section["html"] for section in snapshot["sections"]
    ]
    html_parts += [item["text"] for item in snapshot.get("items", [])]
    html_parts += [row["text"] for row in snapshot.get("assessments", [])]
    total = sum(len(part) for part in html_parts)
    if total > limits["characters"]:
        raise ContentTooLarge(f"content has {total} characters (limit {limits['characters']})")
    rows = sum(table_rows(part) for part in html_parts)
    if rows > limits["table_rows"]:
        raise ContentTooLarge(f"content has {rows} table rows (limit {limits['table_rows']})")
    for part in html_parts:
        meter = _DepthMeter()
        meter.feed(part)
        if meter.deepest > limits["nesting"]:
            raise ContentTooLarge(
                f"content is nested {meter.deepest} levels deep (limit {limits['nesting']})"
            )


def protocol_html(version, *, language: str, draft: bool) -> str:
    from .selectors import protocol_context

    with translation.override(language):
        return render_to_string(
            settings.PROTOCOL_TEMPLATE,
            {**protocol_context(version, language), "draft": draft, "static_prefix": STATIC_PREFIX},
        )


def render_pdf(html: str, *, identifier: str, xmp: dict | None = None) -> tuple[bytes, int]:
    """PDF bytes and the page count. PDF/A-3a, tagged as PDF/UA-1 asks, the same bytes
    for the same input. `xmp`: the keyword arguments of `xmp_record` (the record's
    language, diary number, document identifier and subject) for the metadata."""
    document = HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=SafeURLFetcher()).render(
        pdf_variant=PDF_VARIANT, pdf_tags=True
    )
    extra = xmp_record(**xmp) if xmp else b""

    def finish(document, pdf):
        mark_margin_artefacts(document, pdf)
        _complete_xmp(pdf, extra or xmp_record())

    data = document.write_pdf(
        pdf_identifier=identifier.encode(), pdf_variant=PDF_VARIANT, pdf_tags=True,
        finisher=finish,
    )  # fmt: skip
    return data, len(document.pages)


def mark_margin_artefacts(_document, pdf) -> None:
    """WeasyPrint finisher: make the page margin boxes (running header, page number,
    running footer) Pagination artefacts, as PDF/UA-1 asks of running heads and feet.

    WeasyPrint tags margin-box text like body text but leaves its structure elements out
    of the tree (WeasyPrint issue 1836: an artefact node in the tree needs PDF 2.0), so a
    reader meets marked content whose parent does not list it. Each such sequence is
    reopened here as an artefact (its EMC stays) and its /ParentTree entry cleared; the
    margin boxes' elements stay in the file, referenced by nothing (freeing them would
    upset pydyf's compressed cross-reference stream). This runs on WeasyPrint's objects
    before they are written: no parsing, a few milliseconds a protocol.
    """
    objects = pdf.objects
    root_reference = pdf.catalog.get("StructTreeRoot")
    if root_reference is None:
        return
    root = objects[_number(root_reference)]
    attached = _attached(objects, root)
    numbers = objects[_number(root["ParentTree"])]["Nums"]
    parent_tree = dict(zip(numbers[::2], numbers[1::2], strict=True))
    for page_number in pdf.pages["Kids"][::3]:
        page = objects[page_number]
        mapping = parent_tree.get(page.get("StructParents"))
        if not isinstance(mapping, list):
            continue
        loose = set()
        for mcid, reference in enumerate(mapping):
            if _number(reference) not in attached:
                loose.add(mcid)
                mapping[mcid] = "null"
        if not loose:
            continue
        stream = objects[_number(page["Contents"])].stream
        for index in range(1, len(stream) - 1):
            properties = stream[index]
            if (
                isinstance(properties, dict)
                and properties.get("MCID") in loose
                and stream[index + 1] == b"BDC"
            ):
                stream[index - 1] = "/Artifact"
                properties.clear()
                properties["Type"] = "/Pagination"


def _number(reference) -> int:
    """The object number of a pydyf reference such as b"12 0 R"."""
    return int(reference.split()[0])


def _attached(objects, root) -> set[int]:
    """Object numbers of the structure elements reachable from the structure tree root."""
    seen: set[int] = set()
    pending = [root]
    while pending:
        kids = pending.pop().get("K", ())
        for kid in kids if isinstance(kids, list) else (kids,):
            if isinstance(kid, bytes) and kid.endswith(b" R"):
                number = _number(kid)
                element = objects[number]
                if number not in seen and isinstance(element, dict) and "S" in element:
                    seen.add(number)
                    pending.append(element)
    return seen


# --- PDF/A: the archive's format -----------------------------------------------------------

# PDF/A-3a: PDF/A-3 (embedded fonts, an sRGB output intent, XMP metadata) at level A,
# which asks for the tagged logical structure PDF/UA-1 needs too. WeasyPrint 70 makes
# one variant at a time; the PDF/UA identification and the record's own fields are added
# to its XMP by the finisher (`_complete_xmp`), with the extension schema PDF/A asks for
# every property outside its predefined schemas (ISO 19005-2, 6.6.2.3).
PDF_VARIANT = "pdf/a-3a"

XMP_NAMESPACE = "https://ohjausneuvottelut.fi/ns/protocol/1.0/"


def _xml(text: str) -> str:
    return escape(text, quote=True)


def xmp_record(*, language="", diary_number="", document_id="", subject="") -> bytes:
    """The Descriptions the finisher adds inside WeasyPrint's rdf:RDF (empty values are
    left out; the title and the issuing ministries come from the HTML's head)."""
    fields = [
        ("diaryNumber", "Diary number of the Government's case management", diary_number),
        ("documentId", "Identifier of the protocol version in the portal", document_id),
    ]
    properties = "".join(
        f'<rdf:li rdf:parseType="Resource"><pdfaProperty:name>{name}</pdfaProperty:name>'
        "<pdfaProperty:valueType>Text</pdfaProperty:valueType>"
        "<pdfaProperty:category>external</pdfaProperty:category>"
        f"<pdfaProperty:description>{_xml(description)}</pdfaProperty:description></rdf:li>"
        for name, description, _value in fields
    )
    values = "".join(
        f"<record:{name}>{_xml(value)}</record:{name}>" for name, _d, value in fields if value
    )
    return (
        '<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"'
        ' xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"'
        ' xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">'
        "<pdfaExtension:schemas><rdf:Bag>"
        # pdfuaid is not one of PDF/A's predefined schemas either.
        '<rdf:li rdf:parseType="Resource">'
        "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>"
        "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>"
        "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>"
        '<rdf:li rdf:parseType="Resource"><pdfaProperty:name>part</pdfaProperty:name>'
        "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
        "<pdfaProperty:category>internal</pdfaProperty:category>"
        "<pdfaProperty:description>PDF/UA version identifier</pdfaProperty:description></rdf:li>"
        "</rdf:Seq></pdfaSchema:property></rdf:li>"
        '<rdf:li rdf:parseType="Resource">'
        "<pdfaSchema:schema>Steering negotiation protocol</pdfaSchema:schema>"
        f"<pdfaSchema:namespaceURI>{XMP_NAMESPACE}</pdfaSchema:namespaceURI>"
        "<pdfaSchema:prefix>record</pdfaSchema:prefix>"
        f"<pdfaSchema:property><rdf:Seq>{properties}</rdf:Seq></pdfaSchema:property></rdf:li>"
        "</rdf:Bag></pdfaExtension:schemas></rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"'
        ' pdfuaid:part="1"/>'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        + (
            f"<dc:language><rdf:Bag><rdf:li>{_xml(language)}</rdf:li></rdf:Bag></dc:language>"
            if language
            else ""
        )
        + (
            f"<dc:subject><rdf:Bag><rdf:li>{_xml(subject)}</rdf:li></rdf:Bag></dc:subject>"
            if subject
            else ""
        )
        + (f"<dc:identifier>{_xml(document_id)}</dc:identifier>" if document_id else "")
        + "</rdf:Description>"
        f'<rdf:Description rdf:about="" xmlns:record="{XMP_NAMESPACE}">{values}</rdf:Description>'
    ).encode()


def protocol_xmp(version, *, language: str) -> dict:
    """The record's metadata for the PDF's XMP, from the frozen version."""
    from .record import record_of
    from .selectors import document_id

    negotiation = version.minutes.negotiation
    party = negotiation.party
    with translation.override(language):
        subject = translation.gettext("Steering negotiation %(year)s: %(party)s") % {
            "year": negotiation.round.year,
            "party": getattr(party, f"name_{language}", None) or party.name_fi,
        }
    return {
        "language": language,
        "diary_number": record_of(version.snapshot)["diary_number"],
        "document_id": document_id(version),
        "subject": subject,
    }


def _complete_xmp(pdf, extra: bytes) -> None:
    metadata = pdf.objects[_number(pdf.catalog["Metadata"])]
    content = b"".join(metadata.stream)
    marker = b"</rdf:RDF>"
    if marker not in content:  # namespaced by ElementTree as ns0: etc.? then append a block
        raise ValueError("WeasyPrint's XMP has no rdf:RDF to complete")
    metadata.stream[:] = [content.replace(marker, extra + marker, 1)]
