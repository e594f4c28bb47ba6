"""Withdrawal withdraws the whole protocol, every version, from every public surface, and
the minutes transitions that cannot be undone ask for confirmation first."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from minutes.models import Minutes, Publication
from minutes.services import publishing
from tests.conftest import need_postgresql
from tests.factories import rendered_version, revised

pytestmark = pytest.mark.django_db

WORD = "Hyvinvointimittaristo"
REASON = "Pöytäkirjassa oli salassa pidettävä tieto"


def published_and_corrected(official):
    """A protocol published (v1, with a public attachment) and then corrected (v2)."""
    from minutes.services import protocols

    version = rendered_version(
        official, slug="kainuu", sections={"Talous": f"{WORD} otetaan käyttöön."},
        material=[{"title": "THL-arvio julkinen"}],
    )  # fmt: skip
    first = publishing.protocol_publish(minutes=version.minutes, by=official)
    minutes = revised(official, first, f"{WORD} korjattu.")
    second_version = minutes.versions.get(approved=True, number=minutes.versions.count())
    protocols.protocol_render(second_version.pk, "fi")
    second = publishing.protocol_publish(minutes=minutes, by=official, note="Korjattu talous.")
    return first, second


def addresses(publication) -> list[str]:
    document = publication.negotiation.documents.get()
    base = f"/fi/protocols/{publication.pk}/"
    return [base, f"{base}protocol.pdf", f"{base}attachments/{document.pk}/"]


def public_surfaces(client) -> dict[str, str]:
    """Every public list that could name a protocol, as text."""
    return {
        path: client.get(path).content.decode()
        for path in (
            "/fi/", "/fi/protocols/", f"/fi/search/?q={WORD}", "/fi/feeds/protocols.atom",
            "/fi/feeds/regions/kainuu.atom", "/api/v1/protocols/", "/sitemap.xml",
            "/fi/regions/kainuu/",
        )
    }  # fmt: skip


def withdraw_through_the_page(client, official, publication):
    client.force_login(official)
    url = f"/fi/workspace/minutes/{publication.version.minutes_id}/withdraw/"
    form = {"publication": publication.pk, "reason": REASON}
    confirm = client.post(url, form)
    assert confirm.status_code == 200 and REASON in confirm.content.decode()
    assert not Publication.objects.filter(withdrawn_at__isnull=False).exists()
    done = client.post(url, {**form, "confirmed": "1"})
    assert done.status_code == 302
    client.logout()


def test_withdrawing_the_correction_removes_every_version_from_every_surface(
    client, official, django_capture_on_commit_callbacks
):
    first, second = published_and_corrected(official)
    for publication in (first, second):
        for address in addresses(publication):
            assert client.get(address).status_code == 200, address
        assert client.get(f"/api/v1/protocols/{publication.pk}/").status_code == 200
    before = public_surfaces(client)
    assert f"/protocols/{second.pk}/" in before["/fi/feeds/protocols.atom"]
    assert f"/protocols/{first.pk}/" in before["/fi/feeds/protocols.atom"]
    assert f"/protocols/{first.pk}/" in before["/fi/feeds/regions/kainuu.atom"]
    for path in ("/fi/", "/fi/protocols/", f"/fi/search/?q={WORD}", "/fi/regions/kainuu/"):
        assert f"/protocols/{second.pk}/" in before[path], path
    assert f"/protocols/{second.pk}/" in before["/sitemap.xml"]
    assert f'"id": {second.pk}' in before["/api/v1/protocols/"]

    with django_capture_on_commit_callbacks(execute=True):
        withdraw_through_the_page(client, official, second)

    for publication in (first, second):
        for address in addresses(publication):
            notice = client.get(address)
            assert notice.status_code == 410, address
            assert REASON in notice.content.decode()
        assert client.get(f"/api/v1/protocols/{publication.pk}/").status_code == 404
    for path, body in public_surfaces(client).items():
        for publication in (first, second):
            assert f"/protocols/{publication.pk}/" not in body, path
            assert f'"id": {publication.pk}' not in body, path
        assert "THL-arvio" not in body

    # The official's page says withdrawn, why, by whom and when; not "published".
    client.force_login(official)
    page = client.get(f"/fi/workspace/minutes/{first.version.minutes_id}/").content.decode()
    assert REASON in page and 'id="withdrawal"' in page
    assert official.username in page or official.get_full_name() in page


def test_a_later_republish_is_a_new_correction_with_a_note(client, official):
    first, second = published_and_corrected(official)
    publishing.protocol_withdraw(publication=second, by=official, reason=REASON)
    minutes = revised(official, second, f"{WORD} julkaistaan uudelleen.")
    with pytest.raises(ValidationError):  # a correction needs its note
        publishing.protocol_publish(minutes=minutes, by=official)
    third = publishing.protocol_publish(minutes=minutes, by=official, note="Julkaistu uudelleen.")
    assert third.pk not in (first.pk, second.pk) and third.is_current
    assert client.get(f"/fi/protocols/{third.pk}/").status_code == 200
    assert client.get(f"/fi/protocols/{first.pk}/").status_code == 410
    feed = client.get("/fi/feeds/protocols.atom").content.decode()
    assert f"/protocols/{third.pk}/" in feed and f"/protocols/{first.pk}/" not in feed


@pytest.mark.parametrize("action", ["approve", "publish", "withdraw"])
def test_transitions_ask_for_confirmation_first(client, official, action):
    if action == "approve":
        minutes = _in_review(official)  # its comment period still open
    else:
        minutes = rendered_version(official, slug="lappi").minutes
    if action == "withdraw":
        publishing.protocol_publish(minutes=minutes, by=official)
    client.force_login(official)
    url = f"/fi/workspace/minutes/{minutes.pk}/{action}/"
    data = {"reason": REASON, "publication": minutes.negotiation.publications.first().pk
            if action == "withdraw" else ""}  # fmt: skip
    status = Minutes.objects.get(pk=minutes.pk).status
    page = client.post(url, data)
    assert page.status_code == 200
    body = page.content.decode()
    # A plain form: it works with the keyboard alone and without JavaScript.
    assert 'name="confirmed" value="1"' in body and '<button type="submit"' in body
    assert Minutes.objects.get(pk=minutes.pk).status == status
    assert not Publication.objects.filter(withdrawn_at__isnull=False).exists()
    if action == "approve":
        assert "päivä" in body or "day" in body  # how long the comment period still runs
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    if action == "withdraw":
        assert Publication.objects.filter(withdrawn_at__isnull=False).exists()
    else:
        assert Minutes.objects.get(pk=minutes.pk).status != status


def _in_review(official):
    """Minutes sent for review today, the comment period still open."""
    from minutes import services
    from tests.factories import NegotiationFactory, region

    negotiation = NegotiationFactory(region=region("pirkanmaa"), chair=official)
    negotiation.agenda_items.create(position=1, title="Avaus")
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    services.minutes_send_for_review(minutes=minutes, by=official)
    return minutes


TAMPERED = ["abc", "", "1.0", "abc\x00", "\x00", "99999999999999999999", "-1"]


def _tampered_withdrawals(client, official):
    publication = publishing.protocol_publish(
        minutes=rendered_version(official, slug="lappi").minutes, by=official
    )
    client.force_login(official)
    url = f"/fi/workspace/minutes/{publication.version.minutes_id}/withdraw/"
    for value in TAMPERED:
        for confirmed in ({}, {"confirmed": "1"}):
            response = client.post(url, {"publication": value, "reason": REASON, **confirmed})
            assert response.status_code in (302, 404), (value, response.status_code)
    publication.refresh_from_db()
    assert not publication.is_withdrawn
    # A NUL in the reason is dropped on the way in (StripNulMiddleware), never stored.
    response = client.post(
        url, {"publication": publication.pk, "reason": "a\x00b", "confirmed": "1"}
    )
    assert response.status_code in (302, 404)
    publication.refresh_from_db()
    assert publication.withdrawal_reason == "ab"


def test_a_tampered_withdraw_form_is_a_message_never_an_error(client, official):
    _tampered_withdrawals(client, official)


def test_a_tampered_withdraw_form_on_postgresql(client, official):
    need_postgresql()
    assert connection.vendor == "postgresql"
    _tampered_withdrawals(client, official)


def test_the_round_dashboard_says_withdrawn_not_published(client, official):
    _first, second = published_and_corrected(official)
    round_ = second.negotiation.round
    client.force_login(official)
    url = f"/en/workspace/rounds/{round_.pk}/"
    assert "Withdrawn" not in client.get(url).content.decode()
    publishing.protocol_withdraw(publication=second, by=official, reason=REASON)
    page = client.get(url).content.decode()
    assert "Withdrawn" in page
