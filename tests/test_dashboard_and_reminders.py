from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from negotiations import notifications, services
from negotiations.models import Reminder
from negotiations.selectors import round_dashboard
from regions.models import Region
from tests.factories import NegotiationFactory, OfficialFactory, RoundFactory, _at

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%%EOF\n"


def fill_round(round_, regions, chair):
    for index, region in enumerate(regions):
        start = _at(timezone.localdate() + timedelta(days=2 + index), 9)
        negotiation = NegotiationFactory(round=round_, region=region, chair=chair, starts_at=start)
        services.document_add(
            by=chair,
            uploaded_file=SimpleUploadedFile("a.pdf", PDF),
            max_bytes=10**6,
            negotiation=negotiation,
            kind="region_observations",
            language="fi",
            title="Huomiot",
        )


def dashboard_queries(client, round_):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/fi/workspace/rounds/{round_.pk}/")
    assert response.status_code == 200
    return len(queries), response


def test_dashboard_query_count_does_not_grow_with_regions(client, official):
    chair = OfficialFactory()
    small = RoundFactory()
    fill_round(small, Region.objects.order_by("slug")[:3], chair)
    large = RoundFactory()
    fill_round(large, Region.objects.order_by("slug"), chair)
    client.force_login(official)
    small_count, _ = dashboard_queries(client, small)
    large_count, response = dashboard_queries(client, large)
    assert small_count == large_count
    assert response.content.decode().count('class="stage-done">✓ Valmis') >= 23


def test_dashboard_marks_late_stages_in_words(client, official):
    today = timezone.localdate()
    round_ = RoundFactory(
        material_deadline=today - timedelta(days=2),
        window_start=today - timedelta(days=5),
    )
    NegotiationFactory(round=round_)
    rows = {row.party.slug: row for row in round_dashboard(round_)}
    scheduled = rows["vantaa-kerava"]
    assert scheduled.stages["scheduled"].done
    assert scheduled.stages["agenda_ready"].late
    assert scheduled.stages["observations_in"].late
    assert rows["lappi"].stages["scheduled"].late
    client.force_login(official)
    body = client.get(f"/fi/workspace/rounds/{round_.pk}/").content.decode()
    assert body.count('class="stage-late">! Myöhässä') >= 23 * 3
    assert 'class="row-late"' in body


def test_dashboard_next_deadline(official):
    today = timezone.localdate()
    round_ = RoundFactory(material_deadline=today + timedelta(days=3))
    negotiation = NegotiationFactory(round=round_, starts_at=_at(today + timedelta(days=1), 9))
    rows = {row.party.slug: row for row in round_dashboard(round_)}
    assert rows["vantaa-kerava"].next_deadline == (
        "negotiation",
        timezone.localtime(negotiation.starts_at).date(),
    )
    assert rows["lappi"].next_deadline == ("material_deadline", round_.material_deadline)


def test_material_reminder_is_sent_once_per_deadline(staff_a, eager_tasks):
    negotiation = NegotiationFactory()
    with_capture = notifications.send_material_deadline_reminders
    assert with_capture() == 1
    assert with_capture() == 0
    assert Reminder.objects.filter(negotiation=negotiation).count() == 1
    # A moved deadline is a new deadline, and deserves its own reminder.
    negotiation.material_deadline += timedelta(days=1)
    negotiation.save()
    assert with_capture() == 1


def test_reminder_text_and_recipients(
    staff_a, staff_b, eager_tasks, django_capture_on_commit_callbacks
):
    NegotiationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_material_deadline_reminders()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [staff_a.email]
    assert staff_b.email not in mail.outbox[0].to
    assert "/fi/workspace/negotiations/" in mail.outbox[0].body


def test_no_reminder_for_a_cancelled_negotiation(official, staff_a, eager_tasks):
    negotiation = NegotiationFactory()
    services.negotiation_cancel(negotiation=negotiation, by=official)
    assert notifications.send_material_deadline_reminders() == 0
    assert not Reminder.objects.exists()


def test_no_reminder_far_from_the_deadline_or_after_it(staff_a, eager_tasks):
    today = timezone.localdate()
    NegotiationFactory(round=RoundFactory(material_deadline=today + timedelta(days=30)))
    NegotiationFactory(
        round=RoundFactory(material_deadline=today - timedelta(days=1)),
        region=Region.objects.get(slug="lappi"),
    )
    assert notifications.send_material_deadline_reminders() == 0


def test_calendar_event_follows_the_schedule(client, official):
    negotiation = NegotiationFactory(chair=official)
    client.force_login(official)
    first = client.get(f"/fi/workspace/negotiations/{negotiation.pk}/calendar.ics")
    assert first["Content-Type"].startswith("text/calendar")
    body = first.content.decode()
    assert f"UID:negotiation-{negotiation.pk}@ohjausneuvottelut" in body
    assert "SEQUENCE:1" in body
    assert "STATUS:CONFIRMED" in body
    services.negotiation_cancel(negotiation=negotiation, by=official)
    body = client.get(f"/fi/workspace/negotiations/{negotiation.pk}/calendar.ics").content
    assert b"STATUS:CANCELLED" in body
