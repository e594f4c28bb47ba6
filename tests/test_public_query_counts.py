"""Every public page reads a fixed number of queries, whether one protocol is published or
several (with their outcome items): no page reads per row."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cycle_helpers import first_year

pytestmark = pytest.mark.django_db

# The page's own queries (the session is not read: the client sends no cookie).
PAGES = {
    "/fi/": 4,
    "/fi/regions/lappi/": 3,
    "/fi/protocols/": 5,
    "/fi/protocols/?region=lappi&kind=region": 5,
    "/fi/protocols/{pk}/": 8,
    # PostgreSQL: ranked rows, the snippets of the page, its parties.
    "/fi/search/?q=talous": {"sqlite": 3, "postgresql": 3},
    "/fi/feeds/protocols.atom": 1,
    "/fi/feeds/regions/lappi.atom": 2,
    "/fi/feeds/schedule.ics": 2,
    "/sitemap.xml": 1,
    "/api/v1/protocols/": 5,
    "/api/v1/protocols/{pk}/": 4,
    "/api/v1/items/": 2,
    "/api/v1/items/?region=lappi": 3,
}


def _queries(client, path) -> int:
    caches["public"].clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


@pytest.mark.parametrize(("page", "expected"), PAGES.items())
def test_public_page_query_count_is_fixed(client, official, page, expected):
    first = first_year(official, year=2030, slug="lappi")
    path = page.format(pk=first.pk)
    small = _queries(client, path)
    for year, slug in ((2031, "lappi"), (2032, "kainuu"), (2033, "satakunta")):
        first_year(official, year=year, slug=slug)
    if isinstance(expected, dict):
        expected = expected[connection.vendor]
    assert (small, _queries(client, path)) == (expected, expected)
