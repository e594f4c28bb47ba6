"""Every URL the portal has, taken from the URL resolver, tried as an outsider and as
another region's staff: nothing unpublished may show, nothing may change.

New views are covered without touching this file: their patterns are found the same way.
"""

import itertools
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver

from minutes import services as minutes_services
from minutes.models import (
    Comment,
    ItemReport,
    Minutes,
    MinutesVersion,
    OutcomeKind,
    Responsible,
    TrackedItem,
)
from minutes.services import ledger, outcomes, publishing
from minutes.services import threads as minutes_threads
from negotiations import services as negotiation_services
from negotiations.models import AgendaItem, Document, Negotiation, Round
from regions.models import SecrecyGround
from tests.cycle_helpers import first_year
from tests.factories import NegotiationFactory, region
from tests.helpers import walk
from tests.oidc_provider import user_signed_in_through_provider

# Every URL of the portal, as several people: seconds per test.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SECRET = "SALAINEN7Q"  # appears only in region A's unpublished material
INT_VALUES = range(1, 7)
SLUG_VALUES = ("vantaa-kerava", "lappi")
SKIP_PREFIXES = ("static/", "media/")


def concrete(route: str):
    """Every URL a pattern yields with the small set of ids and slugs that exist here."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    if any(kind == "path" for kind, _name in params) or route.startswith(SKIP_PREFIXES):
        choices = [[str(v) for v in INT_VALUES]] * len(params)
    else:
        choices = [
            list(SLUG_VALUES) if kind in ("slug", "str") else [str(v) for v in INT_VALUES]
            for kind, _name in params
        ]
    for values in itertools.product(*choices) if params else [()]:
        url = route
        for value in values:
            url = re.sub(r"<(?:\w+:)?\w+>", value, url, count=1)
        if "(" in url or "?" in url.replace("?P", ""):
            continue  # a regex pattern (admin internals): its concrete forms are covered above
        yield "/" + url


@pytest.fixture
def secrets(official, staff_a):
    negotiation = NegotiationFactory(region=region("vantaa-kerava"), place=f"{SECRET} paikka")
    item = AgendaItem.objects.create(negotiation=negotiation, position=1, title=f"{SECRET} asia")
    negotiation_services.document_add(
        by=official, uploaded_file=SimpleUploadedFile("a.csv", f"a;b\n{SECRET};1\n".encode()),
        max_bytes=10**6, negotiation=negotiation, agenda_item=item, kind="other",
        language="fi", title=f"{SECRET} liite", publicity="public",
    )  # fmt: skip
    minutes = minutes_services.minutes_start(negotiation=negotiation, by=official)
    section = minutes.sections.get()
    # An outcome item of minutes that are never published: no ledger item, no page.
    outcomes.outcome_add(
        minutes=minutes, by=official, section=section, kind=OutcomeKind.FOLLOW_UP,
        text=f"{SECRET} jatkotoimenpide", responsible=Responsible.REGION,
    )  # fmt: skip
    minutes_services.minutes_save_text(
        minutes=minutes, by=official, expected_revision=minutes.revision,
        participants=f"{SECRET} osallistujat",
        sections={section.pk: f"{SECRET} teksti"},
    )  # fmt: skip
    version = minutes_services.minutes_send_for_review(minutes=minutes, by=official)
    minutes_services.comment_add(
        version=version, section=section, by=staff_a, body=f"{SECRET} kommentti"
    )
    minutes_services.minutes_approve(minutes=minutes, by=official, override_reason="testi")
    from minutes.services.protocols import protocol_render

    protocol_render(minutes.versions.get(approved=True).pk, "fi")
    # A published protocol's item, with the region's report (text and file) on it: the
    # region and the ministries read it, never the public or another region.
    first_year(official, year=2090)
    tracked = TrackedItem.objects.order_by("pk").first()
    ledger.item_report(
        item=tracked, by=staff_a, text=f"{SECRET} raportti",
        upload=SimpleUploadedFile("r.csv", f"a;b\n{SECRET};2\n".encode()),
    )  # fmt: skip
    return negotiation


def state():
    return (
        Negotiation.objects.filter(status="scheduled").count(),
        Round.objects.filter(status="open").count(),
        Document.objects.count(),
        AgendaItem.objects.count(),
        Comment.objects.filter(withdrawn_at__isnull=True).count(),
        MinutesVersion.objects.count(),
        list(Minutes.objects.values_list("status", flat=True)),
        list(TrackedItem.objects.order_by("pk").values_list("status", flat=True)),
        ItemReport.objects.count(),
    )


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def leaks_of(client, urls, marker: str, people) -> list[str]:
    """Every URL, GET and POST, as each of `people` ((label, user or None)), whose answer
    holds `marker`. The logout address, swept early, ends the session: the person signs
    in again after it, else the rest of the sweep ran as the public."""
    leaks = []
    for who, user in people:
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if marker.encode() in body_of(response):
                    leaks.append(f"{who} {method.upper()} {url}")
                if user is not None and not response.wsgi_request.user.is_authenticated:
                    client.force_login(user)
    client.logout()
    return leaks


@pytest.fixture(params=["local", pytest.param("oidc", marks=pytest.mark.services)])
def other_region_staff(request, client, tmp_path, region_b):
    """Another region's staff: a local account, and one its region's identity provider
    created at a first sign-in (a token for Lapland must open nothing of Vantaa-Kerava)."""
    if request.param == "local":
        return request.getfixturevalue("staff_b")
    user = user_signed_in_through_provider(client, tmp_path, "lapha", "lappilainen")
    assert user.region == region_b
    return user


def test_every_url_keeps_unpublished_material_from_outsiders(
    client, secrets, other_region_staff, official
):  # fmt: skip
    # The marker is really there for those who may see it, so its absence below means
    # something.
    client.force_login(official)
    assert SECRET in client.get(f"/fi/workspace/negotiations/{secrets.pk}/").content.decode()
    report = ItemReport.objects.get()
    assert SECRET in client.get(f"/fi/workspace/follow-up/items/{report.item_id}/").content.decode()
    assert not TrackedItem.objects.filter(text__contains=SECRET).exists()
    client.logout()
    swept = {url for route in walk(get_resolver().url_patterns) for url in concrete(route)}
    assert "/fi/workspace/follow-up/items/1/reports/1/file/" in swept
    # The walk tries small ids; PostgreSQL's sequences are not rolled back between tests,
    # so the ledger item and report made here are named by their real ids as well.
    item_url = f"/{{language}}/workspace/follow-up/items/{report.item_id}/"
    real = [
        item_url + suffix for suffix in ("", "report/", "status/", f"reports/{report.pk}/file/")
    ]
    urls = sorted(swept | {url.format(language=lang) for url in real for lang in ("fi", "sv")})
    assert "/api/v1/items/" in urls and "/fi/workspace/follow-up/overview.csv" in urls
    assert len(urls) > 100  # the walk found the portal's URLs, not an empty list
    before = state()
    people = (("anonymous", None), ("other region", other_region_staff))
    leaks = leaks_of(client, urls, SECRET, people)
    assert not leaks, leaks[:20]
    assert state() == before


INTERNAL = "SISAINEN4K"  # only in ministry-internal material, of a negotiation and a round


def test_every_url_keeps_internal_material_from_every_region(
    client, official, staff_a, staff_b
):  # fmt: skip
    negotiation = NegotiationFactory(region=region("vantaa-kerava"))
    item = AgendaItem.objects.create(negotiation=negotiation, position=1, title="Asia")
    content = f"a;b\n{INTERNAL};1\n".encode()
    for target in (
        {"negotiation": negotiation},
        {"agenda_item": item},
        {"round": negotiation.round},
    ):
        negotiation_services.document_add(
            by=official, uploaded_file=SimpleUploadedFile("i.csv", content), max_bytes=10**6,
            kind="other", language="fi", title=f"{INTERNAL} muistio", **target,
        )  # fmt: skip
    assert set(Document.objects.values_list("publicity", flat=True)) == {"internal"}
    # A ministry-internal note on the version the region is reviewing (and commenting).
    minutes = minutes_services.minutes_start(negotiation=negotiation, by=official)
    version = minutes_services.minutes_send_for_review(minutes=minutes, by=official)
    section = minutes.sections.get()
    minutes_services.comment_add(version=version, section=section, by=staff_a, body="Kommentti")
    minutes_threads.note_add(
        version=version, section=section, by=official, body=f"{INTERNAL} sisäinen huomio",
        secrecy_ground=SecrecyGround.objects.first(),
    )  # fmt: skip
    client.force_login(official)
    assert INTERNAL in client.get(f"/fi/workspace/negotiations/{negotiation.pk}/").content.decode()
    version_page = f"/fi/workspace/minutes/{minutes.pk}/versions/{version.number}/"
    assert INTERNAL in client.get(version_page).content.decode()
    client.logout()
    urls = sorted({url for route in walk(get_resolver().url_patterns) for url in concrete(route)})
    before = state()
    people = (("anonymous", None), ("own region", staff_a), ("other region", staff_b))
    leaks = leaks_of(client, urls, INTERNAL, people)
    assert not leaks, leaks[:20]
    assert state() == before


SHARED = "JAETTU6M"  # only in a thread shared with the region, of a published protocol


def test_every_url_keeps_a_region_shared_thread_from_the_public(
    client, official, staff_a, staff_b, django_capture_on_commit_callbacks
):  # fmt: skip
    """Published with the protocol are only the threads marked public: one shared with the
    region (classified, answered) stays off every public address, and off another
    region's, while the public one beside it is shown."""
    negotiation = NegotiationFactory(region=region("vantaa-kerava"), chair=official)
    AgendaItem.objects.create(negotiation=negotiation, position=1, title="Asia")
    minutes = minutes_services.minutes_start(negotiation=negotiation, by=official)
    version = minutes_services.minutes_send_for_review(minutes=minutes, by=official)
    section = minutes.sections.get()
    shared = minutes_services.comment_add(
        version=version, section=section, by=staff_a, body=f"{SHARED} kommentti"
    )
    public = minutes_services.comment_add(
        version=version, section=section, by=staff_a, body="Julkinen kommentti"
    )
    for thread in (shared, public):
        minutes_services.answer_add(
            comment=thread, by=official, decision="partly", reason=f"Vastine {thread.body}"
        )
    minutes_threads.thread_classify(
        comment=shared, by=official, publicity="region",
        secrecy_ground=SecrecyGround.objects.first(),
    )  # fmt: skip
    minutes_threads.thread_classify(
        comment=public, by=official, publicity="public", secrecy_ground=None
    )
    minutes_services.minutes_approve(minutes=minutes, by=official)
    with django_capture_on_commit_callbacks(execute=True):
        publication = publishing.protocol_publish(minutes=minutes, by=official)
    page = client.get(f"/fi/protocols/{publication.pk}/").content.decode()
    assert "Julkinen kommentti" in page  # the public thread is there, so absence means much
    client.force_login(staff_a)
    assert (
        SHARED
        in client.get(
            f"/fi/workspace/minutes/{minutes.pk}/versions/{version.number}/"
        ).content.decode()
    )
    client.logout()
    urls = sorted({url for route in walk(get_resolver().url_patterns) for url in concrete(route)})
    before = state()
    leaks = leaks_of(client, urls, SHARED, (("anonymous", None), ("other region", staff_b)))
    assert not leaks, leaks[:20]
    assert state() == before
