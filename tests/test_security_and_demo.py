import pytest
from django.core.management import call_command

from regions.demo import DEMO_PASSWORD
from regions.models import User
from regions.roles import Role, role_of

pytestmark = pytest.mark.django_db


def test_security_headers_on_every_page(client):
    response = client.get("/fi/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_forms_carry_csrf_and_refuse_posts_without_it(client, staff_a):
    from tests.factories import PASSWORD

    assert "csrfmiddlewaretoken" in client.get("/fi/accounts/login/").content.decode()
    strict = type(client)(enforce_csrf_checks=True)
    response = strict.post(
        "/fi/accounts/login/", {"username": staff_a.username, "password": PASSWORD}
    )
    assert response.status_code == 403


def test_session_cookie_is_http_only(client, staff_a):
    from tests.factories import PASSWORD

    response = client.post(
        "/fi/accounts/login/", {"username": staff_a.username, "password": PASSWORD}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_seed_demo_creates_one_login_per_role_and_is_idempotent(client, capsys):
    call_command("seed_demo")
    first = sorted(User.objects.values_list("username", "organisation__code", "region__slug"))
    call_command("seed_demo")
    assert (
        sorted(User.objects.values_list("username", "organisation__code", "region__slug")) == first
    )
    users = {user.username: user for user in User.objects.all()}
    roles = [role_of(user) for user in users.values()]
    assert roles.count(Role.OFFICIAL) == 3
    assert roles.count(Role.REGION_STAFF) == 3
    assert roles.count(Role.ADMINISTRATOR) == 1
    assert {user.organisation.code for user in users.values() if user.organisation} == {
        "STM",
        "VM",
        "SM",
    }
    printed = capsys.readouterr().out
    assert DEMO_PASSWORD in printed
    for username in users:
        assert username in printed
        response = client.post(
            "/fi/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        client.post("/fi/accounts/logout/")


def test_seed_demo_is_refused_in_production(settings):
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()
