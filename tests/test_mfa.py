"""Two-factor authentication (TOTP and recovery codes, allauth.mfa) for local accounts,
required of administrators in production. Codes are computed here by RFC 6238."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.conftest import run_python
from tests.factories import PASSWORD, OfficialFactory

pytestmark = pytest.mark.django_db

LOGIN = "/fi/accounts/login/"
CODE = "/fi/accounts/login/code/"


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 with the defaults authenticator apps use: SHA-1, 30 s, six digits."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6
    return f"{value:06d}"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


@pytest.fixture
def with_totp():
    user = OfficialFactory()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return user, secret


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_local_account_with_totp_is_asked_for_its_code(client, with_totp):
    user, secret = with_totp
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == CODE
    assert not logged_in(client)
    assert client.get("/fi/workspace/").status_code == 302  # not in yet
    refused = client.post(CODE, {"code": wrong(totp(secret))})
    assert refused.status_code == 400 and not logged_in(client)
    assert "alert" in refused.content.decode()
    response = client.post(CODE, {"code": totp(secret)})
    assert response.status_code == 302 and response["Location"] == "/fi/workspace/"
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_recovery_code_works_once(client, with_totp):
    user, _secret = with_totp
    codes = Authenticator.objects.get(user=user, type="recovery_codes").wrap()
    code = codes.get_unused_codes()[0]
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert client.post(CODE, {"code": code}).status_code == 302
    assert logged_in(client)
    client.logout()
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert client.post(CODE, {"code": code}).status_code == 400
    assert not logged_in(client)


def test_guessing_codes_sends_back_to_the_password(client, with_totp, settings):
    user, secret = with_totp
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    for _ in range(settings.MFA_LOGIN_FAILURE_LIMIT - 1):
        assert client.post(CODE, {"code": wrong(totp(secret))}).status_code == 400
    response = client.post(CODE, {"code": wrong(totp(secret))})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    # The right code no longer helps: the password step must be passed again.
    assert client.post(CODE, {"code": totp(secret)})["Location"].startswith(LOGIN)
    assert not logged_in(client)


def test_the_code_step_without_a_password_first_goes_to_the_login(client):
    response = client.post(CODE, {"code": "123456"})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_an_administrator_without_mfa_sets_it_up_before_the_admin(client, administrator, settings):
    settings.MFA_REQUIRED_FOR_ADMINISTRATORS = True
    response = client.post(LOGIN, {"username": administrator.username, "password": PASSWORD})
    assert response.status_code == 302 and logged_in(client)
    response = client.get("/fi/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/2fa/totp/activate/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()  # shown for typing into an app by hand
    refused = client.post("/fi/accounts/2fa/totp/activate/", {"code": wrong(totp(secret))})
    assert refused.status_code == 200
    assert not Authenticator.objects.filter(user=administrator).exists()
    assert client.get("/fi/admin/").status_code == 302
    done = client.post("/fi/accounts/2fa/totp/activate/", {"code": totp(secret)})
    assert done.status_code == 302
    assert set(Authenticator.objects.filter(user=administrator).values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }
    assert client.get("/fi/admin/").status_code == 200


def test_without_the_requirement_the_admin_opens_with_a_password(client, administrator, settings):
    settings.MFA_REQUIRED_FOR_ADMINISTRATORS = False
    client.post(LOGIN, {"username": administrator.username, "password": PASSWORD})
    assert client.get("/fi/admin/").status_code == 200


def test_the_requirement_is_on_in_production_and_off_locally():
    code = "from django.conf import settings; print(settings.MFA_REQUIRED_FOR_ADMINISTRATORS)"
    production = run_python(
        f"import django; django.setup(); {code}",
        {
            "DJANGO_ENV": "production",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "portal.example.fi",
            "ACCESSIBILITY_FEEDBACK_EMAIL": "a@example.fi",
            "MFA_REQUIRED_FOR_ADMINISTRATORS": None,
        },
    )
    local = run_python(
        f"import django; django.setup(); {code}",
        {"DJANGO_ENV": "local", "MFA_REQUIRED_FOR_ADMINISTRATORS": None},
    )
    assert production.stdout.strip() == "True", production.stderr[-2000:]
    assert local.stdout.strip() == "False", local.stderr[-2000:]
