"""Rounds and scheduling through the official's pages: every refusal is a form error."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from negotiations.models import AgendaItem, Negotiation, Participant, Round, RoundEvent
from tests.factories import NegotiationFactory, OfficialFactory, RoundFactory, _at, region

pytestmark = pytest.mark.django_db


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def this_years_round(**kwargs):
    """A round of the current year: the factory's rounds are years ahead, and the forms
    refuse a negotiation more than a year from its round's year."""
    return RoundFactory(year=timezone.localdate().year, **kwargs)


def schedule(client, round_, slug, start, end, **extra):
    data = {
        "starts_at": local(start),
        "ends_at": local(end),
        "language": "fi",
        "place": "Valtioneuvoston linna",
        "chair": extra.pop("chair").pk,
        **extra,
    }
    return client.post(f"/fi/workspace/rounds/{round_.pk}/schedule/{slug}/", data)


def test_official_opens_a_round_with_history(client, official):
    client.force_login(official)
    today = timezone.localdate()
    response = client.post(
        "/fi/workspace/rounds/new/",
        {
            "year": 2031,
            "kind": "region",
            "material_deadline": today + timedelta(days=20),
            "window_start": today + timedelta(days=30),
            "window_end": today + timedelta(days=90),
            "comment_period_days": 14,
            "publication_target": today + timedelta(days=150),
        },
    )
    round_ = Round.objects.get(year=2031)
    assert response["Location"] == f"/fi/workspace/rounds/{round_.pk}/"
    assert round_.created_by == official
    assert list(round_.events.values_list("action", flat=True)) == ["opened"]


def test_second_round_of_the_same_year_and_kind_is_a_form_error(client, official):
    existing = RoundFactory(year=2032)
    client.force_login(official)
    response = client.post(
        "/fi/workspace/rounds/new/",
        {
            "year": 2032,
            "kind": "region",
            "material_deadline": existing.material_deadline,
            "window_start": existing.window_start,
            "window_end": existing.window_end,
            "comment_period_days": 14,
            "publication_target": existing.publication_target,
        },
    )
    assert response.status_code == 200
    assert Round.objects.filter(year=2032).count() == 1
    body = response.content.decode()
    assert "2032" in body  # what the user typed is kept
    assert "invalid-feedback" in body or "alert-danger" in body


def test_closing_a_round_is_a_state_change_with_history(client, official):
    round_ = this_years_round()
    client.force_login(official)
    client.post(f"/fi/workspace/rounds/{round_.pk}/state/", {"action": "close", "confirmed": "1"})
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED
    assert RoundEvent.objects.filter(round=round_, action="closed", by=official).exists()
    # Closing twice is refused, and a closed round takes no new negotiations.
    client.post(f"/fi/workspace/rounds/{round_.pk}/state/", {"action": "close", "confirmed": "1"})
    assert RoundEvent.objects.filter(round=round_, action="closed").count() == 1
    start = _at(timezone.localdate() + timedelta(days=3), 9)
    response = schedule(client, round_, "lappi", start, start + timedelta(hours=2), chair=official)
    assert response.status_code == 200
    assert "suljettu" in response.content.decode()
    assert not Negotiation.objects.exists()


def test_schedule_creates_agenda_participants_and_notifies(
    client, official, region_a, staff_a, django_capture_on_commit_callbacks, eager_tasks
):
    from negotiations.models import AgendaTemplate

    round_ = this_years_round(agenda_template=AgendaTemplate.objects.get())
    region_a.registry_email = "kirjaamo@vakehyva.fi"
    region_a.save()
    colleague = OfficialFactory()
    start = _at(timezone.localdate() + timedelta(days=3), 9)
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=True):
        response = schedule(
            client,
            round_,
            region_a.slug,
            start,
            start + timedelta(hours=3),
            chair=official,
            officials=[official.pk, colleague.pk],
            region_people=[staff_a.pk],
            experts="Tiina Tutkija; erikoistutkija; THL",
        )
    negotiation = Negotiation.objects.get()
    assert response["Location"] == f"/fi/workspace/negotiations/{negotiation.pk}/"
    assert negotiation.region == region_a
    assert AgendaItem.objects.filter(negotiation=negotiation).count() == 9
    assert negotiation.agenda_items.first().title == "Neuvottelun avaus"
    sides = sorted(negotiation.participants.values_list("side", "name"))
    assert ("expert", "Tiina Tutkija") in sides
    assert Participant.objects.filter(negotiation=negotiation, user=staff_a).exists()
    assert len(mail.outbox) == 1
    # The region and the officials taking part, all Finnish-speaking: one message.
    everyone = ["kirjaamo@vakehyva.fi", staff_a.email, official.email, colleague.email]
    assert sorted(mail.outbox[0].to) == sorted(everyone)
    assert "Vantaan ja Keravan" in mail.outbox[0].subject


def test_swedish_region_gets_a_swedish_agenda(client, official):
    from negotiations.models import AgendaTemplate

    round_ = this_years_round(agenda_template=AgendaTemplate.objects.get())
    start = _at(timezone.localdate() + timedelta(days=3), 9)
    client.force_login(official)
    data = {"language": "sv"}
    schedule(client, round_, "pohjanmaa", start, start + timedelta(hours=3), chair=official, **data)
    negotiation = Negotiation.objects.get()
    assert negotiation.agenda_items.first().title == "Öppnande av förhandlingen"


def test_second_negotiation_for_the_same_region_is_a_form_error(client, official):
    existing = NegotiationFactory(round=this_years_round())
    client.force_login(official)
    start = existing.starts_at + timedelta(days=5)
    response = schedule(
        client, existing.round, "vantaa-kerava", start, start + timedelta(hours=2), chair=official
    )
    assert response.status_code == 200
    assert "on jo neuvottelu tällä kierroksella" in response.content.decode()
    assert Negotiation.objects.count() == 1


def test_overlapping_booking_of_an_official_is_a_form_error(client, official):
    existing = NegotiationFactory(round=this_years_round(), chair=official)
    client.force_login(official)
    overlap = existing.starts_at + timedelta(hours=1)
    response = schedule(
        client, existing.round, "lappi", overlap, overlap + timedelta(hours=3), chair=official
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "on jo varattu" in body
    assert 'value="Valtioneuvoston linna"' in body
    assert Negotiation.objects.count() == 1
    # Back to back is fine: the first one has ended.
    response = schedule(
        client,
        existing.round,
        "lappi",
        existing.ends_at,
        existing.ends_at + timedelta(hours=2),
        chair=official,
    )
    assert response.status_code == 302


def test_participant_booked_elsewhere_is_also_a_conflict(client, official):
    colleague = OfficialFactory()
    existing = NegotiationFactory(round=this_years_round())
    Participant.objects.create(negotiation=existing, user=colleague, side="ministry", name="x")
    client.force_login(official)
    response = schedule(
        client,
        existing.round,
        "lappi",
        existing.starts_at,
        existing.ends_at,
        chair=official,
        officials=[colleague.pk],
    )
    assert response.status_code == 200
    assert Negotiation.objects.count() == 1


def test_end_before_start_is_a_form_error(client, official):
    round_ = this_years_round()
    start = _at(timezone.localdate() + timedelta(days=3), 13)
    client.force_login(official)
    response = schedule(client, round_, "lappi", start, start - timedelta(hours=1), chair=official)
    assert response.status_code == 200
    assert "täytyy päättyä alkamisen jälkeen" in response.content.decode()
    assert not Negotiation.objects.exists()


def test_outside_the_window_needs_confirmation(client, official):
    round_ = this_years_round()
    start = _at(round_.window_end + timedelta(days=7), 9)
    client.force_login(official)
    response = schedule(client, round_, "lappi", start, start + timedelta(hours=2), chair=official)
    assert response.status_code == 200
    assert 'name="confirm_outside_window"' in response.content.decode()
    assert "neuvotteluikkunan ulkopuolella" in response.content.decode()
    assert not Negotiation.objects.exists()
    response = schedule(
        client,
        round_,
        "lappi",
        start,
        start + timedelta(hours=2),
        chair=official,
        confirm_outside_window="on",
    )
    assert response.status_code == 302
    assert Negotiation.objects.count() == 1


def test_moving_a_negotiation_notifies_the_region_again(
    client, official, staff_a, django_capture_on_commit_callbacks, eager_tasks
):
    negotiation = NegotiationFactory(round=this_years_round(), chair=official)
    client.force_login(official)
    new_start = negotiation.starts_at + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/fi/workspace/negotiations/{negotiation.pk}/edit/",
            {
                "starts_at": local(new_start),
                "ends_at": local(new_start + timedelta(hours=3)),
                "language": "fi",
                "place": negotiation.place,
                "chair": official.pk,
            },
        )
    assert response.status_code == 302
    negotiation.refresh_from_db()
    assert negotiation.starts_at == new_start
    assert negotiation.schedule_version == 2
    assert len(mail.outbox) == 1
    assert "siirretty" in mail.outbox[0].subject.lower()


def test_cancelled_negotiation_frees_the_region_and_the_official(client, official):
    negotiation = NegotiationFactory(round=this_years_round(), chair=official)
    client.force_login(official)
    client.post(f"/fi/workspace/negotiations/{negotiation.pk}/cancel/")
    negotiation.refresh_from_db()
    assert negotiation.status == Negotiation.Status.CANCELLED
    response = schedule(
        client,
        negotiation.round,
        "vantaa-kerava",
        negotiation.starts_at,
        negotiation.ends_at,
        chair=official,
    )
    assert response.status_code == 302


def test_bulk_scheduling_proposes_then_saves_what_was_reviewed(client, official):
    round_ = this_years_round()
    NegotiationFactory(round=round_, region=region("lappi"))
    client.force_login(official)
    page = client.get(f"/fi/workspace/rounds/{round_.pk}/schedule/")
    assert page.status_code == 200
    formset = page.context["formset"]
    assert formset.total_form_count() == 22
    assert Negotiation.objects.count() == 1  # proposing saves nothing
    data = {
        "form-TOTAL_FORMS": "22",
        "form-INITIAL_FORMS": "22",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "30",
    }
    starts = set()
    for index, form in enumerate(formset):
        initial = form.initial
        starts.add(initial["starts_at"])
        data[f"form-{index}-party"] = initial["party"]
        data[f"form-{index}-starts_at"] = local(initial["starts_at"])
        data[f"form-{index}-ends_at"] = local(initial["ends_at"])
        if index < 20:  # the official leaves two out
            data[f"form-{index}-include"] = "on"
    assert len(starts) == 22  # no two proposals at the same time for the same chair
    response = client.post(f"/fi/workspace/rounds/{round_.pk}/schedule/", data)
    assert response.status_code == 302
    assert Negotiation.objects.filter(round=round_).count() == 21


@pytest.mark.parametrize(
    "year_of", [lambda round_: 1, lambda round_: round_.year + 5], ids=["year-1", "year+5"]
)
def test_a_start_years_from_the_rounds_year_is_refused_with_a_message(client, official, year_of):
    round_ = this_years_round()
    year = year_of(round_)
    client.force_login(official)
    response = client.post(
        f"/en/workspace/rounds/{round_.pk}/schedule/lappi/",
        {
            "starts_at": f"{year:04d}-03-01T09:00",
            "ends_at": f"{year:04d}-03-01T11:00",
            "language": "fi",
            "chair": official.pk,
            "confirm_outside_window": "on",
        },
    )
    assert response.status_code == 200
    assert (
        f"A negotiation of the {round_.year} round must start between the years "
        f"{round_.year - 1} and {round_.year + 1}." in response.content.decode()
    )
    assert not Negotiation.objects.exists()


def test_moving_a_negotiation_years_away_is_refused(client, official):
    negotiation = NegotiationFactory(round=this_years_round(), chair=official)
    before = negotiation.starts_at
    far = negotiation.round.year + 5
    client.force_login(official)
    response = client.post(
        f"/en/workspace/negotiations/{negotiation.pk}/edit/",
        {
            "starts_at": f"{far}-03-01T09:00",
            "ends_at": f"{far}-03-01T11:00",
            "language": "fi",
            "chair": official.pk,
            "confirm_outside_window": "on",
        },
    )
    assert response.status_code == 200
    assert "must start between the years" in response.content.decode()
    negotiation.refresh_from_db()
    assert negotiation.starts_at == before


def test_bulk_scheduling_refuses_a_year_far_from_the_round(client, official):
    round_ = this_years_round()
    far = round_.year + 5
    client.force_login(official)
    response = client.post(
        f"/en/workspace/rounds/{round_.pk}/schedule/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "30",
            "form-0-include": "on",
            "form-0-party": "kainuu",
            "form-0-starts_at": f"{far}-03-01T09:00",
            "form-0-ends_at": f"{far}-03-01T12:00",
        },
        follow=True,
    )
    assert "must start between the years" in response.content.decode()
    assert not Negotiation.objects.exists()


def test_the_service_refuses_a_year_far_from_the_round(official):
    from django.core.exceptions import ValidationError

    from negotiations import services

    round_ = this_years_round()
    start = _at(timezone.localdate().replace(year=round_.year + 5), 9)
    with pytest.raises(ValidationError) as refused:
        services.negotiation_schedule(
            round=round_, by=official, region=region("lappi"), starts_at=start,
            ends_at=start + timedelta(hours=2), chair=official,
        )  # fmt: skip
    assert "starts_at" in refused.value.message_dict
    assert not Negotiation.objects.exists()
