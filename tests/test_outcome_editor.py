"""Outcome items edited with the text in the minutes editor, assessed in the follow-up
section, shown in the diff, commented on by the region and rendered in the protocol's
language in the PDF."""

import re
from datetime import timedelta

import pytest
from django import forms
from django.utils import timezone, translation

from minutes import services
from minutes.models import Comment, OutcomeKind, ProtocolPDF, Responsible
from minutes.services import ledger, outcomes, protocols
from negotiations.models import AgendaRole
from regions.models import Topic
from tests.browser import check
from tests.cycle_helpers import first_year, negotiation_with_agenda, section
from tests.factories import organisation
from tests.helpers import pdf_text

pytestmark = pytest.mark.django_db


def edit_url(minutes):
    return f"/en/workspace/minutes/{minutes.pk}/edit/"


def page_data(page) -> dict:
    """Every field of the editor as the browser sends it: the text and every row."""
    data = {}
    for form in [page.context["form"], *page.context["editor"]._rows()]:
        for field in form:
            value = field.value()
            if isinstance(field.field, forms.BooleanField):
                if value:
                    data[field.html_name] = "on"
                continue
            data[field.html_name] = "" if value is None else str(getattr(value, "pk", value))
    return data


@pytest.fixture
def minutes(official):
    negotiation = negotiation_with_agenda(official, year=2030)
    return services.minutes_start(negotiation=negotiation, by=official)


def test_the_editor_adds_changes_and_removes_items_with_the_text(client, official, minutes):
    client.force_login(official)
    conclusions = section(minutes, AgendaRole.CONCLUSIONS)
    new = f"new-{conclusions.pk}"
    due = timezone.localtime(minutes.negotiation.starts_at).date() + timedelta(days=60)
    data = page_data(client.get(edit_url(minutes)))
    data |= {
        f"section_{conclusions.pk}": "Sovittiin seuraavasta.",
        f"{new}-kind": "recommendation",
        f"{new}-text": "Palveluverkkoa tiivistetään.",
        f"{new}-responsible": "both",
        f"{new}-ministry": organisation("STM").pk,
        f"{new}-due_date": due.isoformat(),
    }
    assert client.post(edit_url(minutes), data).status_code == 302
    item = minutes.items.get()
    conclusions.refresh_from_db()
    assert conclusions.body == "Sovittiin seuraavasta."
    assert (item.section, item.kind, item.responsible, item.due_date) == (
        conclusions, "recommendation", "both", due,
    )  # fmt: skip
    assert item.ministry.code == "STM"

    # The item is shown in its section's rows, changed with the text and then removed.
    page = client.get(edit_url(minutes))
    assert f'id="edit-item-{item.pk}"' in page.content.decode()
    data = page_data(page) | {
        f"item-{item.pk}-text": "Palveluverkkoa tiivistetään 2031.",
        f"section_{conclusions.pk}": "Sovittiin tarkemmin.",
    }
    assert client.post(edit_url(minutes), data).status_code == 302
    item.refresh_from_db()
    conclusions.refresh_from_db()
    assert item.text.endswith("2031.") and conclusions.body == "Sovittiin tarkemmin."

    data = page_data(client.get(edit_url(minutes))) | {f"item-{item.pk}-remove": "on"}
    assert client.post(edit_url(minutes), data).status_code == 302
    assert not minutes.items.exists()
    actions = list(minutes.events.values_list("action", flat=True))
    assert actions.count("action_added") == actions.count("action_changed") == 1
    assert actions.count("action_removed") == 1


def test_a_due_date_before_the_negotiation_is_shown_at_its_field_and_nothing_saved(
    client, official, minutes
):
    client.force_login(official)
    conclusions = section(minutes, AgendaRole.CONCLUSIONS)
    new = f"new-{conclusions.pk}"
    held = timezone.localtime(minutes.negotiation.starts_at).date()
    revision = minutes.revision
    data = page_data(client.get(edit_url(minutes))) | {
        f"section_{conclusions.pk}": "Tämä teksti ei tallennu.",
        f"{new}-kind": "follow_up",
        f"{new}-text": "Selvitys toimitetaan.",
        f"{new}-due_date": (held - timedelta(days=1)).isoformat(),
    }
    response = client.post(edit_url(minutes), data)
    assert response.status_code == 200
    content = response.content.decode()
    with translation.override("en"):
        message = outcomes.outcome_errors(
            minutes, {"kind": "follow_up", "text": "x", "due_date": held - timedelta(days=1)}
        )["due_date"]
    row = re.search(rf'id="new-item-{conclusions.pk}"(.*?)</fieldset>', content, re.S).group(1)
    assert message in row  # next to the due date of the row it is about
    assert "Selvitys toimitetaan." in row and "Tämä teksti ei tallennu." in content
    minutes.refresh_from_db()
    assert not minutes.items.exists() and minutes.revision == revision
    assert section(minutes, AgendaRole.CONCLUSIONS).body == ""


def test_the_follow_up_section_records_an_assessment_per_carried_item(client, official, staff_a):
    first_year(official, year=2030)
    negotiation = negotiation_with_agenda(official, year=2031)
    later = services.minutes_start(negotiation=negotiation, by=official)
    assessment = later.assessments.order_by("item__number").first()
    tracked = assessment.item
    ledger.item_report(item=tracked, by=staff_a, text="Kaksi toimipistettä yhdistetty.")
    client.force_login(official)
    page = client.get(edit_url(later))
    content = page.content.decode()
    box = re.search(rf'id="assessment-{assessment.pk}"(.*?)</fieldset>', content, re.S).group(1)
    assert "2030 / 4.1" in box and tracked.text in box
    assert "Kaksi toimipistettä yhdistetty." in box and "open" in box

    # Dropped without a reason is refused at the field; with one, it is saved.
    prefix = f"assessment-{assessment.pk}"
    data = page_data(page) | {f"{prefix}-status": "dropped", f"{prefix}-text": ""}
    response = client.post(edit_url(later), data)
    assert response.status_code == 200
    assert "Say why the item is dropped." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "open"
    data[f"{prefix}-text"] = "Palveluverkko uudistetaan toisin."
    assert client.post(edit_url(later), data).status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.text) == ("dropped", "Palveluverkko uudistetaan toisin.")


def sent_with_item(official, minutes):
    conclusions = section(minutes, AgendaRole.CONCLUSIONS)
    item = outcomes.outcome_add(
        minutes=minutes, by=official, section=conclusions, kind=OutcomeKind.RECOMMENDATION,
        text="Jonot puretaan.", responsible=Responsible.REGION,
    )  # fmt: skip
    version = services.minutes_send_for_review(minutes=minutes, by=official)
    return conclusions, item, version


def test_the_region_comments_on_an_item_and_the_reconciliation_names_it(
    client, official, staff_a, minutes
):
    conclusions, item, version = sent_with_item(official, minutes)
    url = f"/en/workspace/minutes/{minutes.pk}/versions/{version.number}/"
    client.force_login(staff_a)
    page = client.get(url).content.decode()
    assert f'<option value="{item.pk}">Item 4.1: Jonot puretaan.</option>' in page
    link = f'<a href="{url}?item={item.pk}#comment-form-{conclusions.pk}">Comment on item 4.1</a>'
    assert link in page
    # The link opens the section's comment form with the item chosen (no script needed).
    page = client.get(f"{url}?item={item.pk}").content.decode()
    assert f'id="comment-form-{conclusions.pk}" open' in page
    assert f'<option value="{item.pk}" selected>' in page
    response = client.post(
        f"{url}comments/", {"section": conclusions.pk, "item": item.pk, "body": "Aikataulu?"}
    )
    comment = Comment.objects.get()
    assert response.status_code == 302 and comment.item_id == item.pk
    assert "On item 4.1" in client.get(url).content.decode()
    assert "On item 4.1" in client.get(f"{url}reconciliation/").content.decode()
    # The official's change to the item is shown with the comment that asked for it.
    services.minutes_start_revision(minutes=minutes, by=official)
    outcomes.outcome_update(item=item, by=official, text="Jonot puretaan 2031.")
    client.force_login(official)
    page = client.get(f"{url}reconciliation/").content.decode()
    assert "Change in the item" in page
    assert "2031.</ins>" in page


def test_a_comment_on_an_item_of_another_section_or_version_is_refused(
    client, official, staff_a, minutes
):
    conclusions, item, version = sent_with_item(official, minutes)
    # An item added after the version was frozen is not part of it.
    services.minutes_start_revision(minutes=minutes, by=official)
    later_item = outcomes.outcome_add(
        minutes=minutes, by=official, section=conclusions, kind=OutcomeKind.FOLLOW_UP,
        text="Myöhempi.",
    )  # fmt: skip
    other_section = minutes.sections.get(position=2)
    url = f"/en/workspace/minutes/{minutes.pk}/versions/{version.number}/comments/"
    client.force_login(staff_a)
    # The version is still open for comments (no newer one was sent): the item is what
    # is refused, with the text kept on the page.
    for section_id, item_id in ((other_section.pk, item.pk), (conclusions.pk, later_item.pk)):
        response = client.post(url, {"section": section_id, "item": item_id, "body": "Huomio"})
        assert response.status_code == 409
        assert "The item is not part of this section in this version." in (
            response.content.decode()
        )
    assert not Comment.objects.exists()


def test_the_diff_shows_an_item_change(client, official, minutes):
    _conclusions, item, _version = sent_with_item(official, minutes)
    services.minutes_start_revision(minutes=minutes, by=official)
    outcomes.outcome_update(
        item=item, by=official, text="Jonot puretaan vuoden loppuun.", responsible="both"
    )
    services.minutes_send_for_review(minutes=minutes, by=official)
    client.force_login(official)
    page = client.get(f"/en/workspace/minutes/{minutes.pk}/diff/?from=1&to=2").content.decode()
    box = re.search(rf'id="diff-items-{item.pk}"(.*?)</section>', page, re.S).group(1)
    assert "Item 4.1" in box and "<ins>puretaan vuoden loppuun.</ins>" in box
    assert "<del>the region</del> <ins>the region and the ministry</ins>" in box


def test_the_swedish_protocols_items_are_in_swedish_in_the_pdf(official):
    negotiation = negotiation_with_agenda(official, year=2030, slug="pohjanmaa", language="sv")
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    ministry, topic = organisation("STM"), Topic.objects.filter(active=True).first()
    outcomes.outcome_add(
        minutes=minutes, by=official, section=section(minutes, AgendaRole.CONCLUSIONS),
        kind=OutcomeKind.RECOMMENDATION, text="Servicenätet förtätas.",
        responsible=Responsible.MINISTRY, ministry=ministry, topic=topic,
    )  # fmt: skip
    services.minutes_send_for_review(minutes=minutes, by=official)
    version = services.minutes_approve(minutes=minutes, by=official)
    if ProtocolPDF.objects.get(version=version).status == "queued":
        protocols.protocol_render(version.pk, "sv")
    text = " ".join(pdf_text(ProtocolPDF.objects.get(version=version)).split())
    with translation.override("sv"):
        swedish_kind = str(OutcomeKind.RECOMMENDATION.label)
    with translation.override("fi"):
        finnish_kind = str(OutcomeKind.RECOMMENDATION.label)
    assert "Servicenätet förtätas." in text
    assert swedish_kind in text
    if finnish_kind != swedish_kind:
        assert finnish_kind not in text
    # The issuers' header names the ministries too: the table's is in brackets.
    assert f"({ministry.name_sv})" in text and ministry.name_fi not in text
    assert topic.name_sv in text and topic.name_fi not in text


def test_a_stale_copy_saves_no_item_and_shows_the_other_editors_item_text(client, official):
    from tests.factories import OfficialFactory

    negotiation = negotiation_with_agenda(official, year=2030)
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    _conclusions, item, _version = sent_with_item(official, minutes)
    services.minutes_start_revision(minutes=minutes, by=official)
    minutes.refresh_from_db()
    second = client.__class__()
    client.force_login(official)
    second.force_login(OfficialFactory())
    page_1, page_2 = client.get(edit_url(minutes)), second.get(edit_url(minutes))

    data = page_data(page_1) | {f"item-{item.pk}-text": "Jonot puretaan keväällä."}
    assert client.post(edit_url(minutes), data).status_code == 302
    data = page_data(page_2) | {f"item-{item.pk}-text": "Jonot puretaan syksyllä."}
    response = second.post(edit_url(minutes), data)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.text == "Jonot puretaan keväällä."
    content = response.content.decode()
    conflict = re.search(r'id="conflict">(.*?)</div>', content, re.S).group(1)
    assert "Item 4.1" in conflict and "keväällä" in conflict
    # What the second editor typed is still in the row, to merge and save again.
    row = re.search(rf'id="edit-item-{item.pk}"(.*?)</fieldset>', content, re.S).group(1)
    assert "Jonot puretaan syksyllä." in row


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_editor_and_the_item_table_fit_a_narrow_screen_and_pass_axe(
    live_server,
    browser,
    official,
    staff_a,
):
    from tests.factories import PASSWORD

    negotiation = negotiation_with_agenda(official, year=2030)
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    conclusions = section(minutes, AgendaRole.CONCLUSIONS)
    outcomes.outcome_add(
        minutes=minutes, by=official, section=conclusions, kind=OutcomeKind.RECOMMENDATION,
        text="Palveluverkkoa tiivistetään ja päivystyksen saatavuus turvataan koko alueella.",
        responsible=Responsible.BOTH, ministry=organisation("STM"),
        due_date=timezone.localdate() + timedelta(days=200),
        topic=Topic.objects.filter(active=True).first(),
    )  # fmt: skip
    version = services.minutes_send_for_review(minutes=minutes, by=official)
    services.minutes_start_revision(minutes=minutes, by=official)
    page = browser.new_page(viewport={"width": 320, "height": 800})
    for user, path, name in (
        (official, f"/fi/workspace/minutes/{minutes.pk}/edit/", "outcome-editor"),
        (staff_a, f"/fi/workspace/minutes/{minutes.pk}/versions/{version.number}/", "items"),
    ):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/fi/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.goto(f"{live_server.url}{path}")
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, name
        check(page, name)


@pytest.mark.parametrize("value", ["a\x00b", "x" * 100_000, "", "abc", "9" * 30, "-1"])
def test_hostile_values_in_every_editor_field_are_refused_without_an_error(
    client, official, staff_a, value
):
    first_year(official, year=2030)
    negotiation = negotiation_with_agenda(official, year=2031)
    later = services.minutes_start(negotiation=negotiation, by=official)
    outcomes.outcome_add(
        minutes=later, by=official, section=section(later, AgendaRole.CONCLUSIONS),
        kind=OutcomeKind.FOLLOW_UP, text="Selvitys.",
    )  # fmt: skip
    client.force_login(official)
    page = client.get(edit_url(later))
    data = {name: value for name in page_data(page) if name != "revision"}
    data["revision"] = later.revision
    assert client.post(edit_url(later), data).status_code < 500
