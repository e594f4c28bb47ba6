"""Who reaches which negotiation, agenda and material, through every URL of the app.

The rule: region staff see their own region's negotiations (and their cooperation area's in
cooperation-area rounds) with the round-wide material; everything else does not exist for
them (404), also when they guess ids. Anonymous users are sent to log in. Officials see and
change everything; administrators read but never write (403). Region staff cannot do the
officials' work on their own negotiation either (403), and round pages do not exist for
them (404).
"""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from negotiations import services
from negotiations.models import AgendaItem, Document, Negotiation, Round, RoundEvent
from negotiations.urls import urlpatterns
from tests.factories import NegotiationFactory, RegionStaffFactory, RoundFactory, region

pytestmark = pytest.mark.django_db

MAX_BYTES = 25 * 1024 * 1024
PDF = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    b"trailer\n<<>>\n%%EOF\n" + b"x" * 512
)

# Strings that only region B's negotiation carries: none may reach region A's staff.
PLACE_A = "Vantaan virastotalo sali A3"
PLACE_B = "Rovaniemen virastotalo sali B7"
ITEM_A1 = "Palvelujen saatavuus Vantaalla"
ITEM_A2 = "Investointisuunnitelma Vantaalla"
ITEM_B = "Lapin ensihoidon tilanne"
DOC_A = "THL-arvio Vantaa-Kerava"
DOC_A_ITEM = "Saatavuusliite Vantaa-Kerava"
DOC_B = "THL-arvio Lappi salainen"
DOC_B_ITEM = "Ensihoitoliite Lappi salainen"
DOC_ROUND = "Kaikkien alueiden taustamuistio"
SECRETS_OF_B = (PLACE_B, ITEM_B, DOC_B, DOC_B_ITEM)

# Views decorated with require_POST: a GET is refused (405) before any object is looked up.
POST_ONLY = {
    "round_close",
    "round_publish_all",
    "negotiation_cancel",
    "agenda_ready",
    "agenda_item_delete",
    "agenda_item_move",
    "negotiation_document_upload",
}
ROUND_PAGES = {
    "round_list",
    "round_create",
    "round_dashboard",
    "round_edit",
    "round_next",
    "round_close",
    "round_publish_all",
    "bulk_schedule",
    "negotiation_create",
    "round_document_upload",
}
URL_NAMES = (
    "round_list",
    "round_create",
    "round_dashboard",
    "round_edit",
    "round_next",
    "round_close",
    "round_publish_all",
    "bulk_schedule",
    "negotiation_create",
    "round_document_upload",
    "negotiation_detail",
    "negotiation_edit",
    "negotiation_cancel",
    "negotiation_ics",
    "agenda_edit",
    "agenda_ready",
    "agenda_item_edit",
    "agenda_item_delete",
    "agenda_item_move",
    "negotiation_document_upload",
    "document_download",
    "document_delete",
    "document_publicity",
)
MISSING_PK = 987_654_321


# --- Helpers ------------------------------------------------------------------------------


def url(name, **kwargs):
    with translation.override("fi"):
        return reverse(name, kwargs=kwargs)


def pdf(name="liite.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def add_document(by, title, *, negotiation=None, agenda_item=None, round=None, data=PDF):
    return services.document_add(
        by=by,
        uploaded_file=pdf(data=data),
        max_bytes=MAX_BYTES,
        negotiation=negotiation,
        agenda_item=agenda_item,
        round=round,
        kind="thl_assessment",
        language="fi",
        # Shared with the region: these tests are about which region, not which level.
        publicity="region",
        title=title,
    )


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def request(client, method, target, data=None):
    if method == "get":
        return client.get(target)
    return client.post(target, data or {})


@dataclass
class World:
    official: object
    round: Round
    neg_a: Negotiation
    neg_b: Negotiation
    item_a1: AgendaItem
    item_a2: AgendaItem
    item_b: AgendaItem
    doc_a: Document
    doc_a_item: Document
    doc_b: Document
    doc_b_item: Document
    doc_round: Document


@pytest.fixture
def world(official, region_a, region_b):
    """One open region round with region A's and region B's negotiations and material."""
    round_ = RoundFactory()
    neg_a = NegotiationFactory(round=round_, region=region_a, place=PLACE_A)
    neg_b = NegotiationFactory(round=round_, region=region_b, place=PLACE_B)
    item_a1 = services.agenda_item_add(negotiation=neg_a, by=official, title=ITEM_A1)
    item_a2 = services.agenda_item_add(negotiation=neg_a, by=official, title=ITEM_A2)
    item_b = services.agenda_item_add(negotiation=neg_b, by=official, title=ITEM_B)
    return World(
        official=official,
        round=round_,
        neg_a=neg_a,
        neg_b=neg_b,
        item_a1=item_a1,
        item_a2=item_a2,
        item_b=item_b,
        doc_a=add_document(official, DOC_A, negotiation=neg_a),
        doc_a_item=add_document(official, DOC_A_ITEM, agenda_item=item_a1),
        doc_b=add_document(official, DOC_B, negotiation=neg_b),
        doc_b_item=add_document(official, DOC_B_ITEM, agenda_item=item_b),
        doc_round=add_document(official, DOC_ROUND, round=round_),
    )


def url_kwargs(name, negotiation, item, document):
    """The URL arguments that point `name` at one negotiation, its item and its document."""
    round_pk = negotiation.round_id
    by_negotiation = {"pk": negotiation.pk}
    by_item = {"pk": negotiation.pk, "item_pk": item.pk}
    table = {
        "round_list": {},
        "round_create": {},
        "round_dashboard": {"pk": round_pk},
        "round_edit": {"pk": round_pk},
        "round_next": {"pk": round_pk},
        "round_close": {"pk": round_pk},
        "round_publish_all": {"pk": round_pk},
        "bulk_schedule": {"pk": round_pk},
        "negotiation_create": {"pk": round_pk, "slug": negotiation.party.slug},
        "round_document_upload": {"pk": round_pk},
        "negotiation_detail": by_negotiation,
        "negotiation_edit": by_negotiation,
        "negotiation_cancel": by_negotiation,
        "negotiation_ics": by_negotiation,
        "agenda_edit": by_negotiation,
        "agenda_ready": by_negotiation,
        "agenda_item_edit": by_item,
        "agenda_item_delete": by_item,
        "agenda_item_move": by_item,
        "negotiation_document_upload": by_negotiation,
        "document_download": {"pk": document.pk},
        "document_delete": {"pk": document.pk},
        "document_publicity": {"pk": document.pk},
    }
    return table[name]


def target_b(world, name):
    return url(name, **url_kwargs(name, world.neg_b, world.item_b, world.doc_b))


def target_a(world, name):
    return url(name, **url_kwargs(name, world.neg_a, world.item_a1, world.doc_a))


def missing_target(world, name):
    """The same URL with every id replaced by one that does not exist."""
    kwargs = url_kwargs(name, world.neg_b, world.item_b, world.doc_b)
    return url(name, **{k: MISSING_PK if k.endswith("pk") else v for k, v in kwargs.items()})


def payload(name, world):
    """A POST body that would change something if the view let it through (fresh file)."""
    day = timezone.localdate() + timedelta(days=2)
    round_fields = {
        "year": 2099,
        "kind": "region",
        "material_deadline": day.isoformat(),
        "window_start": day.isoformat(),
        "window_end": (day + timedelta(days=30)).isoformat(),
        "comment_period_days": 7,
        "publication_target": (day + timedelta(days=60)).isoformat(),
    }
    negotiation_fields = {
        "starts_at": f"{day.isoformat()}T13:00",
        "ends_at": f"{day.isoformat()}T15:00",
        "language": "fi",
        "place": "Siirretty paikka",
        "chair": world.official.pk,
        "officials": [world.official.pk],
    }
    upload = {"title": "Väärennetty liite", "kind": "thl_assessment", "language": "fi"}
    bodies = {
        "round_create": round_fields,
        "round_edit": round_fields,
        "round_next": round_fields,
        "round_close": {"action": "close", "confirmed": "1"},
        "agenda_item_delete": {"confirmed": "1"},
        "round_publish_all": {},
        "bulk_schedule": {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-0-include": "on",
            "form-0-party": "kainuu",
            "form-0-starts_at": f"{day.isoformat()}T09:00",
            "form-0-ends_at": f"{day.isoformat()}T12:00",
        },
        "negotiation_create": negotiation_fields,
        "negotiation_edit": negotiation_fields,
        "round_document_upload": {**upload, "file": pdf()},
        "negotiation_document_upload": {**upload, "file": pdf()},
        "agenda_edit": {"title": "Väärennetty kohta"},
        "agenda_item_edit": {"title": "Väärennetty otsikko"},
        "agenda_item_move": {"direction": "down"},
        "agenda_ready": {"ready": "1"},
    }
    return bodies.get(name, {})


def snapshot():
    """Everything a forbidden request could change, in comparable form."""
    return {
        "rounds": list(
            Round.objects.order_by("pk").values_list("pk", "year", "status", "material_deadline")
        ),
        "round_events": RoundEvent.objects.count(),
        "negotiations": list(
            Negotiation.objects.order_by("pk").values_list(
                "pk",
                "status",
                "region_id",
                "cooperation_area_id",
                "place",
                "starts_at",
                "agenda_ready_at",
                "schedule_version",
            )
        ),
        "agenda": list(
            AgendaItem.objects.order_by("pk").values_list(
                "pk", "negotiation_id", "position", "title"
            )
        ),
        "documents": list(
            Document.objects.order_by("pk").values_list(
                "pk", "round_id", "negotiation_id", "agenda_item_id", "kind", "title"
            )
        ),
    }


def assert_no_secrets_of_b(response):
    content = body(response).decode("utf-8", errors="replace")
    for secret in SECRETS_OF_B:
        assert secret not in content, f"{secret!r} leaked"


def test_the_table_covers_every_url_of_the_app():
    """A new URL in negotiations/urls.py must be added to these tests. Publishing a round's
    approved protocols acts on minutes, so its view lives in the minutes app."""
    round_actions_of_minutes = {"round_publish_all"}
    assert {pattern.name for pattern in urlpatterns} | round_actions_of_minutes == set(URL_NAMES)
    assert len(URL_NAMES) == len(set(URL_NAMES))


# --- 1. Region A's staff and region B's negotiation ---------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", URL_NAMES)
def test_other_regions_negotiation_does_not_exist_for_staff(client, world, staff_a, name, method):
    client.force_login(staff_a)
    before = snapshot()

    response = request(client, method, target_b(world, name), payload(name, world))

    expected = 405 if method == "get" and name in POST_ONLY else 404
    assert response.status_code == expected
    assert_no_secrets_of_b(response)
    assert snapshot() == before
    # Guessing an id that exists answers exactly as an id that does not.
    guessed = request(client, method, missing_target(world, name), payload(name, world))
    assert guessed.status_code == response.status_code


@pytest.mark.parametrize(
    ("name", "method"),
    [("document_download", "get"), ("document_delete", "post")],
)
def test_other_regions_agenda_item_material_does_not_exist_for_staff(
    client, world, staff_a, name, method
):
    client.force_login(staff_a)
    before = snapshot()

    response = request(client, method, url(name, pk=world.doc_b_item.pk))

    assert response.status_code == 404
    assert_no_secrets_of_b(response)
    assert snapshot() == before


def test_other_regions_item_through_own_negotiation_url_does_not_exist(client, world, staff_a):
    """Own negotiation id, other region's item id: still nothing to see or change."""
    client.force_login(staff_a)
    before = snapshot()
    for name in ("agenda_item_edit", "agenda_item_delete", "agenda_item_move"):
        target = url(name, pk=world.neg_a.pk, item_pk=world.item_b.pk)
        response = client.post(target, {"title": "Väärennetty", "direction": "up"})
        # Region staff may not write on their own negotiation: refused before the item lookup.
        assert response.status_code == 403, name
        assert_no_secrets_of_b(response)
    assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", URL_NAMES)
def test_unaffiliated_account_sees_nothing(client, world, unaffiliated, name, method):
    client.force_login(unaffiliated)
    before = snapshot()

    response = request(client, method, target_b(world, name), payload(name, world))

    expected = 405 if method == "get" and name in POST_ONLY else 404
    assert response.status_code == expected
    assert_no_secrets_of_b(response)
    assert snapshot() == before


def test_unaffiliated_account_cannot_download_round_material(client, world, unaffiliated):
    client.force_login(unaffiliated)
    response = client.get(url("document_download", pk=world.doc_round.pk))
    assert response.status_code == 404
    assert PDF not in body(response)


# --- 2. Anonymous visitors ----------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", URL_NAMES)
def test_anonymous_is_sent_to_log_in(client, world, name, method):
    before = snapshot()
    target = target_b(world, name)

    response = request(client, method, target, payload(name, world))

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/fi/accounts/login/"
    assert parse_qs(location.query) == {"next": [target]}
    assert_no_secrets_of_b(response)
    assert snapshot() == before


def test_anonymous_cannot_download_round_material(client, world):
    response = client.get(url("document_download", pk=world.doc_round.pk))
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/fi/accounts/login/"
    assert PDF not in body(response)


# --- 3. Region A's staff on their own negotiation -----------------------------------------


def test_own_staff_see_their_negotiation(client, world, staff_a):
    client.force_login(staff_a)

    response = client.get(url("negotiation_detail", pk=world.neg_a.pk))

    assert response.status_code == 200
    content = response.content.decode()
    for text in (PLACE_A, ITEM_A1, ITEM_A2, DOC_A, DOC_A_ITEM, DOC_ROUND):
        assert text in content, text
    assert url("document_download", pk=world.doc_a.pk) in content
    assert_no_secrets_of_b(response)


@pytest.mark.parametrize("attached_to", ["negotiation", "agenda_item", "round"])
def test_own_staff_download_material(client, world, staff_a, attached_to):
    """Material on the negotiation, on one of its items and for the whole round."""
    data = PDF + attached_to.encode()
    owner = {"negotiation": world.neg_a, "agenda_item": world.item_a1, "round": world.round}
    target = add_document(
        world.official, f"Lataus {attached_to}", data=data, **{attached_to: owner[attached_to]}
    )
    client.force_login(staff_a)

    response = client.get(url("document_download", pk=target.pk))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert body(response) == data


def test_own_staff_download_calendar_entry(client, world, staff_a):
    client.force_login(staff_a)

    response = client.get(url("negotiation_ics", pk=world.neg_a.pk))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    content = response.content.decode()
    assert "BEGIN:VEVENT" in content
    assert PLACE_A in content
    assert PLACE_B not in content


OFFICIAL_ONLY_ON_OWN = [
    ("negotiation_edit", "get", 403),
    ("negotiation_edit", "post", 403),
    ("negotiation_cancel", "post", 403),
    ("agenda_edit", "get", 403),
    ("agenda_edit", "post", 403),
    ("agenda_item_edit", "get", 403),
    ("agenda_item_edit", "post", 403),
    ("agenda_item_delete", "post", 403),
    ("agenda_item_move", "post", 403),
    ("agenda_ready", "post", 403),
    # Material the ministries uploaded is not the region's to remove.
    ("document_delete", "get", 403),
    ("document_delete", "post", 403),
    ("document_publicity", "get", 403),
    ("document_publicity", "post", 403),
    ("round_list", "get", 404),
    ("round_create", "get", 404),
    ("round_create", "post", 404),
    ("round_dashboard", "get", 404),
    ("round_edit", "get", 404),
    ("round_edit", "post", 404),
    ("round_next", "get", 404),
    ("round_next", "post", 404),
    ("round_close", "post", 404),
    ("round_publish_all", "post", 404),
    ("bulk_schedule", "get", 404),
    ("bulk_schedule", "post", 404),
    ("negotiation_create", "get", 404),
    ("negotiation_create", "post", 404),
    ("round_document_upload", "get", 404),
    ("round_document_upload", "post", 404),
]


@pytest.mark.parametrize(("name", "method", "expected"), OFFICIAL_ONLY_ON_OWN)
def test_own_staff_cannot_do_officials_work(client, world, staff_a, name, method, expected):
    client.force_login(staff_a)
    before = snapshot()

    response = request(client, method, target_a(world, name), payload(name, world))

    assert response.status_code == expected
    assert snapshot() == before
    world.neg_a.refresh_from_db()
    assert world.neg_a.status == Negotiation.Status.SCHEDULED
    assert world.neg_a.place == PLACE_A
    assert world.neg_a.agenda_ready_at is None
    assert list(world.neg_a.agenda_items.order_by("position").values_list("title", flat=True)) == [
        ITEM_A1,
        ITEM_A2,
    ]


def test_own_staff_cannot_remove_round_material(client, world, staff_a):
    client.force_login(staff_a)

    response = client.post(url("document_delete", pk=world.doc_round.pk), {"confirmed": "1"})

    assert response.status_code == 403
    assert Document.objects.filter(pk=world.doc_round.pk).exists()


def test_own_staff_remove_their_own_observations_but_others_cannot(client, world, staff_a, staff_b):
    client.force_login(staff_a)
    response = client.post(
        url("negotiation_document_upload", pk=world.neg_a.pk),
        {"title": "Alueen havainnot", "language": "fi", "file": pdf()},
    )
    assert response.status_code == 302
    observations = Document.objects.get(title="Alueen havainnot")

    client.force_login(staff_b)
    response = client.post(url("document_delete", pk=observations.pk), {"confirmed": "1"})
    assert response.status_code == 404
    assert client.get(url("document_download", pk=observations.pk)).status_code == 404
    assert Document.objects.filter(pk=observations.pk).exists()

    client.force_login(staff_a)
    response = client.post(url("document_delete", pk=observations.pk), {"confirmed": "1"})
    assert response.status_code == 302
    assert response["Location"] == url("negotiation_detail", pk=world.neg_a.pk)
    assert not Document.objects.filter(pk=observations.pk).exists()


# --- 4. Tampering with object ids ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("agenda_item_edit", "get"),
        ("agenda_item_edit", "post"),
        ("agenda_item_delete", "post"),
        ("agenda_item_move", "post"),
    ],
)
def test_official_cannot_reach_an_item_through_another_negotiation(client, world, name, method):
    """Negotiation B's URL with negotiation A's item: the item is not found there."""
    client.force_login(world.official)
    before = snapshot()

    target = url(name, pk=world.neg_b.pk, item_pk=world.item_a2.pk)
    response = request(client, method, target, {"title": "Väärennetty", "direction": "up"})

    assert response.status_code == 404
    assert snapshot() == before


def test_official_item_edit_through_its_own_negotiation_works(client, world):
    """Control for the test above: the same request through the right URL succeeds."""
    client.force_login(world.official)

    target = url("agenda_item_edit", pk=world.neg_a.pk, item_pk=world.item_a2.pk)
    response = client.post(target, {"title": "Uusi otsikko"})

    assert response.status_code == 302
    world.item_a2.refresh_from_db()
    assert world.item_a2.title == "Uusi otsikko"


def test_staff_guessing_other_regions_document_ids(client, world, staff_a):
    client.force_login(staff_a)
    for document in (world.doc_b, world.doc_b_item):
        response = client.get(url("document_download", pk=document.pk))
        assert response.status_code == 404
        assert PDF not in body(response)
    assert client.get(url("document_download", pk=MISSING_PK)).status_code == 404


def test_staff_upload_to_other_regions_negotiation(client, world, staff_a):
    client.force_login(staff_a)
    documents = Document.objects.count()

    response = client.post(
        url("negotiation_document_upload", pk=world.neg_b.pk),
        {"title": "Väärä alue", "language": "fi", "file": pdf()},
    )

    assert response.status_code == 404
    assert Document.objects.count() == documents
    assert not Document.objects.filter(title="Väärä alue").exists()


def test_official_cannot_attach_material_to_another_negotiations_item(client, world):
    """Uploading to A with B's agenda item would move the document to B: refused."""
    client.force_login(world.official)
    documents = Document.objects.count()

    response = client.post(
        url("negotiation_document_upload", pk=world.neg_a.pk),
        {
            "title": "Väärä kohta",
            "kind": "thl_assessment",
            "language": "fi",
            "agenda_item": world.item_b.pk,
            "file": pdf(),
        },
    )

    assert response.status_code == 400
    assert Document.objects.count() == documents


# --- 5. Cooperation-area rounds -----------------------------------------------------------


@pytest.fixture
def area_negotiation(official, region_a):
    round_ = RoundFactory(kind="cooperation_area")
    negotiation = NegotiationFactory(
        round=round_,
        region=None,
        cooperation_area=region_a.cooperation_area,
        place="Helsingin yhteistyoalueen sali",
    )
    document = add_document(official, "Yhteistyöalueen arvio", negotiation=negotiation)
    return negotiation, document


def test_area_negotiation_is_visible_to_staff_of_the_area(client, area_negotiation, staff_a):
    negotiation, document = area_negotiation
    client.force_login(staff_a)

    response = client.get(url("negotiation_detail", pk=negotiation.pk))
    assert response.status_code == 200
    assert "Helsingin yhteistyoalueen sali" in response.content.decode()
    assert "Yhteistyöalueen arvio" in response.content.decode()
    assert client.get(url("negotiation_ics", pk=negotiation.pk)).status_code == 200
    assert client.get(url("document_download", pk=document.pk)).status_code == 200

    # Another region of the same area sees it too.
    neighbour = RegionStaffFactory(region=region("helsinki"))
    client.force_login(neighbour)
    assert client.get(url("negotiation_detail", pk=negotiation.pk)).status_code == 200


def test_area_negotiation_does_not_exist_for_other_areas(client, area_negotiation, staff_b):
    negotiation, document = area_negotiation
    assert staff_b.region.cooperation_area.slug == "pohjois-suomi"
    assert negotiation.cooperation_area.slug != "pohjois-suomi"
    client.force_login(staff_b)
    before = snapshot()

    for target in (
        url("negotiation_detail", pk=negotiation.pk),
        url("negotiation_ics", pk=negotiation.pk),
        url("document_download", pk=document.pk),
    ):
        response = client.get(target)
        assert response.status_code == 404, target
        assert "Helsingin yhteistyoalueen sali" not in body(response).decode(errors="replace")
    response = client.post(
        url("negotiation_document_upload", pk=negotiation.pk),
        {"title": "Väärä alue", "language": "fi", "file": pdf()},
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_neighbours_region_negotiation_stays_hidden_within_the_area(client, staff_a):
    """Sharing a cooperation area opens area negotiations, not the neighbours' own ones."""
    neighbour = NegotiationFactory(region=region("helsinki"), place="Helsingin oma sali")
    assert neighbour.region.cooperation_area_id == staff_a.region.cooperation_area_id
    client.force_login(staff_a)

    response = client.get(url("negotiation_detail", pk=neighbour.pk))

    assert response.status_code == 404
    assert "Helsingin oma sali" not in response.content.decode()


# --- 6. Administrators read, never write --------------------------------------------------


def test_administrator_reads(client, world, administrator):
    client.force_login(administrator)

    response = client.get(url("negotiation_detail", pk=world.neg_b.pk))
    assert response.status_code == 200
    assert PLACE_B in response.content.decode()
    assert client.get(url("round_dashboard", pk=world.round.pk)).status_code == 200
    assert client.get(url("round_list")).status_code == 200
    response = client.get(url("document_download", pk=world.doc_b.pk))
    assert response.status_code == 200
    assert body(response) == PDF


def test_administrator_cannot_cancel(client, world, administrator):
    client.force_login(administrator)

    response = client.post(url("negotiation_cancel", pk=world.neg_b.pk))

    assert response.status_code == 403
    world.neg_b.refresh_from_db()
    assert world.neg_b.status == Negotiation.Status.SCHEDULED


def test_administrator_has_no_round_creation_page(client, world, administrator):
    client.force_login(administrator)
    assert client.get(url("round_create")).status_code == 404
    rounds = Round.objects.count()
    assert client.post(url("round_create"), payload("round_create", world)).status_code == 404
    assert Round.objects.count() == rounds


ADMINISTRATOR_WRITES = [
    ("round_edit", "get"),
    ("round_edit", "post"),
    ("round_next", "get"),
    ("round_next", "post"),
    ("round_close", "post"),
    ("round_publish_all", "post"),
    ("bulk_schedule", "get"),
    ("bulk_schedule", "post"),
    ("negotiation_create", "get"),
    ("negotiation_create", "post"),
    ("round_document_upload", "get"),
    ("round_document_upload", "post"),
    ("negotiation_edit", "get"),
    ("negotiation_edit", "post"),
    ("negotiation_cancel", "post"),
    ("agenda_edit", "get"),
    ("agenda_edit", "post"),
    ("agenda_ready", "post"),
    ("agenda_item_edit", "get"),
    ("agenda_item_edit", "post"),
    ("agenda_item_delete", "post"),
    ("agenda_item_move", "post"),
    ("negotiation_document_upload", "post"),
    ("document_delete", "post"),
]


@pytest.mark.parametrize(("name", "method"), ADMINISTRATOR_WRITES)
def test_administrator_writes_are_forbidden(client, world, administrator, name, method):
    client.force_login(administrator)
    before = snapshot()

    response = request(client, method, target_b(world, name), payload(name, world))

    assert response.status_code == 403
    assert snapshot() == before


# --- 7. Forged fields in the region's observations upload ---------------------------------


def test_forged_fields_in_observations_upload_are_ignored(client, world, staff_a, region_b):
    client.force_login(staff_a)
    existing = set(Document.objects.values_list("pk", flat=True))
    data = PDF + b"havainnot"

    response = client.post(
        url("negotiation_document_upload", pk=world.neg_a.pk),
        {
            "title": "Alueen havainnot",
            "language": "fi",
            "file": pdf("havainnot.pdf", data),
            # None of these is the region's to choose.
            "kind": "thl_assessment",
            "agenda_item": world.item_a1.pk,
            "status": "cancelled",
            "region": region_b.pk,
            "negotiation": world.neg_b.pk,
            "round": world.round.pk,
            "uploaded_by": world.official.pk,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == url("negotiation_detail", pk=world.neg_a.pk)
    world.neg_a.refresh_from_db()
    assert world.neg_a.status == Negotiation.Status.SCHEDULED
    assert world.neg_a.region_id == staff_a.region_id
    new = Document.objects.exclude(pk__in=existing)
    assert new.count() == 1
    document = new.get()
    assert document.kind == Document.Kind.REGION_OBSERVATIONS
    assert document.publicity == "region"
    assert document.negotiation_id == world.neg_a.pk
    assert document.agenda_item_id is None
    assert document.round_id is None
    assert document.uploaded_by_id == staff_a.pk
    assert document.title == "Alueen havainnot"
    with document.file.open("rb") as handle:
        assert handle.read() == data
    assert world.neg_b.documents.count() == 2
