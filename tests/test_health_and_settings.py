"""/healthz and the production settings guard, each checked in a fresh process where
the environment is the thing under test."""

import json

import pytest

from tests.conftest import run_python
from tests.helpers import DEPLOY_CHECK, PRODUCTION

HEALTHZ = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/healthz", HTTP_HOST="localhost")
print(json.dumps({"status": response.status_code, "type": response["Content-Type"],
                  "body": response.content.decode()}))
"""


def healthz_in_process(env):
    result = run_python(HEALTHZ, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_healthz_all_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert set(data["checks"]) == {"database", "cache", "broker"}
    assert all(check["ok"] for check in data["checks"].values())
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.slow  # a fresh Python process
def test_healthz_database_down_is_503_json_without_traceback(tmp_path):
    out = healthz_in_process(
        {"DATABASE_URL": "postgres://portal:hunter2-secret@127.0.0.1:9/steering"}
    )
    assert out["status"] == 503
    assert out["type"] == "application/json"
    body = json.loads(out["body"])
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["cache"]["ok"] is True
    assert "Traceback" not in out["body"]
    assert "hunter2-secret" not in out["body"]
    assert "127.0.0.1" not in out["body"]


@pytest.mark.slow  # a fresh Python process
def test_healthz_broker_down_is_503(tmp_path):
    out = healthz_in_process(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'health.sqlite3'}",
            "CELERY_BROKER_URL": "redis://127.0.0.1:9/0",
        }
    )
    assert out["status"] == 503
    body = json.loads(out["body"])
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_healthz_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.slow  # a fresh Python process
@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "portal.example.fi",
    }
    env.pop(missing)
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} must be set when DJANGO_ENV=production" in result.stderr


@pytest.mark.slow  # a fresh Python process
def test_production_refuses_debug():
    result = run_python(
        "import django; django.setup()",
        {
            "DJANGO_ENV": "production",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "portal.example.fi",
            "DEBUG": "1",
        },
    )
    assert result.returncode != 0
    assert "DEBUG must not be on" in result.stderr


@pytest.mark.slow  # a fresh Python process
def test_production_passes_the_deployment_checklist():
    result = run_python(DEPLOY_CHECK, PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow  # a fresh Python process
def test_the_checklist_refuses_a_page_cache_each_process_keeps_to_itself():
    """With several web processes, a withdrawn protocol would stay visible in the others."""
    result = run_python(DEPLOY_CHECK, {**PRODUCTION, "CACHE_URL": "", "PUBLIC_CACHE_URL": None})
    assert result.returncode != 0
    assert "minutes.W001" in result.stdout + result.stderr
    fine = run_python(
        DEPLOY_CHECK,
        {**PRODUCTION, "CACHE_URL": "", "PUBLIC_CACHE_URL": None, "PUBLIC_PAGE_CACHE": "0"},
    )
    assert fine.returncode == 0, fine.stdout + fine.stderr


SETTINGS_READ = (
    "from django.conf import settings as s; "
    "print(s.DEBUG, s.PRODUCTION, s.SESSION_COOKIE_SECURE, s.SECRET_KEY.startswith('local-only'))"
)


@pytest.mark.slow  # a fresh Python process
def test_without_django_env_the_settings_are_production_and_need_a_key():
    """A deployment that forgets DJANGO_ENV must neither debug nor sign with the public key."""
    refused = run_python(SETTINGS_READ, {"DJANGO_ENV": None, "SECRET_KEY": None, "DEBUG": None})
    assert refused.returncode != 0
    assert "SECRET_KEY must be set" in refused.stderr
    started = run_python(
        SETTINGS_READ,
        {"DJANGO_ENV": None, "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "portal.example.fi",
         "DEBUG": None},
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    assert started.stdout.split() == ["False", "True", "True", "False"]


@pytest.mark.slow  # a fresh Python process
def test_debug_and_the_local_key_only_with_django_env_local():
    result = run_python(SETTINGS_READ, {"DJANGO_ENV": "local", "SECRET_KEY": None, "DEBUG": None})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "False", "True"]


@pytest.mark.slow  # a fresh Python process
def test_local_needs_nothing_but_django_env():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, "
        "s.STORAGES['default']['BACKEND'])",
        {"DATABASE_URL": None, "CELERY_BROKER_URL": None, "CACHE_URL": ""},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.files.storage.FileSystemStorage",
    ]
