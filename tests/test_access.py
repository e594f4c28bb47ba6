"""The access helper for regions' workspaces, from every position, and the views using it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from regions.access import get_region_for_user
from regions.roles import Role, role_of
from tests.factories import OfficialFactory, UserFactory, organisation

pytestmark = pytest.mark.django_db


def test_roles_follow_the_account(official, staff_a, administrator, unaffiliated):
    from django.contrib.auth.models import AnonymousUser

    assert role_of(official) == Role.OFFICIAL
    assert role_of(staff_a) == Role.REGION_STAFF
    assert role_of(administrator) == Role.ADMINISTRATOR
    assert role_of(unaffiliated) == Role.PUBLIC
    assert role_of(AnonymousUser()) == Role.PUBLIC
    # THL writes assessments but does not steer: its people are not officials here.
    assert role_of(UserFactory(organisation=organisation("THL"))) == Role.PUBLIC
    staff_a.is_active = False
    assert role_of(staff_a) == Role.PUBLIC


def test_helper_reads(official, staff_a, staff_b, administrator, unaffiliated, region_a):
    from django.contrib.auth.models import AnonymousUser

    for user in (official, staff_a, administrator):
        assert get_region_for_user(user, region_a.slug) == region_a
    for user in (staff_b, unaffiliated, AnonymousUser()):
        with pytest.raises(Http404):
            get_region_for_user(user, region_a.slug)
    with pytest.raises(Http404):
        get_region_for_user(official, "no-such-region")


def test_helper_writes(official, staff_a, staff_b, administrator, region_a):
    assert get_region_for_user(official, region_a.slug, write=True) == region_a
    assert get_region_for_user(staff_a, region_a.slug, write=True) == region_a
    with pytest.raises(PermissionDenied):
        get_region_for_user(administrator, region_a.slug, write=True)
    # Another region's staff learn nothing, not even that the page could exist.
    with pytest.raises(Http404):
        get_region_for_user(staff_b, region_a.slug, write=True)


def test_workspace_page_from_each_position(client, official, staff_a, staff_b, region_a):
    url = f"/fi/workspace/regions/{region_a.slug}/"

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/fi/accounts/login/")

    client.force_login(staff_b)
    assert client.get(url).status_code == 404

    client.force_login(staff_a)
    response = client.get(url)
    assert response.status_code == 200
    assert region_a.name_fi in response.content.decode()
    assert staff_a.last_name in response.content.decode()

    client.force_login(official)
    assert client.get(url).status_code == 200


def test_contact_edit_by_own_staff_and_official(client, official, staff_a, region_a):
    url = f"/fi/workspace/regions/{region_a.slug}/contact/"
    client.force_login(staff_a)
    response = client.post(url, {"registry_email": "kirjaamo@vakehyva.fi"})
    assert response.status_code == 302
    region_a.refresh_from_db()
    assert region_a.registry_email == "kirjaamo@vakehyva.fi"

    client.force_login(official)
    response = client.post(url, {"registry_email": "not an address"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    region_a.refresh_from_db()
    assert region_a.registry_email == "kirjaamo@vakehyva.fi"


def test_contact_edit_refused_to_others(client, staff_b, administrator, region_a):
    url = f"/fi/workspace/regions/{region_a.slug}/contact/"
    assert client.post(url, {"registry_email": "x@example.org"}).status_code == 302
    client.force_login(staff_b)
    assert client.post(url, {"registry_email": "x@example.org"}).status_code == 404
    client.force_login(administrator)
    assert client.post(url, {"registry_email": "x@example.org"}).status_code == 403
    region_a.refresh_from_db()
    assert region_a.registry_email == ""


def test_forged_fields_do_not_reach_reference_data(client, staff_a, region_a):
    url = f"/fi/workspace/regions/{region_a.slug}/contact/"
    client.force_login(staff_a)
    client.post(
        url,
        {"registry_email": "a@example.org", "name_fi": "Kaapattu", "cooperation_area": "1"},
    )
    region_a.refresh_from_db()
    assert region_a.name_fi == "Vantaan ja Keravan hyvinvointialue"


def test_workspace_landing_by_role(client, official, staff_a, administrator, unaffiliated):
    client.force_login(staff_a)
    response = client.get("/sv/workspace/")
    assert response["Location"] == f"/sv/workspace/regions/{staff_a.region.slug}/"

    client.force_login(official)
    response = client.get("/sv/workspace/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('href="/sv/workspace/regions/') == 23

    client.force_login(administrator)
    assert client.get("/fi/workspace/")["Location"] == "/fi/admin/"

    client.force_login(unaffiliated)
    assert client.get("/fi/workspace/").status_code == 403


def test_navigation_fits_the_role(client, official, staff_a):
    body = client.get("/fi/").content.decode()
    assert 'href="/fi/accounts/login/"' in body
    assert "/workspace/" not in body

    client.force_login(staff_a)
    body = client.get("/fi/").content.decode()
    assert f'href="/fi/workspace/regions/{staff_a.region.slug}/"' in body
    assert 'href="/fi/workspace/"' not in body

    client.force_login(official)
    body = client.get("/fi/").content.decode()
    assert 'href="/fi/workspace/"' in body


def test_official_workspace_list_has_fixed_query_count(client, django_assert_max_num_queries):
    official = OfficialFactory()
    client.force_login(official)
    # session, user (with organisation and region), own negotiations, open rounds,
    # comments to answer, reviews closing (tests/test_landing.py), areas, regions
    with django_assert_max_num_queries(8):
        assert client.get("/fi/workspace/").status_code == 200
