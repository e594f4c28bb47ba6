"""The ledger: a published protocol's recommendations and follow-up actions are tracked,
carried to the same party's next negotiation, assessed there and updated on publication."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from minutes import services
from minutes.models import ItemEvent, ItemStatus, OutcomeKind, TrackedItem
from minutes.services import ledger, outcomes, publishing
from negotiations.models import AgendaRole
from tests.cycle_helpers import (
    approve_and_publish,
    first_year,
    negotiation_with_agenda,
    section,
)

pytestmark = pytest.mark.django_db


def test_publishing_tracks_recommendations_and_follow_up_actions_only(official):
    publication = first_year(official)
    items = list(TrackedItem.objects.order_by("number"))
    assert [item.number for item in items] == ["4.1", "4.2", "4.3"]
    assert {item.kind for item in items} == {OutcomeKind.RECOMMENDATION, OutcomeKind.FOLLOW_UP}
    assert all(item.made_in == publication and item.status == ItemStatus.OPEN for item in items)
    assert all(item.region_id == publication.region_id for item in items)
    assert ItemEvent.objects.filter(action=ItemEvent.Action.MADE).count() == 3


def test_a_correction_updates_and_removes_items_instead_of_adding_them(official):
    publication = first_year(official)
    minutes = publication.version.minutes
    publishing.minutes_start_correction(minutes=minutes, by=official)
    minutes.refresh_from_db()
    first, second, _action = minutes.items.filter(kind__in=["recommendation", "follow_up"])
    outcomes.outcome_update(item=first, by=official, text="Palveluverkkoa tiivistetään 2027.")
    removed_id = second.pk
    outcomes.outcome_remove(item=second, by=official)
    services.minutes_approve(minutes=minutes, by=official)
    publishing.protocol_publish(minutes=minutes, by=official, note="Korjattu kohta 4.1.")

    assert TrackedItem.objects.count() == 3
    assert TrackedItem.objects.in_record().count() == 2
    assert TrackedItem.objects.get(source_item_id=first.pk).text.endswith("2027.")
    assert TrackedItem.objects.get(source_item_id=removed_id).removed_at is not None


def test_next_years_minutes_carry_the_open_items_and_publishing_applies_the_assessment(
    official,
):
    first_year(official, year=2030)
    done, dropped, left_open = TrackedItem.objects.order_by("number")
    negotiation = negotiation_with_agenda(official, year=2031)
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    follow_up = section(minutes, AgendaRole.PREVIOUS_FOLLOW_UP)
    assessments = {a.item_id: a for a in minutes.assessments.all()}
    assert set(assessments) == {done.pk, dropped.pk, left_open.pk}
    assert all(a.section == follow_up for a in assessments.values())

    outcomes.assessment_update(
        assessment=assessments[done.pk], by=official, status="done", text="Tehty."
    )
    with pytest.raises(ValidationError):
        outcomes.assessment_update(
            assessment=assessments[dropped.pk], by=official, status="dropped", text=""
        )
    outcomes.assessment_update(
        assessment=assessments[dropped.pk], by=official, status="dropped", text="Vanhentunut."
    )
    publication = approve_and_publish(official, minutes)

    done.refresh_from_db(), dropped.refresh_from_db(), left_open.refresh_from_db()
    assert (done.status, done.assessed_status, done.assessed_in) == ("done", "done", publication)
    assert (dropped.status, dropped.status_reason) == ("dropped", "Vanhentunut.")
    assert left_open.assessed_in == publication and left_open.assessed_status == "open"
    # The year after, only the item still open is carried.
    later = negotiation_with_agenda(official, year=2032)
    carried = services.minutes_start(negotiation=later, by=official).assessments
    assert list(carried.values_list("item_id", flat=True)) == [left_open.pk]


def test_another_partys_or_kinds_items_are_not_carried(official):
    first_year(official, year=2030, slug="vantaa-kerava")
    other = negotiation_with_agenda(official, year=2031, slug="lappi")
    assert not services.minutes_start(negotiation=other, by=official).assessments.exists()


def test_region_reports_on_its_items_and_officials_set_the_status(official, staff_a):
    first_year(official)
    item = TrackedItem.objects.order_by("number").first()
    report = ledger.item_report(item=item, by=staff_a, text="Suunnitelma valmistuu 3/2031.")
    assert not report.by_ministry
    with pytest.raises(ValidationError):
        ledger.item_set_status(item=item, by=staff_a, status="done")
    with pytest.raises(ValidationError):
        ledger.item_set_status(item=item, by=official, status="dropped", reason="")
    ledger.item_set_status(item=item, by=official, status="done")
    item.refresh_from_db()
    assert item.status == "done"
    # A closed item takes no more reports from the region, and keeps what it had.
    with pytest.raises(ValidationError) as refused:
        ledger.item_report(item=item, by=staff_a, text="Vielä yksi")
    assert refused.value.code == "closed"
    assert item.reports.count() == 1
    # Done goes back to in progress only, never straight to dropped.
    with pytest.raises(ValidationError):
        ledger.item_set_status(item=item, by=official, status="dropped", reason="x")
    actions = list(item.events.values_list("action", flat=True))
    assert actions == ["made", "reported", "status"]


def test_a_due_date_before_the_negotiation_is_refused(official):
    negotiation = negotiation_with_agenda(official, year=2030)
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    before = timezone.localtime(negotiation.starts_at).date() - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        outcomes.outcome_add(
            minutes=minutes, by=official, section=section(minutes, AgendaRole.CONCLUSIONS),
            kind=OutcomeKind.FOLLOW_UP, text="Selvitys", due_date=before,
        )  # fmt: skip
    assert "due_date" in refused.value.message_dict
    assert not minutes.items.exists()


def test_overdue_is_shown_not_stored(official):
    first_year(official)
    item = TrackedItem.objects.first()
    item.due_date = timezone.localdate() - timedelta(days=1)
    assert item.is_overdue and item.status == ItemStatus.OPEN


def test_material_reminder_asks_for_the_missing_follow_up_reports(
    official, staff_a, eager_tasks, django_capture_on_commit_callbacks
):
    from django.core import mail

    from negotiations import notifications

    last_year = first_year(official, year=2030)
    # Last year's round is over; only this year's negotiation is reminded.
    last_year.negotiation.round.status = "closed"
    last_year.negotiation.round.save(update_fields=["status"])
    item = TrackedItem.objects.order_by("number").first()
    negotiation = negotiation_with_agenda(official, year=2031)
    ledger.item_report(item=item, by=staff_a, text="Etenee.")
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_material_deadline_reminders() == 1
    (message,) = [m for m in mail.outbox if staff_a.email in m.to]
    assert "3 kohtaa" in message.body and "1 niistä" in message.body, message.body
    assert negotiation.region.name_fi in message.body
