import pytest

from minutes import publishing
from tests.test_protocol_pdf import approved_version
from tests.test_publication import published

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"',
    "'",
    "%",
    "\\",
    "%_%",
    "' OR 1=1; DROP TABLE minutes_publication; --",
    "a & | ! ( ) :* <->",
    "<script>alert(1)</script>",
    "\x00\x01",
    "ä" * 10_000,
    "sote " * 2_000,
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_any_query_gives_results_or_none(client, official, query):
    published(official, sections={"Talous": "Investointisuunnitelmaa tarkistetaan."})
    response = client.get("/fi/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_search_finds_published_text_with_a_snippet(client, official):
    published(official, sections={"Talous": "Investointisuunnitelmaa tarkistetaan syksyllä."})
    body = client.get("/fi/search/", {"q": "investointisuunnitelmaa"}).content.decode()
    assert "Vantaan ja Keravan hyvinvointialue" in body
    assert "<mark>" in body


def test_search_never_finds_unpublished_or_withdrawn_text(client, official):
    approved_version(official, slug="kainuu", sections={"Talous": "Salainenluonnossana"})
    withdrawn = published(official, slug="lappi", sections={"Talous": "Perututtuasia"})
    publishing.protocol_withdraw(publication=withdrawn, by=official, reason="Virhe")
    for word in ("Salainenluonnossana", "Perututtuasia"):
        body = client.get("/fi/search/", {"q": word}).content.decode()
        assert word not in body.split('role="status"')[1]
