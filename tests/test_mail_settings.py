"""EMAIL_URL configures mail; the variables it replaced refuse to start rather than send
to localhost without a word."""

import json

import pytest

from tests.conftest import run_python

READ = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, "
    "s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL]))"
)
SMTP = "django.core.mail.backends.smtp.EmailBackend"
UNSET = {"EMAIL_URL": None, "EMAIL_BACKEND": None, "EMAIL_HOST": None}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (None, ["django.core.mail.backends.console.EmailBackend", "localhost", 25, "", "",
                False, False]),
        ("smtp+tls://portal:p%40ss@smtp.example.fi:587",
         [SMTP, "smtp.example.fi", 587, "portal", "p@ss", True, False]),
        ("smtp+ssl://smtp.example.fi", [SMTP, "smtp.example.fi", 465, "", "", False, True]),
        ("smtp://127.0.0.1:2525", [SMTP, "127.0.0.1", 2525, "", "", False, False]),
    ],
)  # fmt: skip
def test_email_url_configures_the_mail(url, expected):
    result = run_python(READ, {**UNSET, "EMAIL_URL": url})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == expected


def test_the_old_host_variable_alone_refuses_to_start():
    result = run_python(READ, {**UNSET, "EMAIL_HOST": "smtp.example.fi"})
    assert result.returncode != 0
    assert "EMAIL_URL" in result.stderr
