"""Logging in and out, wrong credentials, throttling, password reset."""

import logging

import pytest
from axes.models import AccessAttempt
from django.core import mail

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/fi/accounts/login/"


def attempt(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_login_lands_in_the_own_workspace_and_logout(client, staff_a):
    response = attempt(client, staff_a.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/fi/workspace/"
    assert (
        client.get("/fi/workspace/")["Location"] == f"/fi/workspace/regions/{staff_a.region.slug}/"
    )

    response = client.post("/fi/accounts/logout/")
    assert response.status_code == 302
    assert client.get(f"/fi/workspace/regions/{staff_a.region.slug}/").status_code == 302


def test_wrong_password_and_unknown_user_get_the_same_message(client, staff_a):
    wrong_password = attempt(client, staff_a.username, "not-the-password").content.decode()
    unknown_user = attempt(client, "nobody-here", "not-the-password").content.decode()
    message = "syötä kelvollinen käyttäjätunnus ja salasana"
    assert message in wrong_password
    assert message in unknown_user
    # Neither page says which of the two was wrong.
    for body in (wrong_password, unknown_user):
        assert "ei ole olemassa" not in body
        assert "alert-danger" in body


def test_locks_after_repeated_failures_and_right_password_does_not_help(client, staff_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, staff_a.username, "wrong").status_code == 200
    locked = attempt(client, staff_a.username, "wrong")
    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    # Even the right password is refused while the lock holds.
    assert attempt(client, staff_a.username, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_forged_forwarded_for_does_not_escape_the_lock(client, staff_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, staff_a.username, "wrong")
    response = attempt(client, staff_a.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


def test_forged_forwarded_for_does_not_lock_out_others(client, staff_a, settings):
    # The attacker, from 192.0.2.66, claims to be the owner's address 198.51.100.7.
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        attempt(
            client,
            staff_a.username,
            "wrong",
            REMOTE_ADDR="192.0.2.66",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    owner = attempt(client, staff_a.username, PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert owner.status_code == 302
    assert not AccessAttempt.objects.filter(ip_address="198.51.100.7").exists()


def test_trusted_proxy_hop_is_believed_only_as_configured(client, staff_a, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # Behind one proxy the client is the right-most hop; the forged left part is ignored.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(
            client,
            staff_a.username,
            "wrong",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="198.51.100.7, 192.0.2.66",
        )
    assert AccessAttempt.objects.get().ip_address == "192.0.2.66"
    response = attempt(
        client,
        staff_a.username,
        PASSWORD,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.5, 192.0.2.66",
    )
    assert response.status_code == 429


def test_logs_hold_no_password_or_session_key(client, staff_a, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "Very-Secret-Guess-42"
    for _ in range(3):
        attempt(client, staff_a.username, secret)
    attempt(client, staff_a.username, PASSWORD)
    session_key = client.session.session_key
    assert session_key
    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    assert secret not in logged
    assert PASSWORD not in logged
    assert session_key not in logged
    stored = " ".join(f"{a.get_data} {a.post_data}" for a in AccessAttempt.objects.all())
    assert secret not in stored


def test_password_reset_sends_a_link_in_the_users_language(
    client, staff_a, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sv/accounts/password-reset/", {"email": staff_a.email})
    assert response["Location"] == "/sv/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff_a.email]
    assert "/sv/accounts/password-reset/" in message.body
    assert "lösenord" in message.body.lower()


def test_password_reset_for_unknown_address_looks_the_same(
    client, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fi/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/fi/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_password_reset_link_sets_a_new_password(
    client, staff_a, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/fi/accounts/password-reset/", {"email": staff_a.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link[link.index("/fi/") :].strip()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new_password = "uusi-pitka-salasana-2026"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response["Location"] == "/fi/accounts/password-reset/done/"
    staff_a.refresh_from_db()
    assert staff_a.check_password(new_password)
