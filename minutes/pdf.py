"""The protocol as a PDF: HTML from a template, rendered by WeasyPrint, safely.

The minutes text comes from people. It is sanitised before it becomes HTML, and on top
of that the renderer gets a URL fetcher that serves only the portal's own static files
and data: URLs, so no text can make the renderer read a local file or open a socket.
Oversized or deeply nested content is refused before rendering starts.
"""

import logging
import mimetypes
import re
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
            {**protocol_context(version), "draft": draft, "static_prefix": STATIC_PREFIX},
        )


def render_pdf(html: str, *, identifier: str) -> tuple[bytes, int]:
    """PDF bytes and the page count. Tagged PDF/UA-1, the same bytes for the same input."""
    document = HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=SafeURLFetcher()).render(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )
    data = document.write_pdf(pdf_identifier=identifier.encode(), pdf_variant="pdf/ua-1")
    return data, len(document.pages)
