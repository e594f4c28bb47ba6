"""Small helpers several test modules share (builders of objects are in factories.py,
the browser's in browser.py): test modules import from here, never from each other."""

import io

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver
from pypdf import PdfReader

FI_SAMPLE = "Hyvinvointialueen talous on alijäämäinen; säästöjä haetaan öisin ja ääriä myöten."


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = str(entry.pattern)
            if inner.startswith("^fi/") or "LocalePrefix" in type(entry.pattern).__name__:
                inner = "fi/"
            yield from walk(entry.url_patterns, prefix + inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def pdf_text(pdf) -> str:
    with pdf.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def first_section(minutes):
    return minutes.sections.order_by("position").first()


def url(minutes, suffix="", lang="fi") -> str:
    return f"/{lang}/workspace/minutes/{minutes.pk}/{suffix}"


def version_url(version, suffix="", lang="fi") -> str:
    return url(version.minutes, f"versions/{version.number}/{suffix}", lang)


DEPLOY_CHECK = (
    "import sys; from django.core.management import execute_from_command_line; "
    "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
)
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2,
    "ALLOWED_HOSTS": "portal.example.fi",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "ACCESSIBILITY_FEEDBACK_EMAIL": "saavutettavuus@ohjausneuvottelut.example.fi",
}


def language_of(body: str, text: str) -> str:
    """The language the page declares for `text`: the lang of the innermost element around
    its first occurrence."""
    from html.parser import HTMLParser

    class Languages(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack, self.found = [], None

        def handle_starttag(self, tag, attrs):
            if tag not in ("br", "img", "input", "link", "meta", "hr"):
                own = dict(attrs).get("lang")
                self.stack.append((tag, own or (self.stack[-1][1] if self.stack else "")))

        def handle_endtag(self, tag):
            while self.stack and self.stack.pop()[0] != tag:
                pass

        def handle_data(self, data):
            if self.found is None and text in data:
                self.found = self.stack[-1][1]

    parser = Languages()
    parser.feed(body)
    assert parser.found is not None, f"{text!r} not on the page"
    return parser.found


def page_query_count(client, path) -> int:
    """The queries of one request for the page itself, not for its cached copy."""
    caches["public"].clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)
