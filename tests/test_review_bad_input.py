"""Clearer refusals in the editor and the comment form (issue 13, point 20): a damaged
copy number or an over-long quote is said in words on the page, with the text kept."""

import pytest

from tests.factories import sent_minutes, start_minutes
from tests.helpers import first_section, version_url

pytestmark = pytest.mark.django_db

DAMAGED = "The page&#x27;s copy number was damaged. Your text is kept below: save again."


@pytest.mark.parametrize("revision", ["abc", "-1", "0", "99999999999999999999999"])
def test_a_damaged_revision_number_is_said_and_the_text_kept(client, official, revision):
    minutes = start_minutes(official)
    client.force_login(official)
    response = client.post(
        f"/en/workspace/minutes/{minutes.pk}/edit/",
        {"revision": revision, "participants": "Kirjoitettu teksti"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert DAMAGED in page
    assert "Kirjoitettu teksti" in page
    minutes.refresh_from_db()
    assert "Kirjoitettu teksti" not in minutes.participants


def test_an_over_long_quote_is_said_in_words(client, official, staff_a):
    minutes, version = sent_minutes(official)
    client.force_login(staff_a)
    response = client.post(
        version_url(version, "comments/", lang="en"),
        {"section": first_section(minutes).pk, "body": "Kommentti", "quote": "q" * 3000},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ensure this value has at most 2000 characters (it has 3000)." in page
    assert "Kommentti" in page
