"""Closing a round and removing an agenda item go through a confirmation page that names
what will happen; the first POST changes nothing."""

import pytest

from minutes import services as minutes_services
from negotiations.models import Round
from regions.models import Region
from tests.factories import NegotiationFactory, RoundFactory

pytestmark = pytest.mark.django_db


def test_closing_a_round_asks_first_and_names_what_happens(client, official):
    round_ = RoundFactory()
    regions = Region.objects.order_by("slug")[:3]
    negotiations = [NegotiationFactory(round=round_, region=region) for region in regions]
    minutes_services.minutes_start(negotiation=negotiations[0], by=official)
    url = f"/fi/workspace/rounds/{round_.pk}/state/"
    client.force_login(official)

    response = client.post(url, {"action": "close"})
    assert response.status_code == 200
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN
    body = response.content.decode()
    assert "confirm.html" in [t.name for t in response.templates]
    assert " 3 " in body  # the round's three negotiations
    assert '<input type="hidden" name="confirmed" value="1">' in body
    assert '<input type="hidden" name="action" value="close">' in body
    assert f'href="/fi/workspace/rounds/{round_.pk}/"' in body  # cancel leads back

    response = client.post(url, {"action": "close", "confirmed": "1"})
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED
    # Reopening can be undone at once: no confirmation step.
    assert client.post(url, {"action": "reopen"}).status_code == 302
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN


def test_removing_an_agenda_item_asks_first_and_names_the_item(client, official):
    negotiation = NegotiationFactory()
    item = negotiation.agenda_items.create(position=1, title="Pelastustoimen talous")
    minutes_services.minutes_start(negotiation=negotiation, by=official)
    url = f"/fi/workspace/negotiations/{negotiation.pk}/agenda/items/{item.pk}/delete/"
    client.force_login(official)

    response = client.post(url)
    assert response.status_code == 200
    assert negotiation.agenda_items.filter(pk=item.pk).exists()
    body = response.content.decode()
    assert "Pelastustoimen talous" in body
    assert '<input type="hidden" name="confirmed" value="1">' in body
    assert 'lang="fi"' in body

    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert not negotiation.agenda_items.filter(pk=item.pk).exists()
    # The minutes keep their section, as the page said.
    section = negotiation.minutes.sections.get(heading="Pelastustoimen talous")
    assert section.agenda_item_id is None


def test_confirmation_pages_are_refused_to_others(client, staff_a, staff_b):
    negotiation = NegotiationFactory()
    item = negotiation.agenda_items.create(position=1, title="Talous")
    round_url = f"/fi/workspace/rounds/{negotiation.round.pk}/state/"
    item_url = f"/fi/workspace/negotiations/{negotiation.pk}/agenda/items/{item.pk}/delete/"
    assert client.post(round_url, {"action": "close"}).status_code == 302  # to login
    client.force_login(staff_b)
    assert client.post(round_url, {"action": "close"}).status_code == 404
    assert client.post(item_url).status_code == 404
    client.force_login(staff_a)
    assert client.post(item_url).status_code == 403
    assert negotiation.agenda_items.exists()
