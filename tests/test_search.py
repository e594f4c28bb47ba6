"""The public search, one set of cases for both back ends: PostgreSQL's text search and
SQLite's FTS5 with the Snowball stemmers. CI runs this module on each."""

import re

import pytest

from minutes import services
from minutes.search import search
from minutes.services import publishing
from tests.factories import NegotiationFactory, region

pytestmark = pytest.mark.django_db


def publish(official, text, *, language="fi", slug="vantaa-kerava"):
    """A protocol whose one section holds `text`, published (its PDF is never rendered:
    search does not read it)."""
    negotiation = NegotiationFactory(region=region(slug), language=language, chair=official)
    # A heading that no query here looks for: the headings are searched too.
    negotiation.agenda_items.create(position=1, title="Kokous")
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    services.minutes_save_text(
        minutes=minutes, by=official, expected_revision=minutes.revision,
        participants="- Sanna Ministeri, STM",
        sections={section.pk: text for section in minutes.sections.all()},
    )  # fmt: skip
    services.minutes_send_for_review(minutes=minutes, by=official)
    services.minutes_approve(minutes=minutes, by=official)
    return publishing.protocol_publish(minutes=minutes, by=official)


def found(query) -> list:
    """The pks found, best first (all of them: the cases here fit on one page)."""
    page = search(query)
    return [] if page is None else [publication.pk for publication, _ in page.object_list]


def snippets(client, query) -> list[str]:
    body = client.get("/fi/search/", {"q": query}).content.decode()
    return re.findall(
        r'<div class="text-body-secondary" lang="[a-z]+">(.*?)</div>', body, re.DOTALL
    )


# (language of the protocol, its text, a query in another form of one of its words)
WORD_FORMS = [
    # Lapland's name in the genitive, asked for in the nominative.
    ("fi", "Lapin palveluverkko käytiin läpi.", "Lappi"),
    ("fi", "Lapin palveluverkko käytiin läpi.", "Lapissa"),
    # Finnish stems "talouden", "taloudessa" and "taloudet" alike ("taloud"). The
    # nominative "talous" stays "talous" in Snowball's Finnish, so on PostgreSQL too
    # "talouden" does not find "talous": see test_nominative_talous_is_its_own_stem.
    ("fi", "Taloudessa on alijäämää.", "talouden"),
    ("fi", "Alueen taloudet ovat tiukalla.", "talouden"),
    ("fi", "Investointisuunnitelmaa tarkistetaan.", "investointisuunnitelma"),
    ("sv", "Investeringsplanen godkändes.", "investeringsplaner"),
    ("sv", "Kommunerna samarbetar.", "kommunens"),
    ("sv", "Välfärdsområdets ekonomi är i balans.", "välfärdsområdet"),
]


@pytest.mark.parametrize("language, text, query", WORD_FORMS)
def test_another_form_of_a_word_finds_the_protocol(official, language, text, query):
    publication = publish(official, text, language=language)
    assert found(query) == [publication.pk]


def test_nominative_talous_is_its_own_stem(official):
    """What Snowball's Finnish (PostgreSQL's and SQLite's alike) makes of "talous": the
    nominative and the inflected forms are two stems, as on PostgreSQL before."""
    nominative = publish(official, "Talous on tasapainossa.")
    inflected = publish(official, "Talouden tasapaino.")
    assert found("talous") == [nominative.pk]
    assert found("talouden") == [inflected.pk]


def test_a_query_in_the_other_language_finds_that_languages_protocols(official):
    finnish = publish(official, "Lapin talous on tasapainossa.")
    swedish = publish(official, "Kommunernas ekonomi i Lappland är i balans.", language="sv")
    assert found("ekonomi") == [swedish.pk]
    assert found("Lapin") == [finnish.pk]
    assert found("Lapplands") == [swedish.pk]


def test_more_occurrences_rank_first(official):
    once = publish(official, "Pelastustoimi käsiteltiin. Muut asiat odottavat vuoroaan.")
    thrice = publish(official, "Pelastustoimi, pelastustoimen valmius ja pelastustoimen raha.")
    assert found("pelastustoimi") == [thrice.pk, once.pk]


def test_equal_matches_newest_first(official):
    older = publish(official, "Pelastustoimi käsiteltiin.")
    newer = publish(official, "Pelastustoimi käsiteltiin.")
    assert found("pelastustoimi") == [newer.pk, older.pk]


@pytest.fixture
def three(official):
    return {
        "finance": publish(official, "Talous ja investoinnit käsiteltiin."),
        "rescue": publish(official, "Talous ja pelastustoimi käsiteltiin."),
        "both": publish(official, "Pelastustoimen investoinnit siirtyvät. Talous ennallaan."),
    }


WEBSEARCH = [
    ("talous", {"finance", "rescue", "both"}),
    ("talous investoinnit", {"finance", "both"}),
    ("talous -investoinnit", {"rescue"}),
    ("talous -pelastustoimi -investoinnit", set()),
    ('talous -"pelastustoimen investoinnit"', {"finance", "rescue"}),
    ("-investoinnit", {"rescue"}),
    ("investoinnit or pelastustoimi", {"finance", "rescue", "both"}),
    ("ja or pelastustoimi", {"rescue", "both"}),  # "ja" is a stop word, looked for by neither
    ('"pelastustoimen investoinnit"', {"both"}),
    ('"investoinnit pelastustoimen"', set()),
    ("pelastustoimen investoinnit", {"both"}),
    ('"talous ja" pelastustoimi', {"rescue", "both"}),
    ("pelastustoimi -", {"rescue", "both"}),
    ('"pelastustoimi', {"rescue", "both"}),
    ("or", set()),
    ("kuusenkerkkä", set()),
]


@pytest.mark.parametrize("query, expected", WEBSEARCH)
def test_websearch_syntax(three, query, expected):
    assert set(found(query)) == {three[name].pk for name in expected}


@pytest.mark.parametrize("query", ["", "   ", "\x00"])
def test_no_query_no_search(official, query):
    publish(official, "Talous käsiteltiin.")
    assert search(query) is None


@pytest.mark.parametrize("query", ["!!!", "... --- ...", "&|!()<->:*", '""', "-", "«»"])
def test_only_punctuation_finds_nothing(official, query):
    publish(official, "Talous käsiteltiin.")
    page = search(query)
    assert page is None or page.paginator.count == 0


def test_a_very_long_query_is_cut_not_refused(official):
    publication = publish(official, "Talous käsiteltiin.")
    # Cut at 200 characters, on a word's end here; "ja" is a stop word.
    assert found("talous ja " * 2_000) == [publication.pk]
    assert found("talous" + " kuusenkerkkä" * 500) == []


def test_withdrawn_and_replaced_protocols_are_never_found(official):
    withdrawn = publish(official, "Perututtuasia käsiteltiin.", slug="lappi")
    publishing.protocol_withdraw(publication=withdrawn, by=official, reason="Virhe")
    corrected = publish(official, "Vanhentunutasia käsiteltiin.", slug="kainuu")
    minutes = corrected.version.minutes
    publishing.minutes_start_correction(minutes=minutes, by=official)
    minutes.refresh_from_db()
    services.minutes_save_text(
        minutes=minutes, by=official, expected_revision=minutes.revision,
        participants=minutes.participants,
        sections={section.pk: "Uusiasia käsiteltiin." for section in minutes.sections.all()},
    )  # fmt: skip
    services.minutes_approve(minutes=minutes, by=official)
    correction = publishing.protocol_publish(minutes=minutes, by=official, note="Korjattu")
    assert found("perututtuasia") == []
    assert found("vanhentunutasia") == []
    assert found("uusiasia") == [correction.pk]
    assert found("käsiteltiin") == [correction.pk]


def test_unpublished_text_is_never_found(official):
    negotiation = NegotiationFactory(region=region("kainuu"), chair=official)
    negotiation.agenda_items.create(position=1, title="Talous")
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    services.minutes_save_text(
        minutes=minutes, by=official, expected_revision=minutes.revision, participants="",
        sections={section.pk: "Salainenluonnossana" for section in minutes.sections.all()},
    )  # fmt: skip
    services.minutes_send_for_review(minutes=minutes, by=official)
    services.minutes_approve(minutes=minutes, by=official)
    assert found("salainenluonnossana") == []


def test_snippet_marks_the_matches_only_and_escapes_the_text(client, official):
    publish(official, 'Kustannukset < 5 % & "talous" kasvaa. Talouden tasapaino. Talous.')
    [snippet] = snippets(client, "talous")
    assert re.findall(r"<mark>(.*?)</mark>", snippet) == ["talous", "Talous"]
    assert "&lt; 5 % &amp; &quot;<mark>talous</mark>&quot; kasvaa" in snippet


def test_snippet_marks_every_form_found(client, official):
    publish(official, "Lapin talous. Lappi ja Lapissa pidetyt neuvottelut. Lappeenranta.")
    [snippet] = snippets(client, "Lappi")
    assert re.findall(r"<mark>(.*?)</mark>", snippet) == ["Lapin", "Lappi", "Lapissa"]


def test_snippet_marks_no_excluded_word(client, official):
    publish(official, "Talous ja pelastustoimi käsiteltiin.")
    [snippet] = snippets(client, "pelastustoimi -investoinnit")
    assert re.findall(r"<mark>(.*?)</mark>", snippet) == ["pelastustoimi"]


def test_swedish_snippet_in_a_finnish_page(client, official):
    publish(official, "Investeringsplanen godkändes.", language="sv", slug="pohjanmaa")
    body = client.get("/fi/search/", {"q": "investeringsplaner"}).content.decode()
    snippet = body.split('<div class="text-body-secondary" lang="sv">')[1].split("</div>")[0]
    assert "<mark>Investeringsplanen</mark>" in snippet


HOSTILE = [
    '"',
    "'",
    "%",
    "\\",
    "%_%",
    "' OR 1=1; DROP TABLE minutes_publication; --",
    "a & | ! ( ) :* <->",
    'NEAR(a b) "a" * ^b col:a {a b}:c',
    "AND OR NOT",
    "<script>alert(1)</script>",
    "\x00\x01",
    "ä" * 10_000,
    "sote " * 2_000,
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_any_query_gives_results_or_none(client, official, query):
    publish(official, "Investointisuunnitelmaa tarkistetaan.")
    response = client.get("/fi/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_search_finds_published_text_with_a_snippet(client, official):
    publish(official, "Investointisuunnitelmaa tarkistetaan syksyllä.")
    body = client.get("/fi/search/", {"q": "investointisuunnitelmaa"}).content.decode()
    assert "Vantaan ja Keravan hyvinvointialue" in body
    assert "<mark>Investointisuunnitelmaa</mark>" in body


def test_snippets_show_words_not_markdown(client, official):
    publish(official, "Talous näyttää **alijäämää**:\n\n- palveluverkko\n- ostopalvelut")
    [snippet] = snippets(client, "alijäämää")
    assert "<mark>alijäämää</mark>" in snippet
    assert "**" not in snippet and "- palveluverkko" not in snippet


def test_snippet_highlights_a_word_far_into_the_text(client, official):
    """The snippet is made around the match, not from the text's head."""
    filler = "Hyvinvointialueen talous ja palvelut käytiin läpi. " * 60  # about 3,000 characters
    publish(official, filler + "Lopuksi sovittiin päivystysasetuksesta.")
    [snippet] = snippets(client, "päivystysasetuksesta")
    assert "<mark>päivystysasetuksesta</mark>" in snippet
    assert len(snippet) < 600


def test_snippet_when_the_stem_is_not_written_in_the_word(client, official):
    """Finnish stems 'palveluverkkoa' as 'palveluverko', which the text does not contain as
    written."""
    filler = "Hyvinvointialueen talous ja palvelut käytiin läpi. " * 60
    publish(official, filler + "Alue esitteli palveluverkkoa.")
    [snippet] = snippets(client, "palveluverkkoa")
    assert "<mark>palveluverkkoa</mark>" in snippet


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
    filler = "Hyvinvointialueen talous ja palvelut käytiin läpi. " * 30
    publish(
        official,
        "Organisaatiomuutos. Asiakasmaksut käsiteltiin. "
        + filler
        + "Lopuksi sovittiin asia päivystysasetus.",
    )
    [snippet] = snippets(client, query)
    assert marked in snippet
    assert "<mark>Asiakasmaksut</mark>" not in snippet


def test_results_are_paged(client, official):
    for _ in range(12):
        publish(official, "Pelastustoimi käsiteltiin.")
    first, second = search("pelastustoimi"), search("pelastustoimi", 2)
    assert first.paginator.count == 12
    assert len(first.object_list) == 10 and len(second.object_list) == 2
    assert client.get("/fi/search/", {"q": "pelastustoimi", "page": 3}).status_code == 404
