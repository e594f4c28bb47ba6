"""Sign-in through a real OpenID Connect provider (oidc-provider on 127.0.0.1) with
Django's test client, its login and consent pages followed with requests."""

import http.server
import logging
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext

from regions.roles import Role, role_of
from tests.factories import OfficialFactory, organisation
from tests.oidc_provider import (
    CLIENTS,
    configure,
    free_port,
    start_provider,
    stop_provider,
    through_provider,
)

pytestmark = [pytest.mark.django_db, pytest.mark.services]

User = get_user_model()


@pytest.fixture
def provider(tmp_path):
    running = start_provider(tmp_path, ["http://testserver"])
    yield running
    stop_provider(running)


def begin(client, provider_id, language="fi"):
    """Press "Sign in with ..." on the login page: the portal sends the browser on."""
    response = client.post(f"/accounts/oidc/{provider_id}/login/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def sign_in(client, provider_id, login, language="fi"):
    callback = through_provider(begin(client, provider_id, language), login, "http://testserver")
    path = callback.removeprefix("http://testserver")
    return client.get(path, HTTP_ACCEPT_LANGUAGE=language), path


def refused_in(response, caplog, reason):
    assert response.status_code in (400, 403, 502)
    assert "signin/refused.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in response.client.session
    assert any(
        r.name == "steering.signin" and f"reason={reason}" in r.getMessage() for r in caplog.records
    ), [r.getMessage() for r in caplog.records]


def in_language(response, language):
    """The refusal page is in `language`: its heading from that language's catalogue."""
    with translation.override(language):
        heading = gettext("Signing in did not succeed")
    body = response.content.decode()
    return f'<html lang="{language}">' in body and heading in body


def test_an_stm_official_signs_in_as_an_official_of_stm(client, provider, caplog):
    configure(provider.issuer)
    response, _callback = sign_in(client, "stm", "virkailija")
    assert response.status_code == 302
    user = User.objects.get(email="virkailija@stm.fi")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert user.organisation == organisation("STM") and user.region is None
    assert role_of(user) == Role.OFFICIAL
    assert not user.is_staff and not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Veera", "Virkailija")
    assert SocialAccount.objects.get(user=user).provider == "stm"
    # A later sign-in finds the same account.
    client.logout()
    response, _callback = sign_in(client, "stm", "virkailija")
    assert response.status_code == 302
    assert User.objects.filter(email="virkailija@stm.fi").count() == 1


def test_region_staff_signs_in_bound_to_their_region_in_the_browsers_language(
    client, provider, region_a, region_b
):
    configure(provider.issuer)
    response, _callback = sign_in(client, "vakehyva", "hoitaja", language="sv")
    assert response.status_code == 302
    user = User.objects.get(email="hoitaja@vakehyva.fi")
    assert user.region == region_a and user.organisation is None
    assert role_of(user) == Role.REGION_STAFF
    # Vantaa and Kerava is bilingual: a Swedish browser gets Swedish mail.
    assert user.language == "sv" and user.mail_language == "sv"
    assert client.get(f"/fi/workspace/regions/{region_b.slug}/").status_code in (403, 404)
    assert client.get(f"/fi/workspace/regions/{region_a.slug}/").status_code == 200


@pytest.mark.parametrize(
    ("provider_id", "login", "reason"),
    [
        ("stm", "ulkopuolinen", "domain"),  # a domain no provider signs in for
        ("stm", "hoitaja", "domain"),  # another organisation's domain, at STM's provider
        ("vakehyva", "virkailija", "domain"),
        ("stm", "vahvistamaton", "no_email"),  # the address is not verified
    ],
)
def test_a_sign_in_outside_the_providers_domains_is_refused(
    client, provider, caplog, provider_id, login, reason
):
    configure(provider.issuer)
    caplog.set_level(logging.INFO, logger="steering.signin")
    users = User.objects.count()
    response, _callback = sign_in(client, provider_id, login)
    refused_in(response, caplog, reason)
    assert in_language(response, "fi")
    assert User.objects.count() == users and not SocialAccount.objects.exists()


def test_the_refusal_speaks_the_browsers_language(client, provider, caplog):
    configure(provider.issuer)
    response, _callback = sign_in(client, "stm", "ulkopuolinen", language="sv")
    refused_in(response, caplog, "domain")
    assert in_language(response, "sv")


def test_a_later_sign_in_never_moves_the_account_to_another_side(client, provider, caplog):
    bindings = configure(provider.issuer)
    sign_in(client, "stm", "virkailija")
    user = User.objects.get(email="virkailija@stm.fi")
    client.logout()
    # The provider is rebound (a mistake in the admin): the account stays where it was.
    bindings["stm"].organisation = organisation("VM")
    bindings["stm"].save()
    response, _callback = sign_in(client, "stm", "virkailija")
    refused_in(response, caplog, "other_side")
    user.refresh_from_db()
    assert user.organisation == organisation("STM")


def test_an_existing_local_account_is_not_taken_over_by_its_address(client, provider, caplog):
    configure(provider.issuer)
    local = OfficialFactory(email="virkailija@stm.fi")
    response, _callback = sign_in(client, "stm", "virkailija")
    refused_in(response, caplog, "taken")
    assert not SocialAccount.objects.exists()
    assert User.objects.filter(email__iexact="virkailija@stm.fi").get() == local


def test_the_secret_comes_from_the_environment_variable_named(client, provider, monkeypatch):
    configure(provider.issuer, secret_env={"stm": "OIDC_SECRET_STM"})
    monkeypatch.setenv("OIDC_SECRET_STM", CLIENTS["stm"][1])
    response, _callback = sign_in(client, "stm", "virkailija")
    assert response.status_code == 302
    assert User.objects.filter(email="virkailija@stm.fi").exists()


def test_a_wrong_secret_is_refused_by_the_provider(client, provider, monkeypatch, caplog):
    configure(provider.issuer, secret_env={"stm": "OIDC_SECRET_STM"})
    monkeypatch.setenv("OIDC_SECRET_STM", "not-the-secret")
    response, _callback = sign_in(client, "stm", "virkailija")
    refused_in(response, caplog, "provider_error")
    assert not User.objects.filter(email="virkailija@stm.fi").exists()


def test_a_replayed_callback_is_refused(client, provider, caplog):
    configure(provider.issuer)
    response, callback = sign_in(client, "stm", "virkailija")
    assert response.status_code == 302
    client.logout()
    replay = client.get(callback)
    refused_in(replay, caplog, "provider_error")
    # The same code in a new sign-in (its own, valid state) is refused by the provider.
    fresh = begin(client, "stm")
    state = parse_qs(urlsplit(fresh).query)["state"][0]
    code = parse_qs(urlsplit(callback).query)["code"][0]
    again = client.get(f"/accounts/oidc/stm/login/callback/?code={code}&state={state}")
    refused_in(again, caplog, "provider_error")
    assert "_auth_user_id" not in client.session


def test_a_state_that_does_not_match_is_refused(client, provider, caplog):
    configure(provider.issuer)
    callback = through_provider(begin(client, "stm"), "virkailija", "http://testserver")
    parts = urlsplit(callback)
    query = parse_qs(parts.query)
    forged = f"{parts.path}?code={query['code'][0]}&state=forged-{query['state'][0][:8]}"
    response = client.get(forged)
    refused_in(response, caplog, "provider_error")
    assert not User.objects.filter(email="virkailija@stm.fi").exists()


def test_a_provider_that_is_down_gets_a_clear_page(client, caplog):
    configure(f"http://127.0.0.1:{free_port()}", only={"stm"})
    response = client.post("/accounts/oidc/stm/login/", HTTP_ACCEPT_LANGUAGE="fi")
    refused_in(response, caplog, "provider_error")
    assert response.status_code == 502
    assert in_language(response, "fi")
    assert User.objects.count() == 0


class Junk(http.server.BaseHTTPRequestHandler):
    """A "provider" answering nonsense: discovery that names endpoints on itself, and
    tokens that are not JSON."""

    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_port}"
        if (
            self.path.startswith("/.well-known/openid-configuration")
            and self.server.valid_discovery
        ):
            body = (
                f'{{"issuer": "{base}", "authorization_endpoint": "{base}/auth", '
                f'"token_endpoint": "{base}/token", "userinfo_endpoint": "{base}/me", '
                f'"jwks_uri": "{base}/jwks"}}'
            ).encode()
        else:
            body = b"<html>\x00\xff not json"
        self._answer(body)

    def do_POST(self):
        self._answer(b"{{{ not a token")

    def _answer(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(params=[False, True], ids=["junk-discovery", "junk-token"])
def junk_server(request):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Junk)
    server.valid_discovery = request.param
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_provider_answering_garbage_gets_a_clear_page(client, caplog, junk_server):
    configure(f"http://127.0.0.1:{junk_server.server_port}", only={"stm"})
    response = client.post("/accounts/oidc/stm/login/", HTTP_ACCEPT_LANGUAGE="fi")
    if junk_server.valid_discovery:
        # Sent on to its authorisation page; it "answers" with a code, then junk tokens.
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        response = client.get(f"/accounts/oidc/stm/login/callback/?code=x&state={state}")
    refused_in(response, caplog, "provider_error")
    assert User.objects.count() == 0


def test_the_sign_in_speaks_the_language_of_the_login_page(client, provider, caplog):
    """The provider's addresses have no language prefix: the button's page decides."""
    configure(provider.issuer)
    response = client.post(
        "/accounts/oidc/stm/login/", {"language": "sv"}, HTTP_ACCEPT_LANGUAGE="fi"
    )
    callback = through_provider(response["Location"], "ulkopuolinen", "http://testserver")
    response = client.get(callback.removeprefix("http://testserver"), HTTP_ACCEPT_LANGUAGE="fi")
    refused_in(response, caplog, "domain")
    assert in_language(response, "sv")


def test_the_login_page_offers_each_provider_and_allows_its_origin(client, provider):
    configure(provider.issuer)
    response = client.get("/fi/accounts/login/")
    body = response.content.decode()
    for provider_id in CLIENTS:
        assert f'action="/accounts/oidc/{provider_id}/login/"' in body
    assert organisation("STM").name_fi in body
    assert provider.issuer in response["Content-Security-Policy"]
