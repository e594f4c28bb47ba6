"""Every form of the portal, POSTed with hostile values, answers below 500.

The list of URLs is built from the URL resolver, so a new form is fuzzed without being
listed here; the objects behind the URLs are a published protocol with its material.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import need_postgresql
from tests.factories import RegionStaffFactory, region

pytestmark = pytest.mark.django_db

VALUES = {
    "nul": "a\x00b",
    "long": "x" * 100_000,
    "empty": "",
    "not a number": "abc",
    "huge integer": "9" * 30,
}
# Logging out or changing one's password would end the session the sweep runs in.
SKIP = {"logout", "password_change"}
FIELD = re.compile(r'name="([^"]+)"')


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if "admin" in str(entry.pattern):
                continue
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


@pytest.fixture
def seeded(official):
    from tests.factories import attach, published

    publication = published(official)
    minutes = publication.version.minutes
    negotiation = minutes.negotiation
    document = attach(official, negotiation, "Arvio")
    return {
        "rounds": negotiation.round_id,
        "negotiations": negotiation.pk,
        "minutes": minutes.pk,
        "documents": document.pk,
        "comments": 1,
        "protocols": publication.pk,
        "item_pk": negotiation.agenda_items.first().pk,
        "document_pk": document.pk,
        "negotiation_pk": negotiation.pk,
        "action_pk": 1,
        "report_pk": 1,
        "number": 1,
        "slug": negotiation.region.slug,
        "uidb64": "MQ",
        "token": "set-password",
    }


def _fill(route: str, objects: dict) -> str:
    def value(match):
        name = match.group(2)
        if name == "pk":
            segment = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
            return str(objects.get(segment, 1))
        return str(objects[name])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def _form_urls(objects):
    for route, name in _patterns():
        if name in SKIP or not route.startswith("fi/"):
            continue
        if route.endswith((".atom", ".ics", ".pdf")):
            continue
        yield name, _fill(route, objects)


def sweep(client, user, objects):
    client.raise_request_exception = False  # collect every failure, not the first
    failures = []
    for name, url in _form_urls(objects):
        client.force_login(user)
        page = client.get(url)
        html = "" if page.streaming else page.content.decode(errors="replace")
        fields = set(FIELD.findall(html)) - {"csrfmiddlewaretoken"}
        fields |= {"reason", "note", "publication", "text", "confirmed"}
        for label, value in VALUES.items():
            data = {field: value for field in fields}
            response = client.post(url, data)
            if response.status_code >= 500:
                failures.append(f"{name} {url} {label}: {response.status_code}")
    assert not failures, failures


def test_every_form_as_an_official(client, official, seeded):
    sweep(client, official, seeded)


def test_every_form_as_region_staff(client, seeded):
    sweep(client, RegionStaffFactory(region=region("vantaa-kerava")), seeded)


def test_every_form_on_postgresql(client, official, seeded):
    need_postgresql()
    sweep(client, official, seeded)
    sweep(client, RegionStaffFactory(region=region("vantaa-kerava")), seeded)
