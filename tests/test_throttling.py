"""Throttling by address: many accounts from one client, and password-reset mail."""

import pytest

from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_many_accounts_tried_from_one_address_are_throttled(client, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 8
    user = OfficialFactory()
    user.set_password("oikea-salasana-123")
    user.save()
    for n in range(8):  # one try per account: axes' per-account lock never trips
        response = client.post(
            "/fi/accounts/login/", {"username": f"arvaus{n}", "password": "väärä"}
        )
        assert response.status_code == 200
    response = client.post(
        "/fi/accounts/login/", {"username": user.username, "password": "oikea-salasana-123"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Liian monta" in response.content.decode() or "Too many" in response.content.decode()
    other = client_from("10.9.9.9")
    response = other.post(
        "/fi/accounts/login/", {"username": user.username, "password": "oikea-salasana-123"}
    )
    assert response.status_code == 302  # another address is not affected


def client_from(address):
    from django.test import Client

    return Client(REMOTE_ADDR=address)


def _reset(client, email):
    return client.post("/fi/accounts/password-reset/", {"email": email})


@pytest.mark.parametrize("exists", [True, False])
def test_password_reset_mail_to_one_address_is_throttled(client, settings, exists):
    settings.PASSWORD_RESET_EMAIL_LIMIT = 3
    email = "kohde@example.fi"
    if exists:
        OfficialFactory(email=email)
    for _n in range(3):
        assert _reset(client, email).status_code == 302
    response = _reset(client, email)
    assert response.status_code == 429
    assert "password reset" in response.content.decode().lower() or "salasan" in (
        response.content.decode().lower()
    )


def test_password_reset_from_one_client_is_throttled(client, settings):
    settings.PASSWORD_RESET_IP_LIMIT = 4
    for n in range(4):
        assert _reset(client, f"osoite{n}@example.fi").status_code == 302
    assert _reset(client, "viides@example.fi").status_code == 429
    assert _reset(client_from("10.1.2.3"), "viides@example.fi").status_code == 302
