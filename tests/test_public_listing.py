"""The listing fields a publication carries for the public pages, and search paging."""

import re

import pytest
from django.db import IntegrityError, transaction

from minutes.models import Publication
from minutes.services import publishing
from tests.factories import region, rendered_version, revised
from tests.helpers import page_query_count

pytestmark = pytest.mark.django_db

WORD = "Hyvinvointitarkastus"
SLUGS = [
    "kainuu", "lappi", "satakunta", "pirkanmaa", "kymenlaakso", "pohjanmaa",
    "keski-suomi", "etela-karjala", "pohjois-karjala", "kanta-hame", "paijat-hame",
]  # fmt: skip


def publish(official, slug, text=""):
    version = rendered_version(official, slug=slug, sections={"Talous": text}, render=False)
    return publishing.protocol_publish(minutes=version.minutes, by=official)


def correct(official, publication, text):
    minutes = revised(official, publication, text)
    return publishing.protocol_publish(minutes=minutes, by=official, note="Korjattu")


def test_publication_copies_what_the_lists_show_from_its_negotiation(official):
    publication = publish(official, "lappi")
    negotiation = publication.negotiation
    assert publication.year == negotiation.round.year
    assert publication.round_kind == negotiation.round.kind
    assert publication.language == "fi"
    assert publication.region == region("lappi") and publication.cooperation_area is None
    assert publication.party == region("lappi")
    assert publication.is_current


def test_a_correction_replaces_the_current_publication(client, official):
    first = publish(official, "kainuu", "Alkuperäinen.")
    second = correct(official, first, "Korjattu.")
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    # The database itself refuses a second current publication of one negotiation.
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.filter(pk=first.pk).update(is_current=True)
    listing = client.get("/fi/protocols/").content.decode()
    assert f"/fi/protocols/{second.pk}/" in listing and f"/fi/protocols/{first.pk}/" not in listing
    # The old one stays readable and points to the correction.
    old_page = client.get(f"/fi/protocols/{first.pk}/").content.decode()
    assert f"/fi/protocols/{second.pk}/" in old_page


def test_the_area_filter_follows_the_regions_area(client, official):
    shown, hidden = publish(official, "kainuu"), publish(official, "satakunta")
    area = region("kainuu").cooperation_area
    assert region("satakunta").cooperation_area != area
    body = client.get(f"/fi/protocols/?area={area.slug}").content.decode()
    assert f"/fi/protocols/{shown.pk}/" in body and f"/fi/protocols/{hidden.pk}/" not in body


def test_search_counts_every_match_and_pages_them(client, official):
    for slug in SLUGS:
        publish(official, slug, f"{WORD} tehdään syksyllä.")
    first = client.get("/fi/search/", {"q": WORD})
    body = first.content.decode()
    status = body.split('role="status"')[1].split("</p>")[0]
    assert re.search(rf"\b{len(SLUGS)}\b", status)
    assert body.count("<mark>") >= 10
    assert len(re.findall(r'<li class="mb-3">', body)) == 10
    second = client.get("/fi/search/", {"q": WORD, "page": 2}).content.decode()
    assert len(re.findall(r'<li class="mb-3">', second)) == len(SLUGS) - 10
    assert 'start="11"' in second
    for page in ("3", "x", "0", "99999999999999999999999"):
        assert client.get("/fi/search/", {"q": WORD, "page": page}).status_code == 404


@pytest.mark.parametrize("path", [f"/fi/search/?q={WORD}", "/fi/feeds/protocols.atom"])
def test_search_and_feed_query_counts_do_not_grow(client, official, path):
    publish(official, "kainuu", WORD)

    small = page_query_count(client, path)
    for slug in SLUGS[1:5]:
        publish(official, slug, WORD)
    assert page_query_count(client, path) == small


def test_a_round_with_published_protocols_keeps_its_year_and_kind(official):
    from django.core.exceptions import ValidationError

    from negotiations import services as negotiation_services

    publication = publish(official, "kainuu")
    round_ = publication.negotiation.round
    with pytest.raises(ValidationError) as refused:
        negotiation_services.round_update(round=round_, by=official, year=round_.year + 3)
    assert "year" in refused.value.message_dict
    # Other fields still change, and an unpublished round may still change its year.
    negotiation_services.round_update(round=round_, by=official, comment_period_days=21)
    other = rendered_version(official, slug="lappi", render=False).minutes.negotiation.round
    negotiation_services.round_update(round=other, by=official, year=other.year + 7)


def test_a_correction_made_in_the_same_instant_still_replaces_and_links(client, official):
    first = publish(official, "kainuu", "Alkuperäinen.")
    second = correct(official, first, "Korjattu.")
    Publication.objects.filter(pk=second.pk).update(published_at=first.published_at)
    old_page = client.get(f"/fi/protocols/{first.pk}/").content.decode()
    assert f"/fi/protocols/{second.pk}/" in old_page
    new_page = client.get(f"/fi/protocols/{second.pk}/").content.decode()
    assert 'class="alert alert-warning"' not in new_page  # not "corrected" itself
    listing = client.get("/fi/protocols/").content.decode()
    assert f"/fi/protocols/{second.pk}/" in listing and f"/fi/protocols/{first.pk}/" not in listing


def test_odd_filters_are_a_404_or_an_empty_list_never_an_error(client, official):
    from regions.models import CooperationArea

    publish(official, "kainuu")
    assert client.get("/fi/protocols/", {"year": "²"}).status_code == 404
    assert client.get("/api/v1/protocols/", {"year": "²"}).status_code == 200
    assert client.get("/api/v1/protocols/", {"year": "9" * 30}).json()["count"] == 0
    empty = CooperationArea.objects.create(slug="tyhja", name_fi="Tyhjä", name_sv="Tom")
    response = client.get("/fi/protocols/", {"area": empty.slug})
    assert (
        response.status_code == 200
        and "/fi/protocols/"
        not in response.content.decode().split("<main")[1].split("feeds/protocols.atom")[1]
    )
    assert client.get("/api/v1/protocols/", {"area": empty.slug}).json()["count"] == 0


def test_language_links_keep_the_script_prefix_escaped():
    from django.test import RequestFactory
    from django.urls import clear_script_prefix, set_script_prefix

    from steering.templatetags.portal import url_in_language

    request = RequestFactory().get("/fi/protocols/", {"year": "2024"}, SCRIPT_NAME="/my portal")
    request.LANGUAGE_CODE = "fi"
    assert request.path == "/my portal/fi/protocols/"
    set_script_prefix("/my portal/")  # as Django's handler does from SCRIPT_NAME
    try:
        assert url_in_language({"request": request}, "sv") == "/my%20portal/sv/protocols/?year=2024"
    finally:
        clear_script_prefix()


def test_schedule_changes_refresh_the_cached_front_page(
    client, official, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from negotiations import services as negotiation_services
    from tests.factories import NegotiationFactory, RoundFactory

    negotiation = NegotiationFactory(
        round=RoundFactory(year=timezone.localdate().year), region=region("kainuu")
    )
    scheduled = re.compile(r"\d{4}: Kainuun hyvinvointialue</li>")  # not the regions' list
    assert scheduled.search(client.get("/fi/").content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        negotiation_services.negotiation_cancel(negotiation=negotiation, by=official)
    assert not scheduled.search(client.get("/fi/").content.decode())


def _options(body: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', body, re.DOTALL).group(0)
    return re.findall(r'<option value="[^"]+"[^>]*>([^<]+)</option>', select)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_filters_and_front_page_list_names_in_the_readers_alphabet(client, language):
    listing = client.get(f"/{language}/protocols/").content.decode()
    regions, areas = _options(listing, "region"), _options(listing, "area")
    assert len(regions) == 23 and len(areas) == 5
    if language == "sv":
        # Egentliga Finland (Varsinais-Suomi) among the E's; Östra Nyland after Västra.
        assert regions[1:3] == ["Egentliga Finlands välfärdsområde",
                                "Egentliga Tavastlands välfärdsområde"]  # fmt: skip
        assert regions[-3:] == [
            "Västra Nylands välfärdsområde", "Österbottens välfärdsområde",
            "Östra Nylands välfärdsområde",
        ]  # fmt: skip
        assert areas[0] == "Inre Finlands samarbetsområde"
    if language == "fi":
        assert regions[-2:] == ["Vantaan ja Keravan hyvinvointialue",
                                "Varsinais-Suomen hyvinvointialue"]  # fmt: skip
    if language == "en":
        assert regions[:2] == ["City of Helsinki", "HUS Group"]
    front = client.get(f"/{language}/").content.decode()
    shown = [name for name in areas if name in front]
    assert sorted(shown, key=front.index) == areas  # the front page's areas in the same order
