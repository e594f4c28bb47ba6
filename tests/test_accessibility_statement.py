"""The accessibility statement has the parts the Act on the Provision of Digital Services
(306/2019) requires, in each language, and production refuses a feedback address that
reaches no one."""

import re

import pytest
from django.core.checks import run_checks

from tests.conftest import run_python
from tests.helpers import DEPLOY_CHECK, PRODUCTION

pytestmark = pytest.mark.django_db

SUPERVISORS = {
    "fi": ("Etelä-Suomen aluehallintovirasto", "https://www.saavutettavuusvaatimukset.fi/"),
    "sv": ("Regionförvaltningsverket i Södra Finland", "https://www.tillganglighetskrav.fi/"),
    "en": (
        "Regional State Administrative Agency for Southern Finland",
        "https://www.webaccessibility.fi/",
    ),
}
DATES = {
    "fi": ("24. marraskuuta 2026", "2. joulukuuta 2026"),
    "en": ("24 November 2026", "2 December 2026"),
}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_statement_names_the_supervising_authority_in_its_language(client, language):
    body = client.get(f"/{language}/accessibility/").content.decode()
    supervisor = re.search(r'<address id="supervisor">(.*?)</address>', body, re.S).group(1)
    name, website = SUPERVISORS[language]
    assert name in supervisor
    assert f'href="{website}"' in supervisor
    assert "mailto:" in supervisor and "0295 016 000" in supervisor
    others = [url for code, (_, url) in SUPERVISORS.items() if code != language]
    assert not any(url in body for url in others)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_statement_gives_the_feedback_address_dates_and_what_is_not_accessible(
    client, settings, language
):
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = "saavutettavuus@ohjausneuvottelut.example.fi"
    body = client.get(f"/{language}/accessibility/").content.decode()
    assert 'href="mailto:saavutettavuus@ohjausneuvottelut.example.fi"' in body
    assert "2026" in body
    for day in DATES.get(language, ()):
        assert day in body
    section = re.search(r'<h2 id="not-accessible">.*?</ul>', body, re.S)
    assert section and section.group().count("<li>") >= 1


def _check_errors(settings, address):
    settings.PRODUCTION = True
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = address
    return [m.id for m in run_checks(include_deployment_checks=True) if m.id == "steering.E001"]


@pytest.mark.parametrize(
    "address", ["", "saavutettavuus@localhost", "palaute@LOCALHOST.", "a@portal.localhost", "x"]
)
def test_production_refuses_a_feedback_address_that_reaches_no_one(settings, address):
    assert _check_errors(settings, address) == ["steering.E001"]


def test_production_accepts_a_real_feedback_address(settings):
    assert _check_errors(settings, "saavutettavuus@ohjausneuvottelut.example.fi") == []


def test_local_default_needs_no_feedback_address(settings):
    settings.PRODUCTION = False
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = "saavutettavuus@localhost"
    assert not [m for m in run_checks(include_deployment_checks=True) if m.id == "steering.E001"]


@pytest.mark.slow  # a fresh Python process
def test_deployment_checklist_refuses_production_without_the_address():
    result = run_python(DEPLOY_CHECK, {**PRODUCTION, "ACCESSIBILITY_FEEDBACK_EMAIL": None})
    assert result.returncode != 0
    assert "steering.E001" in result.stdout + result.stderr
