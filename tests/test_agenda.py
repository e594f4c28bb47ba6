"""Officials edit a negotiation's agenda with plain forms and buttons (no drag and drop)."""

import pytest

from regions.models import Organisation
from tests.factories import NegotiationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def negotiation():
    negotiation = NegotiationFactory()
    for position, title in enumerate(["Avaus", "Talous", "Pelastustoimi"], start=1):
        negotiation.agenda_items.create(position=position, title=title)
    return negotiation


def titles(negotiation):
    return list(negotiation.agenda_items.order_by("position").values_list("title", flat=True))


def base(negotiation):
    return f"/fi/workspace/negotiations/{negotiation.pk}/agenda/"


def test_add_item_with_ministry_and_presenter(client, official, negotiation):
    client.force_login(official)
    vm = Organisation.objects.get(code="VM")
    response = client.post(
        base(negotiation),
        {"title": "Investointisuunnitelma", "responsible": vm.pk, "presenter": "Ville Valtio"},
    )
    assert response.status_code == 302
    item = negotiation.agenda_items.get(title="Investointisuunnitelma")
    assert item.position == 4
    assert item.responsible == vm
    assert item.presenter == "Ville Valtio"


def test_only_ministries_can_be_responsible(client, official, negotiation):
    client.force_login(official)
    thl = Organisation.objects.get(code="THL")
    response = client.post(base(negotiation), {"title": "X", "responsible": thl.pk})
    assert response.status_code == 200
    assert 'value="X"' in response.content.decode()
    assert titles(negotiation) == ["Avaus", "Talous", "Pelastustoimi"]


def test_reorder_with_buttons(client, official, negotiation):
    client.force_login(official)
    last = negotiation.agenda_items.get(title="Pelastustoimi")
    response = client.post(f"{base(negotiation)}items/{last.pk}/move/", {"direction": "up"})
    assert response["Location"].endswith(f"{base(negotiation)}#item-{last.pk}")
    assert titles(negotiation) == ["Avaus", "Pelastustoimi", "Talous"]
    first = negotiation.agenda_items.get(title="Avaus")
    client.post(f"{base(negotiation)}items/{first.pk}/move/", {"direction": "up"})
    assert titles(negotiation) == ["Avaus", "Pelastustoimi", "Talous"]  # already first
    client.post(f"{base(negotiation)}items/{first.pk}/move/", {"direction": "down"})
    assert titles(negotiation) == ["Pelastustoimi", "Avaus", "Talous"]


def test_move_buttons_are_real_buttons_with_names(client, official, negotiation):
    client.force_login(official)
    body = client.get(base(negotiation)).content.decode()
    assert body.count('name="direction" value="up"') == 3
    assert body.count('name="direction" value="down"') == 3
    assert "draggable" not in body
    assert '<span class="visually-hidden">: <span lang="fi">Talous</span></span>' in body


def test_edit_and_remove_items_renumbers(client, official, negotiation):
    client.force_login(official)
    middle = negotiation.agenda_items.get(title="Talous")
    client.post(f"{base(negotiation)}items/{middle.pk}/", {"title": "Talous ja lainanottovaltuus"})
    assert titles(negotiation) == ["Avaus", "Talous ja lainanottovaltuus", "Pelastustoimi"]
    client.post(f"{base(negotiation)}items/{middle.pk}/delete/", {"confirmed": "1"})
    assert titles(negotiation) == ["Avaus", "Pelastustoimi"]
    positions = list(
        negotiation.agenda_items.order_by("position").values_list("position", flat=True)
    )
    assert positions == [1, 2]


def test_mark_ready_and_not_ready(client, official, negotiation):
    client.force_login(official)
    client.post(f"{base(negotiation)}ready/", {"ready": "1"})
    negotiation.refresh_from_db()
    assert negotiation.agenda_ready_at is not None
    client.post(f"{base(negotiation)}ready/", {"ready": "0"})
    negotiation.refresh_from_db()
    assert negotiation.agenda_ready_at is None


def test_region_staff_see_the_agenda_but_cannot_edit(client, staff_a, negotiation):
    client.force_login(staff_a)
    page = client.get(f"/fi/workspace/negotiations/{negotiation.pk}/").content.decode()
    assert "Pelastustoimi" in page
    assert base(negotiation) not in page
    assert client.get(base(negotiation)).status_code == 403
    item = negotiation.agenda_items.first()
    assert client.post(f"{base(negotiation)}items/{item.pk}/delete/").status_code == 403
    assert titles(negotiation) == ["Avaus", "Talous", "Pelastustoimi"]


def test_swedish_interface_errors_are_swedish(client, official, negotiation):
    client.force_login(official)
    response = client.post(
        f"/sv/workspace/rounds/{negotiation.round.pk}/schedule/lappi/",
        {
            "starts_at": f"{negotiation.round.year}-01-01T10:00",
            "ends_at": f"{negotiation.round.year}-01-01T09:00",
            "language": "fi",
            "chair": official.pk,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="sv">' in body
    assert "Förhandlingen måste sluta efter att den har börjat." in body
    assert f'value="{negotiation.round.year}-01-01T10:00"' in body
