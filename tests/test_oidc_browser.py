"""Signing in in a real browser through a real OpenID Connect provider's own login and
consent pages: an official of STM, a staff member of one region, and a stranger."""

import re

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from regions.roles import Role, role_of
from tests.factories import NegotiationFactory, organisation, region
from tests.oidc_provider import chromium, configure, start_provider, stop_provider  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.services,
]

User = get_user_model()


@pytest.fixture
def provider(live_server, tmp_path):
    running = start_provider(tmp_path, [live_server.url])
    yield running
    stop_provider(running)


def sign_in(context, base, side_name, login):
    page = context.new_page()
    page.goto(f"{base}/fi/accounts/login/")
    page.get_by_role("button", name=re.compile(re.escape(side_name))).click()
    # The provider's own login page, then its consent page.
    page.wait_for_selector("input[name=login]")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/**")
    return page


def test_signing_in_through_the_organisations_provider(live_server, provider, chromium):  # noqa: F811
    configure(provider.issuer)
    base = live_server.url
    stm, vakehyva, lappi = organisation("STM"), region("vantaa-kerava"), region("lappi")
    elsewhere = NegotiationFactory(region=lappi)

    page = sign_in(chromium.new_context(), base, stm.name_fi, "virkailija")
    assert page.url == f"{base}/fi/workspace/"
    official = User.objects.get(email="virkailija@stm.fi")
    assert official.organisation == stm and role_of(official) == Role.OFFICIAL
    # An official reads any region's negotiation.
    assert page.goto(f"{base}/fi/workspace/negotiations/{elsewhere.pk}/").status == 200

    page = sign_in(chromium.new_context(), base, vakehyva.name_fi, "hoitaja")
    assert page.url == f"{base}/fi/workspace/regions/{vakehyva.slug}/"
    staff = User.objects.get(email="hoitaja@vakehyva.fi")
    assert staff.region == vakehyva and role_of(staff) == Role.REGION_STAFF
    # Another region's negotiations stay closed to them.
    assert page.goto(f"{base}/fi/workspace/negotiations/{elsewhere.pk}/").status == 404
    assert page.goto(f"{base}/fi/workspace/regions/{lappi.slug}/").status in (403, 404)

    users = User.objects.count()
    page = sign_in(chromium.new_context(), base, stm.name_fi, "ulkopuolinen")
    assert page.get_by_role("heading", level=1).count() == 1
    assert page.locator(".alert-danger").is_visible()
    assert User.objects.count() == users
    assert not User.objects.filter(email="ulkopuolinen@example.org").exists()
    assert SocialAccount.objects.count() == 2
