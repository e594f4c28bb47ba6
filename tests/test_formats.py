"""Dates and counts in the page's language (issue 18, point 8)."""

import re
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import NegotiationFactory

# A date or time filter given its format as letters ("j.n.Y", "H.i") fixes one language's
# format for every reader. The format names follow the language; "c" is ISO 8601 for
# machines and "l" alone the weekday's name, which Django translates.
LITERAL_FORMAT = re.compile(r"""\|\s*(?:date|time)\s*:\s*(["'])(?P<format>[^"']*)\1""")
ALLOWED = {"c", "l", "D"}


def test_no_template_hard_codes_a_date_format():
    found = []
    for path in sorted(Path("templates").rglob("*")):
        if path.suffix not in (".html", ".txt", ".ics", ".xml"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for match in LITERAL_FORMAT.finditer(line):
                fmt = match["format"]
                if fmt in ALLOWED or re.fullmatch(r"[A-Z_]+_FORMAT", fmt):
                    continue
                # ISO dates in an input's value are for the browser, not the reader.
                if fmt in ("Y-m-d", "Y-m-d\\TH:i") and "value=" in line[: match.start()]:
                    continue
                found.append(f"{path}:{number}: {fmt}")
    assert found == []


@pytest.mark.django_db
def test_each_language_writes_dates_its_own_way(client, official):
    starts = timezone.make_aware(datetime(2031, 3, 5, 9, 0))
    negotiation = NegotiationFactory(
        chair=official, starts_at=starts, ends_at=starts.replace(hour=12)
    )
    client.force_login(official)
    url = f"/workspace/negotiations/{negotiation.pk}/"
    finnish = client.get(f"/fi{url}").content.decode()
    swedish = client.get(f"/sv{url}").content.decode()
    english = client.get(f"/en{url}").content.decode()
    assert "keskiviikko 5.3.2031 09.00–12.00" in finnish
    assert "onsdag 5.3.2031 09.00–12.00" in swedish  # the Swedish of Finland
    assert "Wednesday 5 Mar 2031, 09:00–12:00" in english
    assert "5.3.2031" not in english


@pytest.mark.django_db
def test_counted_words_follow_the_count(client, official):
    from django.core.cache import caches

    from minutes.models import ProtocolPDF
    from tests.factories import published

    publication = published(official, render=True)
    ProtocolPDF.objects.filter(version=publication.version).update(pages=1)
    caches["public"].clear()
    one = client.get(f"/en/protocols/{publication.pk}/").content.decode()
    assert "1 page," in one and "1 pages" not in one
    ProtocolPDF.objects.filter(version=publication.version).update(pages=2)
    caches["public"].clear()
    assert "2 pages," in client.get(f"/en/protocols/{publication.pk}/").content.decode()
