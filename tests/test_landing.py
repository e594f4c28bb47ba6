"""Where each person starts after login: an official on their own work, region staff on
their region's next steps; fixed query counts whatever the amount of work."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minutes import services
from minutes.services import publishing
from negotiations.models import Negotiation
from tests.factories import PASSWORD, NegotiationFactory, RoundFactory, _at, approved_version

pytestmark = pytest.mark.django_db


def held_work(official, staff, *, slug="vantaa-kerava"):
    """Three negotiations chaired by `official` in `slug`'s region: one held with no minutes,
    one in review closing in five days with an unanswered comment, one published."""
    from regions.models import Region

    region = Region.objects.get(slug=slug)
    past = _at(timezone.localdate() - timedelta(days=3), 9)
    unwritten = NegotiationFactory(region=region, chair=official, starts_at=past)
    reviewed = NegotiationFactory(
        region=region, chair=official, starts_at=past, round=RoundFactory(comment_period_days=5)
    )
    reviewed.agenda_items.create(position=1, title="Talous")
    minutes = services.minutes_start(negotiation=reviewed, by=official)
    version = services.minutes_send_for_review(minutes=minutes, by=official)
    services.comment_add(
        version=version, section=minutes.sections.get(), by=staff, body="Alijäämä pieneni."
    )
    published = publishing.protocol_publish(
        minutes=approved_version(official, slug=slug).minutes, by=official
    )
    # Published minutes are of a meeting already held.
    Negotiation.objects.filter(pk=published.negotiation_id).update(
        starts_at=past, ends_at=past + timedelta(hours=3)
    )
    return unwritten, reviewed, published


def page(client, url):
    # The region and area lists are kept between requests, and publishing clears them: a
    # first request fills them, so that only the data size differs between two counts.
    cache.clear()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_official_lands_on_their_work(client, official, staff_a):
    RoundFactory()  # an open round
    unwritten, reviewed, published = held_work(official, staff_a)
    other_officials = NegotiationFactory(starts_at=_at(timezone.localdate() - timedelta(days=3), 9))
    client.force_login(official)
    body, _ = page(client, "/fi/workspace/")
    assert f'href="/fi/workspace/negotiations/{unwritten.pk}/"' in body  # minutes to write
    assert f'href="/fi/workspace/minutes/{reviewed.minutes.pk}/"' in body  # to approve
    assert "Alijäämä pieneni." in body  # the comment to answer
    assert f'href="/fi/workspace/minutes/{reviewed.minutes.pk}/versions/1/"' in body
    assert "5 " in body  # the review closes in five days
    assert f"/fi/workspace/minutes/{published.version.minutes_id}/" not in body  # done
    assert f"/negotiations/{other_officials.pk}/" not in body  # not theirs
    assert f'href="/fi/workspace/rounds/{unwritten.round.pk}/"' in body


def test_official_landing_has_a_fixed_query_count(
    client, official, staff_a, django_assert_num_queries
):
    client.force_login(official)
    held_work(official, staff_a)
    _, small = page(client, "/fi/workspace/")
    held_work(official, staff_a, slug="lappi")
    held_work(official, staff_a, slug="kainuu")
    page(client, "/fi/workspace/")
    # session, user, own negotiations, open rounds, comments, reviews, and the areas with
    # their regions (read from the database, no longer kept per process)
    with django_assert_num_queries(8):
        client.get("/fi/workspace/")
    assert small == 8


def test_region_staff_land_on_their_next_steps(client, official, staff_a, staff_b):
    _, reviewed, published = held_work(official, staff_a)
    upcoming = NegotiationFactory(
        starts_at=_at(timezone.localdate() + timedelta(days=9), 9), place="Kerava, kaupungintalo"
    )
    client.force_login(staff_a)
    response = client.get("/fi/workspace/")
    assert response["Location"] == f"/fi/workspace/regions/{staff_a.region.slug}/"
    body, _ = page(client, response["Location"])
    next_steps = body[body.index('id="next-steps"') :].split("</section>")[0]
    assert f'href="/fi/workspace/negotiations/{upcoming.pk}/"' in next_steps
    deadline = upcoming.round.material_deadline
    assert deadline.strftime("%-d.%-m.%Y") in next_steps
    assert f'href="/fi/workspace/minutes/{reviewed.minutes.pk}/versions/1/"' in next_steps
    assert f'href="/fi/protocols/{published.pk}/"' in next_steps
    # The next steps come before the contacts and staff.
    assert body.index('id="next-steps"') < body.rindex(staff_a.last_name)

    # Another region's staff see nothing of it, and their own page names none of it.
    client.force_login(staff_b)
    assert client.get(f"/fi/workspace/regions/{staff_a.region.slug}/").status_code == 404
    body, _ = page(client, f"/fi/workspace/regions/{staff_b.region.slug}/")
    assert f"/minutes/{reviewed.minutes.pk}/" not in body
    assert f"/protocols/{published.pk}/" not in body
    assert f"/negotiations/{upcoming.pk}/" not in body


def test_region_landing_has_a_fixed_query_count(
    client, official, staff_a, django_assert_num_queries
):
    client.force_login(staff_a)
    url = f"/fi/workspace/regions/{staff_a.region.slug}/"
    held_work(official, staff_a)
    _, small = page(client, url)
    held_work(official, staff_a)
    held_work(official, staff_a)
    _, large = page(client, url)
    assert small == large
    with django_assert_num_queries(small):
        client.get(url)


def test_anonymous_is_sent_to_log_in(client, region_a):
    for url in ("/fi/workspace/", f"/fi/workspace/regions/{region_a.slug}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/fi/accounts/login/")


def test_login_lands_on_the_work(client, official):
    response = client.post(
        "/fi/accounts/login/", {"username": official.username, "password": PASSWORD}, follow=True
    )
    assert "workspace/official.html" in [t.name for t in response.templates]
