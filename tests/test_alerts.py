"""Public alerts end to end against a real SMTP server: subscribe, confirm, receive on
publication, unsubscribe in one click (RFC 8058), receive nothing after; nothing before
confirmation; the same answer whether or not an address is subscribed; floods throttled;
bad and expired links explained; unconfirmed addresses deleted."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from alerts.models import Subscription
from alerts.services import SALT, subscriptions_purge_unconfirmed
from minutes import services
from minutes.services import publishing
from tests.cycle_helpers import first_year
from tests.factories import OfficialFactory, region

pytestmark = pytest.mark.django_db
SITE = "https://ohjausneuvottelut.example"
ADDRESS = "Lukija@Example.org"
STORED = ADDRESS.lower()


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    return SITE


def subscribe(client, language="sv", email=ADDRESS, **fields):
    data = {"email": email, "scope": "region", "region": "vantaa-kerava", "language": language}
    data.update(fields)
    return client.post(f"/{language}/alerts/", data)


def link(received, fragment):
    return next(word for word in received.text.split() if fragment in word).removeprefix(SITE)


def confirmed(client, smtp_server, captured, **fields):
    with captured(execute=True):
        assert subscribe(client, **fields).status_code == 302
    (mail,) = smtp_server.received
    smtp_server.clear()
    path = link(mail, "/alerts/confirm/")
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
    return mail


def publish(official, captured, slug="vantaa-kerava"):
    with captured(execute=True):
        return first_year(official, slug=slug)


def alerts(smtp_server, address=STORED):
    return [item for item in smtp_server.to(address) if item.message["List-Unsubscribe"]]


def test_subscribe_confirm_receive_unsubscribe_in_one_click_then_nothing(
    smtp_server, site, client, django_capture_on_commit_callbacks
):
    captured = django_capture_on_commit_callbacks
    with captured(execute=True):
        response = subscribe(client)
    assert response.status_code == 302 and response["Location"] == "/sv/alerts/sent/"
    assert "bekräftelselänk" in client.get(response["Location"]).content.decode()
    (confirmation,) = smtp_server.received
    assert confirmation.rcpt_tos == [ADDRESS.lower()]
    assert confirmation.subject == (
        "Bekräfta din prenumeration på styrningsförhandlingarnas protokoll"
    )
    assert confirmation.message["List-Unsubscribe"] is None  # asked for, not a list mail
    assert 'lang="sv"' in confirmation.html
    path = link(confirmation, "/alerts/confirm/")
    assert path.startswith("/sv/alerts/confirm/")
    assert f'href="{SITE}{path}"' in confirmation.html
    page = client.get(path)  # a mail scanner opening the link confirms nothing
    assert page.status_code == 200 and "Bekräfta prenumerationen" in page.content.decode()
    assert Subscription.objects.get().confirmed_at is None
    assert client.post(path).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None
    smtp_server.clear()

    official = OfficialFactory()
    publication = publish(official, captured)
    (alert,) = alerts(smtp_server)
    assert alert.subject.startswith("Nytt protokoll: Vanda och Kervo välfärdsområde ")
    assert alert.message["Content-Language"] == "sv"
    assert 'lang="sv"' in alert.html
    protocol = f"/sv/protocols/{publication.pk}/"
    assert f"{SITE}{protocol}" in alert.text and f'href="{SITE}{protocol}"' in alert.html
    assert Client().get(protocol).status_code == 200
    header = alert.message["List-Unsubscribe"]
    assert alert.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = str(header).strip().removeprefix("<").removesuffix(">")
    assert unsubscribe_url in alert.text and unsubscribe_url in alert.html
    # The mail program's POST: no session, no CSRF token, only the RFC 8058 body.
    one_click = Client(enforce_csrf_checks=True).post(
        unsubscribe_url.removeprefix(SITE),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200
    assert not Subscription.objects.exists()  # the address is gone with the subscription
    smtp_server.clear()

    minutes = publication.version.minutes
    with captured(execute=True):
        publishing.minutes_start_correction(minutes=minutes, by=official)
        services.minutes_approve(minutes=minutes, by=official)
        publishing.protocol_publish(minutes=minutes, by=official, note="Korjattu.")
    assert smtp_server.to(ADDRESS.lower()) == []


def test_nothing_is_sent_before_confirmation(
    smtp_server, site, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, scope="all", region="")
    smtp_server.clear()
    publish(OfficialFactory(), django_capture_on_commit_callbacks)
    assert smtp_server.to(ADDRESS.lower()) == []


def test_each_subscriber_gets_what_they_follow_in_their_language(
    smtp_server, site, client, django_capture_on_commit_callbacks
):
    captured = django_capture_on_commit_callbacks
    area = region("vantaa-kerava").cooperation_area
    confirmed(client, smtp_server, captured, email="kaikki@example.org", language="fi",
              scope="all", region="")  # fmt: skip
    confirmed(client, smtp_server, captured, email="alue@example.org", language="en",
              scope="area", region="", cooperation_area=area.slug)  # fmt: skip
    confirmed(client, smtp_server, captured, email="lappi@example.org", region="lappi")
    official = OfficialFactory()
    publication = publish(official, captured)

    (everything,) = alerts(smtp_server, "kaikki@example.org")
    assert everything.subject.startswith("Uusi pöytäkirja: Vantaan ja Keravan hyvinvointialue")
    (of_area,) = alerts(smtp_server, "alue@example.org")
    assert of_area.subject.startswith("New protocol: ")
    assert f"{SITE}/en/protocols/{publication.pk}/" in of_area.text
    assert alerts(smtp_server, "lappi@example.org") == []
    smtp_server.clear()

    with captured(execute=True):
        publishing.protocol_withdraw(publication=publication, by=official, reason="Virhe.")
    (withdrawn,) = alerts(smtp_server, "kaikki@example.org")
    assert withdrawn.subject.startswith("Pöytäkirja poistettu julkisuudesta: ")
    assert "Virhe." in withdrawn.text


def test_the_answer_is_the_same_whether_or_not_the_address_is_subscribed(
    smtp_server, site, client, django_capture_on_commit_callbacks
):
    captured = django_capture_on_commit_callbacks
    confirmed(client, smtp_server, captured)
    with captured(execute=True):
        again = subscribe(client, email=ADDRESS.upper())
        stranger = subscribe(client, email="toinen@example.org")
    assert again.status_code == stranger.status_code == 302
    assert again["Location"] == stranger["Location"]
    # The subscriber already has the alerts: no second link, no second row.
    assert smtp_server.to(ADDRESS.lower()) == []
    assert Subscription.objects.filter(email=ADDRESS.lower()).count() == 1


def test_a_flood_from_one_address_or_one_client_is_throttled(
    smtp_server, site, client, settings, django_capture_on_commit_callbacks
):
    settings.ALERTS_IP_LIMIT = 6
    with django_capture_on_commit_callbacks(execute=True):
        answers = [subscribe(client, language="fi").status_code for _ in range(5)]
    assert answers == [302, 302, 302, 429, 429]
    assert len(smtp_server.to(ADDRESS.lower())) == 3
    refused = subscribe(client, language="fi")
    assert "Liian monta tilauspyyntöä" in refused.content.decode()
    # Many addresses from one client: refused after ALERTS_IP_LIMIT, whatever the address.
    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        others = [subscribe(client, email=f"lukija{n}@example.org").status_code for n in range(3)]
    assert others == [429, 429, 429]
    assert smtp_server.received == []
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert subscribe(elsewhere, email="muu@example.org").status_code == 302


class _Signed8DaysAgo(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 8 * 24 * 3600)


def test_bad_and_expired_confirmation_links_give_a_clear_page(
    smtp_server, site, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, language="fi")
    path = link(smtp_server.received[0], "/alerts/confirm/")
    tampered = client.get(path[:-3] + "xyz/")
    assert tampered.status_code == 400
    assert "Linkki ei kelpaa" in tampered.content.decode()
    key = Subscription.objects.get().key
    expired_token = _Signed8DaysAgo(salt=SALT).sign(key)
    expired = client.post(f"/fi/alerts/confirm/{expired_token}/")
    assert expired.status_code == 400
    assert "Linkki on vanhentunut" in expired.content.decode()
    assert Subscription.objects.get().confirmed_at is None
    assert client.get("/fi/alerts/confirm/nothing/").status_code == 400


def test_unconfirmed_subscriptions_are_deleted_after_the_link_expires(
    smtp_server, site, client, django_capture_on_commit_callbacks
):
    captured = django_capture_on_commit_callbacks
    confirmed(client, smtp_server, captured, email="pysyy@example.org")
    with captured(execute=True):
        subscribe(client, email="unohtui@example.org")
    Subscription.objects.filter(email="unohtui@example.org").update(
        created_at=timezone.now() - timedelta(days=7, minutes=1)
    )
    assert subscriptions_purge_unconfirmed() == 1
    assert list(Subscription.objects.values_list("email", flat=True)) == ["pysyy@example.org"]


def test_the_unsubscribe_page_asks_first_and_an_old_link_says_it_is_done(
    smtp_server, site, client, django_capture_on_commit_callbacks
):
    confirmed(client, smtp_server, django_capture_on_commit_callbacks)
    key = Subscription.objects.get().key
    page = client.get(f"/fi/alerts/unsubscribe/{key}/")
    assert page.status_code == 200 and "Peru tilaus" in page.content.decode()
    assert Subscription.objects.exists()
    assert client.post(f"/fi/alerts/unsubscribe/{key}/").status_code == 200
    again = client.get(f"/fi/alerts/unsubscribe/{key}/")
    assert again.status_code == 200 and "Tilaus on peruttu" in again.content.decode()


def test_the_public_pages_offer_the_subscription(client):
    listing = client.get("/fi/protocols/").content.decode()
    assert 'href="/fi/alerts/"' in listing
    page = client.get("/sv/regions/vantaa-kerava/").content.decode()
    assert 'href="/sv/alerts/?region=vantaa-kerava"' in page
    form = client.get("/sv/alerts/?region=vantaa-kerava").content.decode()
    assert 'value="vantaa-kerava" selected' in form
    assert "<fieldset" in form and "<legend" in form  # the scope's radios have a name
    assert 'autocomplete="email"' in form and "novalidate" in form
    assert client.get("/fi/alerts/").status_code == 200
