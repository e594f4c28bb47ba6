import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minutes import publishing
from minutes.search import search
from tests.conftest import need_postgresql
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


def test_snippet_is_marked_with_the_protocols_language(client, official):
    published(
        official, slug="pohjanmaa", language="sv", sections={"Talous": "Ekonomin är i balans."}
    )
    body = client.get("/fi/search/", {"q": "ekonomin"}).content.decode()
    snippet = body.split('<div class="text-body-secondary" lang="sv">')[1].split("</div>")[0]
    assert "<mark>" in snippet


def test_snippets_show_words_not_markdown(client, official):
    published(
        official,
        sections={"Talous": "Talous näyttää **alijäämää**:\n\n- palveluverkko\n- ostopalvelut"},
    )
    body = client.get("/fi/search/", {"q": "alijäämää"}).content.decode()
    snippet = body.split('<div class="text-body-secondary" lang="fi">')[1].split("</div>")[0]
    assert "<mark>alijäämää</mark>" in snippet
    assert "**" not in snippet and "- palveluverkko" not in snippet


def test_search_never_finds_unpublished_or_withdrawn_text(client, official):
    approved_version(official, slug="kainuu", sections={"Talous": "Salainenluonnossana"})
    withdrawn = published(official, slug="lappi", sections={"Talous": "Perututtuasia"})
    publishing.protocol_withdraw(publication=withdrawn, by=official, reason="Virhe")
    for word in ("Salainenluonnossana", "Perututtuasia"):
        body = client.get("/fi/search/", {"q": word}).content.decode()
        assert word not in body.split('role="status"')[1]


def _snippets(client, query) -> list[str]:
    body = client.get("/fi/search/", {"q": query}).content.decode()
    return re.findall(
        r'<div class="text-body-secondary" lang="[a-z]+">(.*?)</div>', body, re.DOTALL
    )


def test_snippet_highlights_a_word_far_into_the_text(client, official):
    """The snippet is made from a window around the first match, not from the text's head."""
    need_postgresql()
    filler = "Hyvinvointialueen talous ja palvelut käytiin läpi. " * 60  # about 3,000 characters
    published(official, sections={"Talous": filler + "Lopuksi sovittiin päivystysasetuksesta."})
    [snippet] = _snippets(client, "päivystysasetuksesta")
    assert "<mark>päivystysasetuksesta</mark>" in snippet
    assert len(snippet) < 600


def test_snippet_when_the_stem_is_not_written_in_the_word(client, official):
    """Finnish stems 'palveluverkkoa' as 'palveluverko', which the text does not contain as
    written: the snippet is then made from the whole text, and still marks the word."""
    need_postgresql()
    filler = "Hyvinvointialueen talous ja palvelut käytiin läpi. " * 60
    published(official, sections={"Talous": filler + "Alue esitteli palveluverkkoa."})
    [snippet] = _snippets(client, "palveluverkkoa")
    assert "<mark>palveluverkkoa</mark>" in snippet


def test_snippet_query_is_parsed_once_per_statement(official):
    """The query is a scalar subquery, so a prepared statement's generic plan does not parse
    it again for every row."""
    need_postgresql()
    published(official, sections={"Talous": "Investointisuunnitelmaa tarkistetaan."})
    with CaptureQueriesContext(connection) as queries:
        page = search("investointisuunnitelma")
    assert page.paginator.count == 1
    matching = [query["sql"] for query in queries if "@@" in query["sql"]]
    assert matching
    assert all("(SELECT websearch_to_tsquery(" in sql for sql in matching)


@pytest.mark.parametrize(
    "query, marked",
    [
        # "asia" stems to "as", which also begins "Asiakasmaksut" near the start.
        ("asia", "<mark>asia</mark>"),
        # "or" is an operator, not a word to look for.
        ("päivystysasetus or päivystysasetukset", "<mark>päivystysasetus</mark>"),
    ],
)
def test_snippet_marks_the_match_when_a_stem_also_begins_another_word(
    client, official, query, marked
):
    need_postgresql()
    filler = "Hyvinvointialueen talous ja palvelut käytiin läpi. " * 30
    published(
        official,
        sections={
            "Talous": "Organisaatiomuutos. Asiakasmaksut käsiteltiin. "
            + filler
            + "Lopuksi sovittiin asia päivystysasetus."
        },
    )
    [snippet] = _snippets(client, query)
    assert marked in snippet
