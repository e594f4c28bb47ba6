"""Publishing, corrections, withdrawal and the public pages: nothing unpublished leaks."""

import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minutes import services
from minutes.models import Minutes, ProtocolPDF, Publication
from minutes.services import protocols, publishing
from negotiations import services as negotiation_services
from tests.factories import (
    NegotiationFactory,
    RoundFactory,
    attach,
    region,
    rendered_version,
    revised,
)
from tests.helpers import language_of, page_query_count

pytestmark = pytest.mark.django_db


def published(official, slug="vantaa-kerava", **kwargs):
    version = rendered_version(official, slug=slug, **kwargs)
    publication = publishing.protocol_publish(minutes=version.minutes, by=official)
    protocols.protocol_render(version.pk, version.snapshot["language"])
    return publication


def test_publishing_makes_page_pdf_and_public_attachments_visible(client, official):
    version = rendered_version(
        official, sections={"Talous": "Talous on tasapainossa."},
        material=[{"title": "THL-arvio julkinen"}, {"title": "Sisäinen huomio", "public": False}],
    )  # fmt: skip
    public_doc, private_doc = version.minutes.negotiation.documents.order_by("pk")
    publication = publishing.protocol_publish(minutes=version.minutes, by=official)
    minutes = Minutes.objects.get(pk=publication.version.minutes_id)
    assert minutes.status == Minutes.Status.PUBLISHED
    page = client.get(f"/fi/protocols/{publication.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Talous on tasapainossa." in body
    assert "THL-arvio julkinen" in body and "Sisäinen huomio" not in body
    pdf = client.get(f"/fi/protocols/{publication.pk}/protocol.pdf")
    assert pdf.status_code == 200
    assert pdf["Cache-Control"] == "public, max-age=60"  # a withdrawal must not linger
    again = client.get(
        f"/fi/protocols/{publication.pk}/protocol.pdf", HTTP_IF_NONE_MATCH=pdf["ETag"]
    )
    assert again.status_code == 304
    ok = client.get(f"/fi/protocols/{publication.pk}/attachments/{public_doc.pk}/")
    assert ok.status_code == 200
    hidden = client.get(f"/fi/protocols/{publication.pk}/attachments/{private_doc.pk}/")
    assert hidden.status_code == 404


def test_nothing_unpublished_reaches_the_public(client, official, staff_a):
    # Draft, in review and approved-but-unpublished minutes for three regions.
    draft = NegotiationFactory(region=region("lappi"))
    draft.agenda_items.create(position=1, title="Avaus")
    services.minutes_start(negotiation=draft, by=official)
    approved = rendered_version(official, slug="kainuu")
    shown = published(official)
    withdrawn = published(official, slug="hus")
    publishing.protocol_withdraw(publication=withdrawn, by=official, reason="Virheellinen liite")
    listing = client.get("/fi/protocols/").content.decode()
    feed = client.get("/fi/feeds/protocols.atom").content.decode()
    front = client.get("/fi/").content.decode()
    for body in (listing, feed, front):
        linked = {int(pk) for pk in re.findall(r"/fi/protocols/(\d+)/", body)}
        assert linked == {shown.pk}
    assert "Kainuun" not in feed and "Lapin" not in feed
    # Guessing URLs: the approved version's PDF, the withdrawn one's page and PDF.
    assert client.get(f"/fi/protocols/{withdrawn.pk}/").status_code == 410
    assert "Virheellinen liite" in client.get(f"/fi/protocols/{withdrawn.pk}/").content.decode()
    assert client.get(f"/fi/protocols/{withdrawn.pk}/protocol.pdf").status_code == 410  # the notice
    assert client.get(f"/fi/protocols/{shown.pk + 100}/").status_code == 404
    pdf_url = f"/fi/workspace/minutes/{approved.minutes_id}/versions/{approved.number}/protocol.pdf"
    assert client.get(pdf_url).status_code == 302  # to the login page, never the file


def test_correction_keeps_the_old_version_readable_and_its_pdf_unchanged(client, official):
    first = published(official, sections={"Talous": "Alkuperäinen teksti."})
    old_pdf = ProtocolPDF.objects.get(version=first.version)
    with old_pdf.file.open("rb") as handle:
        old_bytes = handle.read()
    minutes = revised(official, first, "Korjattu teksti.")
    with pytest.raises(ValidationError):  # a correction must say what changed
        publishing.protocol_publish(minutes=minutes, by=official)
    second = publishing.protocol_publish(minutes=minutes, by=official, note="Talous-kohta korjattu")
    protocols.protocol_render(second.version.pk, "fi")
    old_page = client.get(f"/fi/protocols/{first.pk}/").content.decode()
    assert "Alkuperäinen teksti." in old_page
    assert f"/fi/protocols/{second.pk}/" in old_page
    new_page = client.get(f"/fi/protocols/{second.pk}/").content.decode()
    assert "Korjattu teksti." in new_page and "Talous-kohta korjattu" in new_page
    assert f'href="/fi/protocols/{first.pk}/"' in new_page  # under "earlier publications"
    old_pdf.refresh_from_db()
    with old_pdf.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == old_pdf.sha256
        handle.seek(0)
        assert handle.read() == old_bytes
    listing = client.get("/fi/protocols/").content.decode()
    assert f"/fi/protocols/{second.pk}/" in listing and f"/fi/protocols/{first.pk}/" not in listing
    assert "Talous-kohta korjattu" in client.get("/fi/feeds/protocols.atom").content.decode()


def test_withdrawal_needs_a_reason(official):
    publication = published(official)
    with pytest.raises(ValidationError):
        publishing.protocol_withdraw(publication=publication, by=official, reason="  ")
    publication.refresh_from_db()
    assert not publication.is_withdrawn


def test_official_publishes_all_approved_of_a_round(client, official):
    round_ = RoundFactory()
    versions = [rendered_version(official, slug=slug) for slug in ("kainuu", "lappi", "satakunta")]
    for version in versions:
        negotiation = version.minutes.negotiation
        negotiation.round = round_
        negotiation.save()
    assert publishing.round_publish_approved(round=round_, by=official) == 3
    assert Publication.objects.count() == 3


@pytest.mark.parametrize("filtered", [False, True])
def test_public_list_query_count_does_not_grow(client, official, filtered):
    first = published(official, slug="kainuu")
    year = first.negotiation.round.year
    path = f"/fi/protocols/?year={year}&region=lappi" if filtered else "/fi/protocols/"

    small = page_query_count(client, path)
    for slug in ("lappi", "satakunta", "pirkanmaa", "kymenlaakso"):
        published(official, slug=slug)
    assert page_query_count(client, path) == small


def test_region_page_lists_its_published_years(client, official):
    publication = published(official, slug="lappi")
    body = client.get("/sv/regions/lappi/").content.decode()
    assert f"/sv/protocols/{publication.pk}/" in body


def test_protocol_page_links_the_regions_other_years(client, official):
    first, second = published(official, slug="lappi"), published(official, slug="lappi")
    assert first.year != second.year
    body = client.get(f"/sv/protocols/{second.pk}/").content.decode()
    assert f'href="/sv/protocols/{first.pk}/">{first.year}</a>' in body


def test_public_pages_are_cached_with_etags_and_refreshed_on_publish(
    client, official, django_capture_on_commit_callbacks
):
    first = published(official, slug="kainuu")
    client.get("/fi/protocols/")
    with CaptureQueriesContext(connection) as queries:
        cached = client.get("/fi/protocols/")
    assert len(queries) == 0
    unchanged = client.get("/fi/protocols/", HTTP_IF_NONE_MATCH=cached["ETag"])
    assert unchanged.status_code == 304
    assert unchanged["Cache-Control"] == cached["Cache-Control"] == "public, max-age=60"
    assert "Last-Modified" in cached
    version = rendered_version(official, slug="lappi")
    with django_capture_on_commit_callbacks(execute=True):
        second = publishing.protocol_publish(minutes=version.minutes, by=official)
    fresh = client.get("/fi/protocols/")
    body = fresh.content.decode()
    assert f"/fi/protocols/{second.pk}/" in body and f"/fi/protocols/{first.pk}/" in body
    assert fresh["ETag"] != cached["ETag"]
    # Signed-in users are never served the anonymous copy.
    client.force_login(official)
    assert "Kirjaudu ulos" in client.get("/fi/protocols/").content.decode()


def test_public_schedule_calendar_has_no_private_details(client, official):
    negotiation = NegotiationFactory(video_link="https://video.example.fi/salainen")
    from django.utils import timezone

    negotiation.round.year = timezone.localdate().year
    negotiation.round.save()
    body = client.get("/fi/feeds/schedule.ics").content.decode()
    assert f"UID:negotiation-{negotiation.pk}@ohjausneuvottelut" in body
    assert "salainen" not in body and "Meritullinkatu" not in body


def test_json_api_lists_and_details_only_published(
    client, official, django_capture_on_commit_callbacks
):
    shown = published(official, slug="kainuu", sections={"Talous": "Alijäämä katettu."})
    rendered_version(official, slug="lappi")
    listing = client.get("/api/v1/protocols/").json()
    assert listing["count"] == 1
    item = listing["results"][0]
    assert item["id"] == shown.pk and item["party"]["slug"] == "kainuu"
    assert item["party"]["name"]["sv"] == "Kajanalands välfärdsområde"
    detail = client.get(item["api_url"]).json()
    assert detail["pdf"].endswith(f"/protocols/{shown.pk}/protocol.pdf")
    assert any("Alijäämä katettu." in s["html"] for s in detail["sections"])
    assert client.get("/api/v1/protocols/?region=lappi").json()["count"] == 0
    assert client.get("/api/v1/protocols/?year=abc&page=x").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        publishing.protocol_withdraw(publication=shown, by=official, reason="Virhe")
    assert client.get(f"/api/v1/protocols/{shown.pk}/").status_code == 404
    assert client.get("/api/v1/protocols/").json()["count"] == 0


def test_public_protocol_page_query_count_does_not_grow(client, official):
    from django.core.files.uploadedfile import SimpleUploadedFile

    first = published(official, slug="kainuu")

    path = f"/fi/protocols/{first.pk}/"
    small = page_query_count(client, path)
    # Another region's protocols, and more attachments on this one, change nothing.
    for slug in ("lappi", "satakunta", "pirkanmaa"):
        published(official, slug=slug)
    for index in range(3):
        negotiation_services.document_add(
            by=official, uploaded_file=SimpleUploadedFile(f"{index}.pdf", b"%PDF-1.7\n%%EOF\n"),
            max_bytes=10**6, negotiation=first.negotiation, kind="slides", language="fi",
            title=f"Liite {index}", publicity="public",
        )  # fmt: skip
    assert page_query_count(client, path) == small


def test_sitemap_lists_only_current_publications(client, official):
    shown = published(official, slug="kainuu")
    rendered_version(official, slug="lappi")
    body = client.get("/sitemap.xml").content.decode()
    assert f"/fi/protocols/{shown.pk}/" in body and f"/sv/protocols/{shown.pk}/" in body
    assert body.count("<url>") == 3  # one protocol, three languages


def test_publishing_tells_the_region(
    official, staff_a, eager_tasks, django_capture_on_commit_callbacks
):
    from django.core import mail

    version = rendered_version(official)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publication = publishing.protocol_publish(minutes=version.minutes, by=official)
    notice = next(
        m for m in mail.outbox if "julkaistu" in m.subject.lower() or "/protocols/" in m.body
    )
    assert staff_a.email in notice.to
    assert f"/fi/protocols/{publication.pk}/" in notice.body


@pytest.mark.parametrize("path", ["/fi/", "/fi/regions/kainuu/"])
def test_front_and_region_pages_query_count_does_not_grow(client, official, path):
    published(official, slug="kainuu")

    small = page_query_count(client, path)
    for slug in ("lappi", "satakunta", "pirkanmaa"):
        published(official, slug=slug)
    NegotiationFactory(region=region("kymenlaakso"))
    assert page_query_count(client, path) == small


@pytest.mark.parametrize(
    "query",
    [
        "year=1999",
        "year=abc",
        "region=atlantis",
        "area=nowhere",
        "kind=secret",
        "page=99",
        "page=x",
        "page=0",
        "page=-1",
        "page=99999999999999999999999",
    ],
)
def test_unknown_filters_and_pages_are_a_helpful_404(client, official, query):
    published(official)
    response = client.get(f"/sv/protocols/?{query}")
    assert response.status_code == 404
    body = response.content.decode()
    assert '<html lang="sv">' in body
    assert 'href="/sv/"' in body  # a way back to the front page


def test_protocol_page_marks_the_protocols_language_only_on_its_text(client, official):
    version = rendered_version(
        official, slug="pohjanmaa", language="sv", sections={"Talous": "Ekonomin är i balans."},
        material=[{"title": "THL:s bedömning", "language": "sv"}],
    )  # fmt: skip
    publication = publishing.protocol_publish(minutes=version.minutes, by=official)
    body = client.get(f"/fi/protocols/{publication.pk}/").content.decode()
    # The page names the region in the reader's language, and says the PDF is Swedish.
    year = publication.year
    assert f"<title>Pöytäkirja {year}: Pohjanmaan hyvinvointialue –" in body
    pdf_link = re.search(r'<a class="btn btn-primary"[^>]*>.*?</a>', body).group(0)
    assert 'hreflang="sv"' in pdf_link and "(ruotsi, " in pdf_link
    assert f"Pohjanmaan hyvinvointialue {year}</span>" in pdf_link
    assert language_of(body, "THL:s bedömning") == "sv"
    assert language_of(body, "Ekonomin är i balans.") == "sv"
    assert language_of(body, "Talous") == "sv"  # the section's own heading
    # The page's own headings are Finnish: a screen reader must not read them as Swedish.
    assert language_of(body, "Osallistujat") == "fi"
    assert language_of(body, "Liitteet") == "fi"


def test_cached_pages_are_kept_apart_by_language_and_host(client, official, settings):
    """The API, outside the language prefixes, links to the pages in the language asked
    for, and feeds write absolute links: neither may be served from another's copy."""
    settings.ALLOWED_HOSTS = ["portal.example.fi", "testserver"]
    shown = published(official, slug="kainuu")
    swedish = client.get("/api/v1/protocols/", HTTP_ACCEPT_LANGUAGE="sv").json()
    english = client.get("/api/v1/protocols/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert swedish["results"][0]["url"].endswith(f"/sv/protocols/{shown.pk}/")
    assert english["results"][0]["url"].endswith(f"/en/protocols/{shown.pk}/")
    client.get("/fi/feeds/protocols.atom")
    other = client.get("/fi/feeds/protocols.atom", HTTP_HOST="portal.example.fi")
    assert f"http://portal.example.fi/fi/protocols/{shown.pk}/" in other.content.decode()


def test_cached_feed_keeps_its_own_last_modified(client, official):
    shown = published(official, slug="kainuu")
    Publication.objects.filter(pk=shown.pk).update(published_at="2025-03-04T10:00:00Z")
    newest = "Tue, 04 Mar 2025 10:00:00 GMT"
    assert client.get("/fi/feeds/protocols.atom")["Last-Modified"] == newest
    assert client.get("/fi/feeds/protocols.atom")["Last-Modified"] == newest  # from the cache


def test_attachments_go_with_the_version_approved_after_them(
    client, official, django_capture_on_commit_callbacks
):
    from minutes.pdf import protocol_html

    version = rendered_version(official, slug="kainuu", material=[{"title": "Ensimmäinen liite"}])
    negotiation = version.minutes.negotiation
    # Uploaded after approval: not in this version, its PDF or its publication.
    late = attach(official, negotiation, "Myöhästynyt liite")
    first = publishing.protocol_publish(minutes=version.minutes, by=official)
    page = f"/fi/protocols/{first.pk}/"
    body = client.get(page).content.decode()
    assert "Ensimmäinen liite" in body and "Myöhästynyt liite" not in body
    assert "Myöhästynyt liite" not in protocol_html(first.version, language="fi", draft=False)
    assert client.get(f"{page}attachments/{late.pk}/").status_code == 404
    titles = [
        item["title"] for item in client.get(f"/api/v1/protocols/{first.pk}/").json()["attachments"]
    ]
    assert titles == ["Ensimmäinen liite"]
    # The correction, approved after it, carries it; the earlier version stays as it was.
    revised(official, first, "Talous korjattu.")
    during = attach(official, negotiation, "Korjausta odottava liite")
    assert client.get(f"{page}attachments/{during.pk}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        second = publishing.protocol_publish(
            minutes=first.version.minutes, by=official, note="Liite lisätty"
        )
    shown = f"/fi/protocols/{second.pk}/"
    body = client.get(shown).content.decode()
    assert "Myöhästynyt liite" in body and "Korjausta odottava liite" not in body
    assert "Myöhästynyt liite" in protocol_html(second.version, language="fi", draft=False)
    assert client.get(f"{shown}attachments/{late.pk}/").status_code == 200
    assert client.get(f"{page}attachments/{late.pk}/").status_code == 404
    # A published attachment is part of the record: removing it is refused (issue 13/4).
    with pytest.raises(ValidationError):
        negotiation_services.document_delete(document=late, by=official)
    assert "Myöhästynyt liite" in client.get(shown).content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/fi/protocols/?region=%00",
        "/fi/protocols/?area=x%00y",
        "/fi/protocols/?kind=%00",
        "/fi/protocols/?region=lappi%00",
    ],
)
def test_a_nul_in_a_filter_is_a_404_not_an_error(client, official, path):
    published(official)
    assert client.get(path).status_code == 404


def test_api_filters_with_a_nul_find_nothing(client, official):
    published(official)
    for query in ("region=%00", "area=%00", "kind=%00", "kind=secret"):
        response = client.get(f"/api/v1/protocols/?{query}")
        assert response.status_code == 200 and response.json()["count"] == 0, query
    assert client.head("/api/v1/protocols/").status_code == 200


def test_a_published_file_missing_from_storage_is_a_404(client, official):
    from django.core.files.storage import default_storage

    version = rendered_version(official, material=[{"title": "Liite"}])
    [document] = version.minutes.negotiation.documents.all()
    publication = publishing.protocol_publish(minutes=version.minutes, by=official)
    default_storage.delete(document.file.name)
    address = f"/fi/protocols/{publication.pk}/attachments/{document.pk}/"
    assert client.get(address).status_code == 404


def test_signed_in_copies_of_public_pages_are_kept_by_no_cache(client, official):
    publication = published(official)
    client.force_login(official)
    for path in ("/fi/", "/fi/protocols/", f"/fi/protocols/{publication.pk}/"):
        control = client.get(path)["Cache-Control"]
        assert "private" in control and "no-store" in control, path
