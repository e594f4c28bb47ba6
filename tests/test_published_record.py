"""A published protocol is frozen in every detail, its feeds carry user text as text, and
the public PDF leaves out the video link."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from minutes.models import ProtocolPDF
from minutes.services import protocols, publishing
from tests.factories import rendered_version, revised
from tests.helpers import pdf_text

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _moved(negotiation, *, place, day):
    negotiation.place = place
    negotiation.starts_at = timezone.make_aware(datetime.datetime(2026, 3, day, 9, 0))
    negotiation.ends_at = negotiation.starts_at + datetime.timedelta(hours=3)
    negotiation.save()


def test_editing_the_negotiation_after_publication_leaves_the_record_as_published(client, official):
    version = rendered_version(official, slug="kainuu", render=False)
    negotiation = version.minutes.negotiation
    _moved(negotiation, place="Kajaanin kaupungintalo", day=10)
    protocols.protocol_render(version.pk, "fi")
    publication = publishing.protocol_publish(minutes=version.minutes, by=official)
    _moved(negotiation, place="Sotkamon kunnantalo", day=20)

    page = client.get(f"/fi/protocols/{publication.pk}/").content.decode()
    assert "Kajaanin kaupungintalo" in page and "10.3.2026" in page
    assert "Sotkamon" not in page and "20.3.2026" not in page
    api = client.get(f"/api/v1/protocols/{publication.pk}/").json()
    assert api["negotiation_date"] == "2026-03-10"
    listed = client.get("/api/v1/protocols/").json()["results"][0]
    assert listed["negotiation_date"] == "2026-03-10"
    pdf = pdf_text(ProtocolPDF.objects.get(version=version))
    assert "Kajaanin kaupungintalo" in pdf

    # A correction freezes the negotiation as it is then.
    minutes = revised(official, publication, "Korjattu teksti.")
    second = publishing.protocol_publish(minutes=minutes, by=official, note="Paikka korjattu.")
    page = client.get(f"/fi/protocols/{second.pk}/").content.decode()
    assert "Sotkamon kunnantalo" in page and "20.3.2026" in page
    assert client.get(f"/api/v1/protocols/{second.pk}/").json()["negotiation_date"] == (
        "2026-03-20"
    )


NOTE = "<img src=x onerror=alert(1)> & <b>lihavoitu</b>"


@pytest.mark.parametrize("path", ["/fi/feeds/protocols.atom", "/fi/feeds/regions/kainuu.atom"])
def test_feed_summaries_are_plain_text(client, official, path):
    version = rendered_version(official, slug="kainuu")
    first = publishing.protocol_publish(minutes=version.minutes, by=official)
    minutes = revised(official, first, "Korjattu.")
    publishing.protocol_publish(minutes=minutes, by=official, note=NOTE)

    root = ET.fromstring(client.get(path).content)  # noqa: S314 (our own feed, in a test)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    summaries = [entry.find(f"{ATOM}summary") for entry in entries]
    assert all(summary.get("type") == "text" for summary in summaries)
    assert NOTE in [summary.text for summary in summaries]
    for entry in entries:
        title = entry.find(f"{ATOM}title")
        assert title.get("type", "text") == "text"
    # No markup came through as elements.
    assert not root.findall(f".//{ATOM}img") and not root.findall(".//img")


def test_the_protocol_pdf_leaves_out_the_video_link(official):
    version = rendered_version(official, slug="lappi", render=False)
    negotiation = version.minutes.negotiation
    negotiation.video_link = "https://meet.example.fi/salainen-huone-4711"
    negotiation.place = "Rovaniemi"
    negotiation.save()
    publishing.protocol_publish(minutes=version.minutes, by=official)
    protocols.protocol_render(version.pk, "fi")
    text = pdf_text(ProtocolPDF.objects.get(version=version))
    assert "Rovaniemi" in text
    assert "meet.example.fi" not in text and "4711" not in text


def test_the_public_calendar_keeps_the_published_time(client, official):
    version = rendered_version(official, slug="kainuu", render=False)
    negotiation = version.minutes.negotiation
    negotiation.round.year = timezone.localdate().year
    negotiation.round.save(update_fields=["year"])
    _moved(negotiation, place="Kajaanin kaupungintalo", day=10)
    publishing.protocol_publish(minutes=version.minutes, by=official)
    _moved(negotiation, place="Sotkamon kunnantalo", day=20)

    calendar = client.get("/fi/feeds/schedule.ics").content.decode()
    assert "20260310T" in calendar
    assert "20260320T" not in calendar
