"""E-mails in the recipient's language: one message per language, each person's own
language (else the region's main language for its staff, Finnish for officials), the
registry mailbox in its region's main language; the password reset in our own words."""

import pytest
from django.core import mail

from minutes import notifications as minutes_notifications
from minutes import services
from negotiations import notifications
from tests.factories import NegotiationFactory, OfficialFactory, RegionStaffFactory, region

pytestmark = pytest.mark.django_db

FI_SCHEDULED = "Ohjausneuvottelunne ajankohta on sovittu."
SV_SCHEDULED = "Er styrningsförhandling har planerats in."


def schedule_notice(negotiation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return notifications.send_schedule_notice(
            negotiation.pk, negotiation.schedule_version, moved=False
        )


def test_swedish_speaking_staff_get_swedish_and_the_rest_finnish(
    eager_tasks, django_capture_on_commit_callbacks
):
    vantaa = region("vantaa-kerava")  # main language Finnish
    vantaa.registry_email = "kirjaamo@vakehyva.example"
    vantaa.save()
    swedish = RegionStaffFactory(region=vantaa, language="sv")
    finnish = RegionStaffFactory(region=vantaa)  # no preference: the region's language
    negotiation = NegotiationFactory(region=vantaa, language="fi")
    chair = negotiation.chair  # an official taking part: Finnish, with no preference

    assert schedule_notice(negotiation, django_capture_on_commit_callbacks) == 4
    by_recipients = {tuple(message.to): message for message in mail.outbox}
    finnish_group = tuple(sorted([chair.email, finnish.email, "kirjaamo@vakehyva.example"]))
    assert set(by_recipients) == {(swedish.email,), finnish_group}
    in_swedish = by_recipients[(swedish.email,)]
    assert SV_SCHEDULED in in_swedish.body
    assert FI_SCHEDULED not in in_swedish.body
    assert f"/sv/workspace/negotiations/{negotiation.pk}/" in in_swedish.body
    in_finnish = by_recipients[finnish_group]
    assert FI_SCHEDULED in in_finnish.body
    assert f"/fi/workspace/negotiations/{negotiation.pk}/" in in_finnish.body


def test_a_swedish_region_writes_to_its_registry_and_staff_in_swedish(
    eager_tasks, django_capture_on_commit_callbacks
):
    from regions.models import Region

    swedish_region = Region.objects.filter(main_language="sv").first()
    swedish_region.registry_email = "registrator@region.example"
    swedish_region.save()
    staff = RegionStaffFactory(region=swedish_region)
    negotiation = NegotiationFactory(region=swedish_region, language="fi")

    schedule_notice(negotiation, django_capture_on_commit_callbacks)
    swedish = next(message for message in mail.outbox if SV_SCHEDULED in message.body)
    assert swedish.to == sorted([staff.email, "registrator@region.example"])


def test_a_finnish_official_gets_finnish_from_a_swedish_negotiation(
    eager_tasks, django_capture_on_commit_callbacks
):
    chair = OfficialFactory()  # no preference: Finnish
    colleague = OfficialFactory(language="en")
    negotiation = NegotiationFactory(language="sv", chair=chair)
    negotiation.agenda_items.create(position=1, title="Ekonomi")
    minutes = services.minutes_start(negotiation=negotiation, by=colleague)
    version = services.minutes_send_for_review(minutes=minutes, by=colleague)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert minutes_notifications.send_review_completed(version.pk) == 2
    by_recipients = {tuple(message.to): message for message in mail.outbox}
    assert set(by_recipients) == {(chair.email,), (colleague.email,)}
    party = negotiation.region.name_fi
    assert by_recipients[(chair.email,)].subject == (
        f"Hyvinvointialueen kommentointi on valmis: {party}"
    )
    assert f"/fi/workspace/minutes/{minutes.pk}/versions/1/" in by_recipients[(chair.email,)].body
    assert by_recipients[(colleague.email,)].subject.startswith("The region has finished")
    assert "/en/workspace/minutes/" in by_recipients[(colleague.email,)].body


def test_password_reset_mail_is_ours_and_signed_with_the_portal_name(
    client, staff_a, settings, eager_tasks, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://ohjausneuvottelut.example"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/sv/accounts/password-reset/", {"email": staff_a.email}, HTTP_HOST="testserver"
        )
    (message,) = mail.outbox
    assert message.subject == "Återställ lösenordet – Styrningsförhandlingar"
    lines = [line.strip() for line in message.body.strip().splitlines()]
    assert lines[-2:] == ["Styrningsförhandlingar", "https://ohjausneuvottelut.example"]
    # The link goes to the portal's own address, never to whatever Host the request named.
    link = next(line for line in lines if "/password-reset/" in line)
    assert link.startswith("https://ohjausneuvottelut.example/sv/accounts/password-reset/")
    assert staff_a.username in message.body
    assert "Tack för att du använder vår webbplats" not in message.body  # Django's own words


def test_an_official_is_written_to_in_the_language_they_first_signed_in_with(client, staff_a):
    from tests.factories import PASSWORD

    official = OfficialFactory()  # no preference, no region
    chosen = OfficialFactory(language="en")
    for user in (official, chosen, staff_a):
        client.post("/sv/accounts/login/", {"username": user.username, "password": PASSWORD})
        client.logout()
        user.refresh_from_db()
    assert official.language == "sv" and official.mail_language == "sv"
    assert chosen.language == "en"  # a choice of their own stays
    # Region staff keep following their region's main language.
    assert staff_a.language == "" and staff_a.mail_language == "fi"
