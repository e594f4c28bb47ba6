"""The cycle between rounds: next year's round from this year's (reviewed before it is
saved), the follow-up agenda item listing what the previous negotiations left open, for
cooperation areas too, and the dashboard's word on what the region has reported."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from minutes import services
from minutes.models import ItemReport, ItemStatus, OutcomeKind, Responsible, TrackedItem
from minutes.services import ledger, outcomes
from negotiations import services as negotiation_services
from negotiations.models import AgendaRole, AgendaTemplate, Round, RoundEvent
from negotiations.workdays import easter_sunday, next_working_day, shifted_one_year
from tests.cycle_helpers import AGENDA, approve_and_publish, first_year, section
from tests.factories import NegotiationFactory, RegionStaffFactory, RoundFactory, _at

pytestmark = pytest.mark.django_db


def agenda_template():
    template = AgendaTemplate.objects.create(name="Vuosittainen")
    for position, (title, role) in enumerate(AGENDA, start=1):
        template.items.create(position=position, title_fi=title, title_sv=title, role=role)
    return template


# Scheduling through the services keeps a negotiation within a year of its round's year,
# and next year's negotiations here are a year from today: last year's round is the one
# before this year's.
LAST_YEAR = timezone.localdate().year - 1


def source_round(official, **overrides):
    fields = {
        "year": 2030,
        "created_by": official,
        # 15.3.2031 is a Saturday, 16.3.2031 a Sunday; 6.12.2031 (Independence Day) a Saturday
        # and 24.12.2031 a Wednesday, the first of three holidays.
        "material_deadline": date(2030, 3, 15),
        "window_start": date(2030, 3, 16),
        "window_end": date(2030, 12, 24),
        "publication_target": date(2031, 1, 3),
        "comment_period_days": 21,
        "agenda_template": agenda_template(),
    }
    return RoundFactory(**{**fields, **overrides})


def form_data(proposal):
    return {
        name: (
            value.pk
            if hasattr(value, "pk")
            else value.isoformat()
            if isinstance(value, date)
            else value
        )
        for name, value in proposal.items()
        if value is not None
    }


# --- The proposal ---------------------------------------------------------------------------


def test_working_days_follow_the_finnish_calendar():
    assert easter_sunday(2024) == date(2024, 3, 31)
    assert easter_sunday(2031) == date(2031, 4, 13)
    assert next_working_day(date(2031, 3, 15)) == date(2031, 3, 17)  # Saturday → Monday
    assert next_working_day(date(2031, 4, 11)) == date(2031, 4, 15)  # Good Friday → Tuesday
    assert next_working_day(date(2031, 12, 24)) == date(2031, 12, 29)  # Christmas → Monday
    assert next_working_day(date(2031, 3, 18)) == date(2031, 3, 18)  # a Tuesday stays
    assert shifted_one_year(date(2028, 2, 29)) == date(2029, 2, 28)


def test_the_proposal_is_a_year_later_and_off_weekends(official):
    source = source_round(official)
    proposal = negotiation_services.round_next_proposal(source)
    assert proposal == {
        "year": 2031,
        "kind": source.kind,
        "material_deadline": date(2031, 3, 17),  # from Saturday 15.3.
        "window_start": date(2031, 3, 17),  # from Sunday 16.3.
        "window_end": date(2031, 12, 29),  # from Christmas Eve
        "publication_target": date(2032, 1, 5),  # 3.1.2032 is a Saturday
        "comment_period_days": 21,
        "agenda_template": source.agenda_template,
    }
    assert all(day.weekday() < 5 for day in proposal.values() if isinstance(day, date))


def test_the_preview_shows_the_proposal_and_saves_nothing(client, official):
    source = source_round(official)
    client.force_login(official)
    dashboard = client.get(f"/en/workspace/rounds/{source.pk}/").content.decode()
    assert f'href="/en/workspace/rounds/{source.pk}/next/"' in dashboard

    response = client.get(f"/en/workspace/rounds/{source.pk}/next/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="2031"' in body and 'value="2031-03-17"' in body and 'value="21"' in body
    assert f'<option value="{source.agenda_template.pk}" selected>' in body
    # Why a date is not simply the same day a year on, in words.
    assert "Moved from Sat 15 Mar 2031, which is not a working day." in body  # English format
    assert Round.objects.count() == 1


def test_saving_the_proposal_opens_the_round_with_the_template(client, official):
    source = source_round(official)
    proposal = negotiation_services.round_next_proposal(source)
    client.force_login(official)
    data = {**form_data(proposal), "comment_period_days": 28}  # the official's own change
    response = client.post(f"/en/workspace/rounds/{source.pk}/next/", data)
    created = Round.objects.get(year=2031)
    assert response.status_code == 302
    assert response["Location"] == f"/en/workspace/rounds/{created.pk}/"
    assert (created.kind, created.agenda_template, created.comment_period_days) == (
        source.kind,
        source.agenda_template,
        28,
    )
    assert created.material_deadline == date(2031, 3, 17) and created.created_by == official
    event = created.events.get()
    assert (event.action, event.by, event.note) == (
        RoundEvent.Action.CARRIED_OVER,
        official,
        str(source),
    )


def test_saving_goes_through_the_round_forms_rules(client, official):
    source = source_round(official)
    data = {**form_data(negotiation_services.round_next_proposal(source))}
    data["window_end"] = "2031-03-01"  # before the window starts
    client.force_login(official)
    response = client.post(f"/en/workspace/rounds/{source.pk}/next/", data)
    assert response.status_code == 200
    assert "The negotiation window must end after it starts." in response.content.decode()
    assert Round.objects.count() == 1


@pytest.mark.parametrize("by_hand", [False, True])
def test_next_years_round_twice_says_so_and_changes_nothing(client, official, by_hand):
    source = source_round(official)
    proposal = negotiation_services.round_next_proposal(source)
    client.force_login(official)
    if by_hand:
        existing = RoundFactory(year=2031, kind=source.kind, comment_period_days=10)
    else:
        client.post(f"/en/workspace/rounds/{source.pk}/next/", form_data(proposal))
        existing = Round.objects.get(year=2031)
    events = RoundEvent.objects.count()

    for method in (client.get, client.post):
        response = method(
            f"/en/workspace/rounds/{source.pk}/next/", form_data(proposal), follow=True
        )
        assert response.redirect_chain[-1][0] == f"/en/workspace/rounds/{existing.pk}/"
        assert f"Next year&#x27;s round ({existing}) already exists" in response.content.decode()
    assert Round.objects.filter(year=2031).count() == 1
    assert RoundEvent.objects.count() == events
    existing.refresh_from_db()
    assert existing.comment_period_days == (10 if by_hand else 21)

    # The service refuses in words as well, whoever calls it.
    with pytest.raises(ValidationError) as refusal:
        negotiation_services.round_create_next(round=source, by=official, **proposal)
    assert refusal.value.error_dict["__all__"][0].code == "round_exists"


def test_a_duplicate_year_typed_into_the_form_is_refused_in_finnish(client, official):
    source = source_round(official)
    RoundFactory(year=2032, kind=source.kind)
    data = {**form_data(negotiation_services.round_next_proposal(source)), "year": 2032}
    client.force_login(official)
    response = client.post(f"/fi/workspace/rounds/{source.pk}/next/", data)
    assert response.status_code == 200
    # The constraint's own message, in the page's language.
    assert "kierros on jo olemassa" in response.content.decode()
    assert Round.objects.filter(year=2031).count() == 0


def test_only_officials_create_next_years_round(client, official, staff_a, administrator):
    source = source_round(official)
    for user in (staff_a, administrator):
        client.force_login(user)
        assert client.get(f"/en/workspace/rounds/{source.pk}/next/").status_code in (403, 404)
    assert Round.objects.count() == 1


# --- The follow-up agenda item ---------------------------------------------------------------


def next_years_negotiation(official, source, **party):
    created = negotiation_services.round_create_next(
        round=source, by=official, **negotiation_services.round_next_proposal(source)
    )
    starts = _at(timezone.localdate() + timedelta(days=370), 9)
    return negotiation_services.negotiation_schedule(
        round=created,
        by=official,
        chair=official,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        **party,
    )


def test_the_follow_up_item_lists_the_open_items_with_their_status(
    client, official, staff_a, staff_b, region_a
):
    publication = first_year(official, year=LAST_YEAR)
    source = publication.negotiation.round
    source.agenda_template = agenda_template()
    source.save()
    done, in_progress, overdue = TrackedItem.objects.order_by("number")
    ledger.item_set_status(item=done, by=official, status=ItemStatus.IN_PROGRESS, reason="")
    ledger.item_set_status(item=done, by=official, status=ItemStatus.DONE, reason="")
    ledger.item_set_status(item=in_progress, by=official, status=ItemStatus.IN_PROGRESS, reason="")
    TrackedItem.objects.filter(pk=overdue.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    negotiation = next_years_negotiation(official, source, region=region_a)
    follow_up = negotiation.agenda_items.get(role=AgendaRole.PREVIOUS_FOLLOW_UP)
    url = f"/en/workspace/negotiations/{negotiation.pk}/"

    for user in (official, staff_a):
        client.force_login(user)
        body = client.get(url).content.decode()
        listed = body[body.index(follow_up.title) :].split("</li>")[0]
        assert "Open items of the previous negotiations" in listed
        assert done.text not in listed  # closed: not carried
        assert f"{LAST_YEAR} / {in_progress.number}" in listed and in_progress.text in listed
        assert "In progress" in listed
        row = listed[listed.index(overdue.text) :].split("</tr>")[0]
        assert "Open" in row and "overdue" in row
        # An English page writes the date the English way (1 Dec 2026).
        assert (timezone.localdate() - timedelta(days=1)).strftime("%-d %b %Y") in row
    client.force_login(staff_b)
    assert client.get(url).status_code == 404


def test_carry_over_works_for_a_cooperation_area(client, official, region_a, region_b):
    area = region_a.cooperation_area
    source = source_round(official, kind=Round.Kind.COOPERATION_AREA, year=LAST_YEAR)
    first = NegotiationFactory(round=source, region=None, cooperation_area=area, chair=official)
    for position, (title, role) in enumerate(AGENDA, start=1):
        first.agenda_items.create(position=position, title=title, role=role)
    minutes = services.minutes_start(negotiation=first, by=official)
    outcomes.outcome_add(
        minutes=minutes, by=official, section=section(minutes, AgendaRole.CONCLUSIONS),
        kind=OutcomeKind.FOLLOW_UP, text="Yhteistyöalueen päivystys sovitetaan yhteen.",
        responsible=Responsible.BOTH,
    )  # fmt: skip
    approve_and_publish(official, minutes)
    item = TrackedItem.objects.get()
    assert (item.cooperation_area, item.region) == (area, None)

    negotiation = next_years_negotiation(official, source, cooperation_area=area)
    assert list(outcomes.carried_items(negotiation)) == [item]
    # The area's items are not the region's: a region round of the same year carries none.
    region_negotiation = NegotiationFactory(
        round=RoundFactory(year=LAST_YEAR + 1), region=region_a, chair=official
    )
    assert list(outcomes.carried_items(region_negotiation)) == []

    staff = RegionStaffFactory(region=region_a)
    client.force_login(staff)
    body = client.get(f"/en/workspace/negotiations/{negotiation.pk}/").content.decode()
    assert item.text in body
    if region_b.cooperation_area_id != area.pk:
        client.force_login(RegionStaffFactory(region=region_b))
        assert client.get(f"/en/workspace/negotiations/{negotiation.pk}/").status_code == 404


# --- The dashboard ---------------------------------------------------------------------------


def dashboard_row(client, round_, party):
    with translation.override("en"):
        name = party.name
    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"/en/workspace/rounds/{round_.pk}/").content.decode()
    return body[body.index(f"{name}</") :].split("</tr>")[0], len(queries)


def test_the_dashboard_says_how_much_of_last_years_follow_up_is_reported(
    client, official, staff_a, region_a, region_b
):
    publication = first_year(official, year=LAST_YEAR)
    first, second, third = TrackedItem.objects.order_by("number")
    negotiation = next_years_negotiation(official, publication.negotiation.round, region=region_a)
    round_ = negotiation.round
    client.force_login(official)
    row, before = dashboard_row(client, round_, region_a)
    assert "Last year&#x27;s follow-up reported: <span" in row
    assert "0 of 3 reported" in row

    ledger.item_report(item=first, by=staff_a, text="Aloitettu.")
    # An official's remark is not the region's report.
    ledger.item_report(item=second, by=official, text="Muistutus.")
    # Nor is a report from before the protocol that made the item.
    old = ledger.item_report(item=third, by=staff_a, text="Vanha.")
    ItemReport.objects.filter(pk=old.pk).update(at=publication.published_at - timedelta(days=1))
    row, after = dashboard_row(client, round_, region_a)
    assert "1 of 3 reported" in row
    assert after == before  # one query for all parties, reported or not

    ledger.item_report(item=second, by=staff_a, text="Edistyy.")
    ledger.item_report(item=third, by=staff_a, text="Valmis pian.")
    row, _ = dashboard_row(client, round_, region_a)
    assert 'class="stage-done">✓ 3 of 3 reported' in row
    # A party with nothing carried over has nothing to report.
    other, _ = dashboard_row(client, round_, region_b)
    assert "nothing carried over" in other
