"""The minutes' history says what happened in the reader's language (issue 18, point 4):
events store codes and values, the words come when the page is drawn."""

import pytest

from minutes import services
from minutes.models import MinutesEvent
from tests.factories import NegotiationFactory
from tests.helpers import language_of as _language_of

pytestmark = pytest.mark.django_db


def finnish_minutes(official):
    negotiation = NegotiationFactory(chair=official)
    for position, title in enumerate(["Avaus", "Johtopäätökset"], start=1):
        negotiation.agenda_items.create(position=position, title=title)
    return services.minutes_start(negotiation=negotiation, by=official)


def test_history_shows_the_readers_words_and_the_protocols_headings(client, official):
    minutes = finnish_minutes(official)
    closing = minutes.sections.get(heading="Johtopäätökset")
    services.minutes_save_text(
        minutes=minutes, by=official, expected_revision=minutes.revision,
        participants="Uusi osallistujaluettelo", sections={closing.pk: "Sovittiin."},
    )  # fmt: skip
    event = MinutesEvent.objects.get(minutes=minutes, action=MinutesEvent.Action.EDITED)
    assert event.data == {
        "participants": True,
        "sections": [{"id": closing.pk, "heading": "Johtopäätökset"}],
    }
    client.force_login(official)
    swedish = client.get(f"/sv/workspace/minutes/{minutes.pk}/history/").content.decode()
    assert "deltagare" in swedish
    assert "osallistujat" not in swedish
    assert _language_of(swedish, "Johtopäätökset") == "fi"  # the protocol's own heading
    english = client.get(f"/en/workspace/minutes/{minutes.pk}/history/").content.decode()
    assert "participants" in english and "osallistujat" not in english
