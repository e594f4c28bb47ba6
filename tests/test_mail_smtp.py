"""Notices as a real SMTP server receives them: in the reader's language (Finnish and
Swedish), with a text and an HTML part, absolute links that open the page they name, the
calendar entry attached to a schedule notice, and no unsubscribe header on mail that is
not optional."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from minutes import services
from minutes.services import publishing
from negotiations import services as negotiation_services
from tests.cycle_helpers import first_year
from tests.factories import OfficialFactory, RegionStaffFactory, RoundFactory, region

pytestmark = pytest.mark.django_db
SITE = "https://ohjausneuvottelut.example"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "Ohjausneuvottelut <ohjausneuvottelut@example.fi>"
    return SITE


def open_link(client, url: str, user) -> int:
    assert url.startswith(SITE + "/"), url
    client.force_login(user)
    return client.get(url.removeprefix(SITE)).status_code


def link_in(text: str, fragment: str) -> str:
    return next(word for word in text.split() if word.startswith(SITE) and fragment in word)


def schedule(official, *, place, region_people=()):
    starts = timezone.localtime() + timedelta(days=20)
    round_ = RoundFactory(created_by=official, year=starts.year)
    starts = starts.replace(hour=9, minute=0, second=0, microsecond=0)
    return negotiation_services.negotiation_schedule(
        round=round_, by=official, region=region("vantaa-kerava"), starts_at=starts,
        ends_at=starts + timedelta(hours=3), place=place, chair=official,
        officials=[official], region_people=list(region_people),
    )  # fmt: skip


def test_a_schedule_notice_reaches_each_reader_in_their_language_with_the_ics(
    smtp_server, site, client, django_capture_on_commit_callbacks
):
    official = OfficialFactory()  # no preference: Finnish
    swedish = RegionStaffFactory(region=region("vantaa-kerava"), language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        negotiation = schedule(official, place="Ministers' room <b>", region_people=[swedish])

    (in_finnish,) = smtp_server.to(official.email)
    (in_swedish,) = smtp_server.to(swedish.email)
    assert in_finnish is not in_swedish
    message = in_swedish.message
    assert in_swedish.subject.startswith("Styrningsförhandling inplanerad: ")
    assert message["From"] == "Ohjausneuvottelut <ohjausneuvottelut@example.fi>"
    assert message["Content-Language"] == "sv"
    assert message["List-Unsubscribe"] is None  # a meeting of one's own is not optional
    assert "Er styrningsförhandling har planerats in." in in_swedish.text
    assert 'lang="sv"' in in_swedish.html
    # Plain text is plain; HTML is escaped.
    assert "Ministers' room <b>" in in_swedish.text
    assert "Ministers&#x27; room &lt;b&gt;" in in_swedish.html
    assert "<b>" not in in_swedish.html
    link = f"{SITE}/sv/workspace/negotiations/{negotiation.pk}/"
    assert link in in_swedish.text
    assert f'href="{link}"' in in_swedish.html
    assert open_link(client, link, swedish) == 200
    assert "Ohjausneuvottelunne ajankohta on sovittu." in in_finnish.text
    finnish_link = link_in(in_finnish.text, "/fi/workspace/negotiations/")
    assert open_link(client, finnish_link, official) == 200

    (ics,) = in_finnish.attachments()
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_filename() == "negotiation.ics"
    event = Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
    assert str(event["UID"]) == f"negotiation-{negotiation.pk}@ohjausneuvottelut"
    assert int(event["SEQUENCE"]) == 1


def test_a_moved_negotiation_is_announced_with_the_next_calendar_sequence(
    smtp_server, site, django_capture_on_commit_callbacks
):
    official = OfficialFactory(language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        negotiation = schedule(official, place="Sali 1")
    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        negotiation_services.negotiation_update(
            negotiation=negotiation, by=official, officials=[official],
            starts_at=negotiation.starts_at + timedelta(days=1),
            ends_at=negotiation.ends_at + timedelta(days=1),
        )  # fmt: skip
    (moved,) = smtp_server.to(official.email)
    assert moved.subject.startswith("Styrningsförhandlingen flyttad: ")
    event = Calendar.from_ical(moved.attachments()[0].get_content()).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 2


def review_with_comment(official, author):
    negotiation = schedule(official, place="Sali 2", region_people=[author])
    negotiation.agenda_items.all().delete()
    negotiation.agenda_items.create(position=1, title="Talous")
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    version = services.minutes_send_for_review(minutes=minutes, by=official)
    section = minutes.sections.get()
    comment = services.comment_add(version=version, section=section, by=author, body="Lisää.")
    return version, comment


def test_an_answered_comment_is_told_to_its_author_and_nobody_outside_the_region(
    smtp_server, site, client, django_capture_on_commit_callbacks
):
    official = OfficialFactory()
    author = RegionStaffFactory(region=region("vantaa-kerava"), language="sv")
    colleague = RegionStaffFactory(region=region("vantaa-kerava"))  # not at the table
    outsider = RegionStaffFactory(region=region("lappi"))
    version, comment = review_with_comment(official, author)
    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_add(comment=comment, by=official, decision="not_accepted", reason="Ei.")

    (received,) = smtp_server.received
    assert received.rcpt_tos == [author.email]
    assert not smtp_server.to(colleague.email) and not smtp_server.to(outsider.email)
    assert received.subject.startswith("Er kommentar har bemötts: ")
    assert "Talous" in received.text
    assert "Ei." not in received.text  # the reason stays in the portal
    link = link_in(received.text, "/versions/")
    assert link.endswith(
        f"/sv/workspace/minutes/{version.minutes_id}/versions/1/#comment-{comment.pk}"
    )
    assert 'lang="sv"' in received.html
    assert open_link(client, link.split("#")[0], author) == 200


def test_withdrawal_and_correction_are_told_to_the_region(
    smtp_server, site, client, django_capture_on_commit_callbacks
):
    official = OfficialFactory()
    staff = RegionStaffFactory(region=region("vantaa-kerava"))
    with django_capture_on_commit_callbacks(execute=True):
        publication = first_year(official)
    (published,) = [
        item for item in smtp_server.to(staff.email) if item.subject.startswith("Pöytäkirja ")
    ]
    assert published.subject.startswith("Pöytäkirja julkaistu: ")
    link = link_in(published.text, "/protocols/")
    assert link == f"{SITE}/fi/protocols/{publication.pk}/"
    client.logout()
    assert client.get(link.removeprefix(SITE)).status_code == 200

    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publishing.protocol_withdraw(
            publication=publication, by=official, reason="Virhe liitteessä."
        )
    (withdrawn,) = smtp_server.to(staff.email)
    assert withdrawn.subject.startswith("Pöytäkirja poistettu julkisuudesta: ")
    assert "Virhe liitteessä." in withdrawn.text
    assert open_link(client, link_in(withdrawn.text, "/workspace/minutes/"), official) == 200


def test_a_correction_is_told_to_the_region_with_its_note(
    smtp_server, site, django_capture_on_commit_callbacks
):
    official = OfficialFactory()
    staff = RegionStaffFactory(region=region("vantaa-kerava"), language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        publication = first_year(official)
    smtp_server.clear()
    minutes = publication.version.minutes
    with django_capture_on_commit_callbacks(execute=True):
        publishing.minutes_start_correction(minutes=minutes, by=official)
        services.minutes_approve(minutes=minutes, by=official)
        corrected = publishing.protocol_publish(
            minutes=minutes, by=official, note="Rättat stavfel."
        )
    (received,) = smtp_server.to(staff.email)
    assert received.subject.startswith("Protokollet rättat: ")
    assert "Rättat stavfel." in received.text and "Rättat stavfel." in received.html
    assert f"{SITE}/sv/protocols/{corrected.pk}/" in received.text
