"""The ledger's pages: the region's follow-up actions with reports, the officials'
overview and CSV, the public region page, the JSON list and the due-date reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from minutes import notifications, services
from minutes.models import ItemReminder, ItemStatus, OutcomeKind, Responsible, TrackedItem
from minutes.services import ledger, outcomes, publishing
from negotiations.models import AgendaRole
from regions.models import Topic
from tests.cycle_helpers import (
    approve_and_publish,
    first_year,
    negotiation_with_agenda,
    section,
)
from tests.factories import RegionStaffFactory, region

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def item_url(item, tail=""):
    return f"/fi/workspace/follow-up/items/{item.pk}/{tail}"


def first_item():
    return TrackedItem.objects.order_by("number").first()


def report_with_file(item, by, text="Edistyy hyvin."):
    return ledger.item_report(
        item=item, by=by, text=text, upload=SimpleUploadedFile("raportti.pdf", PDF)
    )


def second_year_assessing(official, item, status, text):
    """Next year's protocol of the same region assesses `item`."""
    negotiation = negotiation_with_agenda(official, year=item.year + 1)
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    assessment = minutes.assessments.get(item=item)
    outcomes.assessment_update(assessment=assessment, by=official, status=status, text=text)
    return approve_and_publish(official, minutes)


# --- Region staff ------------------------------------------------------------------------


def test_region_sees_its_open_items_and_reports_with_a_file(client, official, staff_a):
    first_year(official)
    item = first_item()
    client.force_login(staff_a)
    page = client.get("/en/workspace/follow-up/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Palveluverkkoa tiivistetään." in body and "Investointisuunnitelma" in body
    assert item_url(item).replace("/fi/", "/en/") in body

    response = client.post(
        item_url(item, "report/"),
        {"text": "Suunnitelma valmistuu.", "file": SimpleUploadedFile("raportti.pdf", PDF)},
    )
    assert response.status_code == 302
    report = item.reports.get()
    assert report.original_name == "raportti.pdf" and not report.by_ministry
    detail = client.get(item_url(item)).content.decode()
    assert "Suunnitelma valmistuu." in detail
    file_url = item_url(item, f"reports/{report.pk}/file/")
    assert file_url in detail
    download = client.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store"
    # The list shows the latest report; the ministry's remark shows beside it.
    ledger.item_report(item=item, by=official, text="Hyvä, jatkakaa.")
    listing = client.get("/en/workspace/follow-up/").content.decode()
    assert "Suunnitelma valmistuu." in listing and "Hyvä, jatkakaa." in listing


def test_history_is_in_the_readers_language(client, official, staff_a):
    first_year(official)
    item = first_item()
    ledger.item_report(item=item, by=staff_a, text="Edistyy.")
    ledger.item_set_status(item=item, by=official, status="in_progress")
    client.force_login(staff_a)
    body = client.get(item_url(item).replace("/fi/", "/en/")).content.decode()
    assert "published in the protocol" in body and "reported progress" in body
    assert "set the status (open → in progress)" in body


def test_another_regions_staff_get_404_on_the_item_report_and_file(client, official, staff_a):
    first_year(official)
    item = first_item()
    report = report_with_file(item, staff_a)
    outsider = RegionStaffFactory(region=region("lappi"))
    client.force_login(outsider)
    assert "Palveluverkkoa" not in client.get("/fi/workspace/follow-up/").content.decode()
    assert client.get(item_url(item)).status_code == 404
    assert client.post(item_url(item, "report/"), {"text": "Ei meidän"}).status_code == 404
    assert client.post(item_url(item, "status/"), {"status": "done"}).status_code == 404
    assert client.get(item_url(item, f"reports/{report.pk}/file/")).status_code == 404
    assert item.reports.count() == 1
    # The /media/ path of the stored file opens nothing either.
    assert client.get(f"/media/{report.file.name}").status_code == 404


def test_a_removed_item_is_404_for_the_region_and_shown_to_officials(client, official, staff_a):
    publication = first_year(official)
    minutes = publication.version.minutes
    publishing.minutes_start_correction(minutes=minutes, by=official)
    minutes.refresh_from_db()
    first = minutes.items.filter(kind="recommendation").order_by("position").first()
    removed_id = first.pk
    outcomes.outcome_remove(item=first, by=official)
    services.minutes_approve(minutes=minutes, by=official)
    publishing.protocol_publish(minutes=minutes, by=official, note="Kohta poistettu.")
    removed = TrackedItem.objects.get(source_item_id=removed_id)
    client.force_login(staff_a)
    assert client.get(item_url(removed)).status_code == 404
    client.force_login(official)
    assert client.get(item_url(removed)).status_code == 200


def test_status_change_by_region_staff_is_refused_with_a_message(client, official, staff_a):
    first_year(official)
    item = first_item()
    client.force_login(staff_a)
    response = client.post(item_url(item, "status/").replace("/fi/", "/en/"), {"status": "done"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Only the ministries&#x27; officials set an item&#x27;s status." in page
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN and item.events.count() == 1


def test_reporting_on_a_closed_item_is_refused_with_a_message(client, official, staff_a):
    first_year(official)
    item = first_item()
    ledger.item_set_status(item=item, by=official, status="done")
    client.force_login(staff_a)
    detail = client.get(item_url(item).replace("/fi/", "/en/")).content.decode()
    assert "reports are closed" in detail and f'action="{item_url(item, "report/")}' not in detail
    response = client.post(
        item_url(item, "report/").replace("/fi/", "/en/"), {"text": "Vielä yksi"}, follow=True
    )
    assert "reports are closed" in response.content.decode()
    assert not item.reports.exists()


def test_officials_set_the_status_only_as_allowed_and_dropping_needs_a_reason(client, official):
    first_year(official)
    item = first_item()
    client.force_login(official)
    page = client.get(item_url(item)).content.decode()
    assert 'value="in_progress"' in page and 'value="open"' not in page
    refused = client.post(item_url(item, "status/"), {"status": "dropped", "reason": ""})
    assert refused.status_code == 400
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN
    assert client.post(item_url(item, "status/"), {"status": "done"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    # Done goes back to in progress only.
    assert client.post(item_url(item, "status/"), {"status": "open"}).status_code == 400
    remark = client.post(item_url(item, "report/"), {"text": "Kiitos."})
    assert remark.status_code == 302 and item.reports.get().by_ministry


def test_region_staff_landing_and_navigation_link_the_page(client, staff_a, official):
    client.force_login(staff_a)
    landing = client.get(f"/fi/workspace/regions/{staff_a.region.slug}/").content.decode()
    assert landing.count('href="/fi/workspace/follow-up/"') >= 2
    client.force_login(official)
    assert (
        'href="/fi/workspace/follow-up/overview/"' in client.get("/fi/workspace/").content.decode()
    )
    assert client.get("/fi/workspace/follow-up/").status_code == 302


# --- Officials' overview ---------------------------------------------------------------------


def test_overview_counts_by_region_and_status_and_filters(client, official):
    first_year(official, slug="vantaa-kerava")
    first_year(official, year=2031, slug="lappi")
    ledger.item_set_status(item=first_item(), by=official, status="done")
    client.force_login(official)
    with translation.override("en"):
        page = client.get("/en/workspace/follow-up/overview/")
    assert page.status_code == 200
    rows = {row.party.slug: row for row in page.context["rows"]}
    assert rows["vantaa-kerava"].cells() == [2, 0, 1, 0]
    assert rows["lappi"].cells() == [3, 0, 0, 0]
    assert page.context["totals"].total == 6
    filtered = client.get("/en/workspace/follow-up/overview/", {"year": 2031})
    assert [row.party.slug for row in filtered.context["rows"]] == ["lappi"]
    by_region = client.get("/en/workspace/follow-up/overview/", {"region": "vantaa-kerava"})
    assert [row.party.slug for row in by_region.context["rows"]] == ["vantaa-kerava"]
    by_status = client.get("/en/workspace/follow-up/overview/", {"status": "done"})
    assert by_status.context["totals"].total == 1
    by_kind = client.get("/en/workspace/follow-up/overview/", {"kind": "follow_up"})
    assert by_kind.context["totals"].total == 2
    bad = client.get("/en/workspace/follow-up/overview/", {"year": "x", "status": "nope"})
    assert bad.status_code == 400 and bad.context["totals"].total == 6


def test_overview_topic_filter(client, official):
    first_year(official)
    topic = Topic.objects.first()
    TrackedItem.objects.filter(pk=first_item().pk).update(topic=topic)
    client.force_login(official)
    page = client.get("/fi/workspace/follow-up/overview/", {"topic": topic.pk})
    assert page.context["totals"].total == 1


def test_overview_is_404_for_region_staff(client, staff_a):
    client.force_login(staff_a)
    assert client.get("/fi/workspace/follow-up/overview/").status_code == 404
    assert client.get("/fi/workspace/follow-up/overview.csv").status_code == 404


def test_csv_opens_in_finnish_excel(client, official):
    first_year(official)
    client.force_login(official)
    response = client.get("/fi/workspace/follow-up/overview.csv", {"region": "vantaa-kerava"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert len(lines) == 4 and lines[0].count(";") == 10
    assert "Palveluverkkoa tiivistetään." in lines[1] and lines[1].startswith("2030;")
    with translation.override("en"):
        english = client.get("/en/workspace/follow-up/overview.csv").content.decode("utf-8-sig")
    assert english.splitlines()[0].startswith("Year;Region;No.;Kind;Text")
    assert client.get("/fi/workspace/follow-up/overview.csv", {"year": "x"}).status_code == 400


# --- Public ---------------------------------------------------------------------------------


def test_public_region_page_shows_assessed_status_and_links(client, official):
    made = first_year(official, year=2030)
    item = first_item()
    # The working status is not public; the assessment is.
    ledger.item_set_status(item=item, by=official, status="in_progress", reason="SISAINEN")
    ledger.item_report(item=item, by=official, text="RAPORTTI-EI-JULKINEN")
    assessed = second_year_assessing(official, item, "done", "Tehty vuonna 2031.")
    # Next year's draft minutes, never published, have an item of their own.
    draft = negotiation_with_agenda(official, year=2032)
    draft_minutes = services.minutes_start(negotiation=draft, by=official)
    outcomes.outcome_add(
        minutes=draft_minutes, by=official, section=section(draft_minutes, AgendaRole.CONCLUSIONS),
        kind=OutcomeKind.FOLLOW_UP, text="JULKAISEMATON-KOHTA", responsible=Responsible.REGION,
    )  # fmt: skip
    ledger.item_set_status(item=TrackedItem.objects.get(number="4.2", year=2030), by=official,
                           status="done")  # fmt: skip
    for language in ("fi", "sv", "en"):
        response = client.get(f"/{language}/regions/vantaa-kerava/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Palveluverkkoa tiivistetään." in body
        assert f'href="/{language}/protocols/{made.pk}/"' in body
        assert f'href="/{language}/protocols/{assessed.pk}/"' in body
        for hidden in ("JULKAISEMATON-KOHTA", "RAPORTTI-EI-JULKINEN", "SISAINEN"):
            assert hidden not in body
    with translation.override("en"):
        body = client.get("/en/regions/vantaa-kerava/").content.decode()
    row = body.split("Palveluverkkoa tiivistetään.")[1].split("</tr>")[0]
    assert ">done<" in row and "Tehty vuonna 2031." in row
    # 4.2 is done in the working ledger but no protocol said so: publicly still open.
    row = body.split("Jonot puretaan")[1].split("</tr>")[0]
    assert ">open<" in row


def test_a_withdrawn_protocols_items_vanish_from_the_public(
    client, official, django_capture_on_commit_callbacks
):
    publication = first_year(official)
    assert "Palveluverkkoa" in client.get("/fi/regions/vantaa-kerava/").content.decode()
    assert client.get("/api/v1/items/").json()["count"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        publishing.protocol_withdraw(publication=publication, by=official, reason="Virhe.")
    assert "Palveluverkkoa" not in client.get("/fi/regions/vantaa-kerava/").content.decode()
    assert client.get("/api/v1/items/").json()["count"] == 0


def test_api_lists_items_with_each_filter(client, official):
    first_year(official, year=2030, slug="vantaa-kerava")
    first_year(official, year=2032, slug="lappi")
    vantaa = TrackedItem.objects.filter(region__slug="vantaa-kerava").order_by("number")
    topic = Topic.objects.first()
    TrackedItem.objects.filter(pk=vantaa[0].pk).update(topic=topic)
    second_year_assessing(official, vantaa[1], "done", "Valmis.")

    def count(**query):
        response = client.get("/api/v1/items/", query)
        assert response.status_code == 200, query
        return response.json()["count"]

    listing = client.get("/api/v1/items/").json()
    assert listing["count"] == 6 and listing["pages"] == 1 and listing["page"] == 1
    first = listing["results"][0]
    assert first["year"] == 2032 and first["party"]["slug"] == "lappi"
    assert first["made_in"]["url"].startswith("http://testserver/fi/protocols/")
    assert set(first) >= {"text", "kind", "status", "due_date", "topic", "assessed_in"}
    assert count(region="vantaa-kerava") == 3 and count(region="lappi") == 3
    assert count(year=2030) == 3 and count(year=2032) == 3 and count(year=2031) == 0
    assert count(kind="follow_up") == 2 and count(kind="recommendation") == 4
    assert count(status="done") == 1 and count(status="open") == 5
    assert count(topic=topic.pk) == 1
    done = client.get("/api/v1/items/", {"status": "done"}).json()["results"][0]
    assert done["assessment"] == "Valmis." and done["assessed_in"]["api_url"].startswith(
        "http://testserver/api/v1/protocols/"
    )
    # Bad filters behave as in the protocol list: nothing matches, never an error.
    for query in ("region=nowhere", "region=%00", "kind=conclusion", "status=overdue",
                  "topic=x", "topic=" + "9" * 30, "year=" + "9" * 30):  # fmt: skip
        response = client.get(f"/api/v1/items/?{query}")
        assert response.status_code == 200 and response.json()["count"] == 0, query
    assert client.get("/api/v1/items/", {"year": "²"}).json()["count"] == 6
    assert client.get("/api/v1/items/", {"page": "x"}).status_code == 200
    assert client.head("/api/v1/items/").status_code == 200
    # Reports and working statuses never reach the API.
    ledger.item_report(item=vantaa[0], by=official, text="SALAINEN-HUOMIO")
    assert "SALAINEN-HUOMIO" not in client.get("/api/v1/items/").content.decode()


# --- Reminders ------------------------------------------------------------------------------


def test_due_date_reminder_is_sent_once_per_item_and_due_date(
    settings, official, staff_a, staff_b, eager_tasks, django_capture_on_commit_callbacks
):
    settings.FOLLOW_UP_REMINDER_DAYS = 14
    first_year(official)
    soon = timezone.localdate() + timedelta(days=10)
    item = first_item()
    TrackedItem.objects.filter(pk=item.pk).update(due_date=soon)
    closed = TrackedItem.objects.order_by("number")[1]
    TrackedItem.objects.filter(pk=closed.pk).update(due_date=soon)
    ledger.item_set_status(item=closed, by=official, status="done")
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_item_due_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_item_due_reminders() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [staff_a.email]
    assert f"/fi/workspace/follow-up/items/{item.pk}/" in mail.outbox[0].body
    assert ItemReminder.objects.filter(item=item, due_date=soon).count() == 1
    # A due date moved by a correction is reminded again.
    TrackedItem.objects.filter(pk=item.pk).update(due_date=soon + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_item_due_reminders() == 1


def test_the_reminder_is_a_beat_task():
    from django.conf import settings

    from steering.celery import app

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "minutes.send_item_due_reminders" in tasks
    assert "minutes.send_item_due_reminders" in app.tasks


# --- Query counts ---------------------------------------------------------------------------


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow(official, staff, year):
    """Another year's protocol (three more items), each item reported on with a file."""
    first_year(official, year=year)
    for item in TrackedItem.objects.filter(year=year):
        report_with_file(item, staff)
        ledger.item_report(item=item, by=official, text="Huomio.")


def test_query_counts_do_not_grow_with_the_items(client, official, staff_a, settings):
    settings.PUBLIC_PAGE_CACHE = False
    grow(official, staff_a, 2030)
    item = first_item()
    counts = []
    for year in (2031, 2032):
        client.force_login(official)
        overview = queries(client, "/fi/workspace/follow-up/overview/")
        client.force_login(staff_a)
        listing = queries(client, "/fi/workspace/follow-up/")
        detail = queries(client, item_url(item))
        client.logout()
        public = queries(client, "/fi/regions/vantaa-kerava/")
        counts.append((overview, listing, detail, public))
        grow(official, staff_a, year)
        ledger.item_report(item=item, by=staff_a, text=f"Lisää {year}.")
    assert TrackedItem.objects.count() == 9
    assert counts[0] == counts[1]
