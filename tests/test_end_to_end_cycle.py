"""Two years in a real browser (issue 14): a published protocol with two recommendations
and a follow-up action; the official creates next year's round from last year's and
schedules the region; the new negotiation's agenda and draft minutes list the three
items; the region reports on one; the official assesses all three in the minutes and
publishes; the public region page shows the new statuses, in Finnish and Swedish.
Once for a Finnish protocol (Vantaa–Kerava) and once for a Swedish one (Pohjanmaa)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from minutes.models import ItemReport, OutcomeKind, Publication, Responsible, TrackedItem
from minutes.services import outcomes
from negotiations import default_agenda
from negotiations.models import AgendaRole, AgendaTemplate, Negotiation, Round
from tests.browser import Steps, confirm, login, no_form_errors, submit
from tests.cycle_helpers import approve_and_publish, negotiation_with_agenda, section
from tests.factories import OfficialFactory, RegionStaffFactory, region

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ITEMS = {
    "fi": [
        (OutcomeKind.RECOMMENDATION, "Palveluverkkoa tiivistetään."),
        (OutcomeKind.RECOMMENDATION, "Jonot puretaan kuudessa kuukaudessa."),
        (OutcomeKind.FOLLOW_UP, "Investointisuunnitelma toimitetaan ministeriöille."),
    ],
    "sv": [
        (OutcomeKind.RECOMMENDATION, "Servicenätet förtätas."),
        (OutcomeKind.RECOMMENDATION, "Köerna avvecklas inom sex månader."),
        (OutcomeKind.FOLLOW_UP, "Investeringsplanen lämnas till ministerierna."),
    ],
}
SLUGS = {"fi": "vantaa-kerava", "sv": "pohjanmaa"}
# The assessment the official records for each item, and how the public page then words
# its status in each language.
ASSESSED = [("done", "valmis", "klar"), ("in_progress", "käynnissä", "pågår"),
            ("dropped", "luovuttu", "slopad")]  # fmt: skip


def last_years_protocol(official, language):
    negotiation = negotiation_with_agenda(
        official, year=timezone.localdate().year - 1, slug=SLUGS[language], language=language
    )
    from minutes import services

    # Last year's round had the default agenda, which next year's round copies.
    negotiation.round.agenda_template = AgendaTemplate.objects.get(name=default_agenda.NAME)
    negotiation.round.save(update_fields=["agenda_template"])
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    conclusions = section(minutes, AgendaRole.CONCLUSIONS)
    for kind, text in ITEMS[language]:
        outcomes.outcome_add(
            minutes=minutes, by=official, section=conclusions, kind=kind, text=text,
            responsible=Responsible.REGION,
            due_date=timezone.localdate() + timedelta(days=120),
        )  # fmt: skip
    return approve_and_publish(official, minutes)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_two_years_in_the_browser(live_server, browser, language):
    slug = SLUGS[language]
    base = f"{live_server.url}/{language}"
    official = OfficialFactory()
    staff = RegionStaffFactory(region=region(slug))
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    first = last_years_protocol(official, language)
    items = list(TrackedItem.objects.order_by("number"))
    assert len(items) == 3
    steps = Steps(f"cycle-{language}")
    official_context, staff_context = browser.new_context(), browser.new_context()
    public_context = browser.new_context()

    page = official_context.new_page()
    with steps.step("1-next-years-round", page):
        login(page, base, official)
        page.goto(f"{base}/workspace/rounds/{first.negotiation.round_id}/")
        with page.expect_navigation():
            page.click(f'a[href$="/rounds/{first.negotiation.round_id}/next/"]')
        assert page.input_value("#id_year") == str(today.year)
        assert Round.objects.count() == 1, "the proposal was saved before review"
        # The official reviews the proposal: this year's window is the one that runs now.
        page.fill("#id_material_deadline", (today + timedelta(days=5)).isoformat())
        page.fill("#id_window_start", (today - timedelta(days=10)).isoformat())
        page.fill("#id_window_end", (today + timedelta(days=50)).isoformat())
        page.fill("#id_publication_target", (today + timedelta(days=120)).isoformat())
        submit(page, "main form button[type=submit]")
        no_form_errors(page)
        new_round = Round.objects.get(year=today.year)
        assert page.url.endswith(f"/workspace/rounds/{new_round.pk}/"), page.url

    with steps.step("2-schedule-and-see-carried-items", page):
        page.click(f'a[href*="/schedule/{slug}/"]')
        page.wait_for_url(re.compile(rf"/schedule/{slug}/$"))
        # Last year's meeting is set tomorrow morning (the factories' time) with the same
        # chair, so this one is in the afternoon.
        page.fill("#id_starts_at", f"{tomorrow.isoformat()}T13:00")
        page.fill("#id_ends_at", f"{tomorrow.isoformat()}T16:00")
        submit(page, "main form button[type=submit]")
        no_form_errors(page)
        negotiation = Negotiation.objects.get(round=new_round, region__slug=slug)
        carried = page.locator("table.carried-items tbody tr")
        assert carried.count() == 3, page.locator("main").inner_text()
        listed = " ".join(carried.all_inner_texts())
        assert all(text in listed for _kind, text in ITEMS[language]), listed

    with steps.step("3-draft-minutes-list-the-items", page):
        submit(page, f'form[action$="/negotiations/{negotiation.pk}/minutes/start/"] button')
        minutes = Negotiation.objects.get(pk=negotiation.pk).minutes
        page.goto(f"{base}/workspace/minutes/{minutes.pk}/edit/")
        assessments = {a.item_id: a for a in minutes.assessments.all()}
        assert set(assessments) == {item.pk for item in items}
        editor = page.locator("main").inner_text()
        assert all(text in editor for _kind, text in ITEMS[language])

    staff_page = staff_context.new_page()
    with steps.step("4-region-reports-on-one", staff_page):
        login(staff_page, base, staff)
        staff_page.goto(f"{base}/workspace/follow-up/")
        with staff_page.expect_navigation():
            staff_page.click(f'a[href$="/follow-up/items/{items[0].pk}/"]')
        staff_page.fill(
            "#id_text", "Etenee aikataulussa." if language == "fi" else "Går enligt plan."
        )
        submit(staff_page, f'form[action$="/follow-up/items/{items[0].pk}/report/"] button')
        no_form_errors(staff_page)
        assert ItemReport.objects.filter(item=items[0], by=staff).count() == 1

    with steps.step("5-official-assesses-all-three", page):
        page.goto(f"{base}/workspace/minutes/{minutes.pk}/edit/")
        for item, (status, _fi, _sv) in zip(items, ASSESSED, strict=True):
            prefix = f"assessment-{assessments[item.pk].pk}"
            page.select_option(f"#id_{prefix}-status", status)
            page.fill(f"#id_{prefix}-text", f"Arvio {item.number}: {status}.")
        submit(page, "#minutes-editor button[type=submit]:not([name=preview])")
        no_form_errors(page)
        saved = {a.item_id: a.status for a in minutes.assessments.all()}
        assert saved == {item.pk: s for item, (s, _f, _s) in zip(items, ASSESSED, strict=True)}

    with steps.step("6-approve-and-publish", page):
        page.goto(f"{base}/workspace/minutes/{minutes.pk}/")
        submit(page, 'form[action$="/send/"] button')
        submit(page, 'form[action$="/approve/"] button')
        confirm(page)
        submit(page, 'form[action$="/publish/"] button')
        confirm(page)
        minutes.refresh_from_db()
        assert minutes.status == "published", minutes.status
        publication = Publication.objects.get(version__minutes=minutes)
        for item in items:
            item.refresh_from_db()
            assert item.assessed_in == publication

    public = public_context.new_page()
    for reader in ("fi", "sv"):
        with steps.step(f"7-public-region-page-{reader}", public):
            public.goto(f"{live_server.url}/{reader}/regions/{slug}/")
            table = public.locator("table.public-items")
            for item, (_status, fi_word, sv_word) in zip(items, ASSESSED, strict=True):
                row = table.locator("tr", has_text=item.text)
                assert row.count() == 1, table.inner_text()
                assert (fi_word if reader == "fi" else sv_word) in row.inner_text()
                assert row.locator(f'a[href$="/protocols/{publication.pk}/"]').count() == 1
                assert row.locator(f'a[href$="/protocols/{first.pk}/"]').count() == 1

    for context in (official_context, staff_context, public_context):
        context.close()
    assert not steps.accessibility, steps.accessibility
