"""After a failed submit the reader starts at a summary of what went wrong: focus on it,
each error linked to its field, the page title saying so; the protocol filter says how
many it found; and no form leaves its messages to the browser (in the browser's language)."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from minutes import services
from tests.browser import login
from tests.factories import NegotiationFactory

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FORM_TAG = re.compile(r"<form\b[^>]*>", re.S)

SUMMARY_LINKS = """() => [...document.querySelectorAll('#error-summary a[href^="#"]')]
  .map(a => ({href: a.getAttribute('href'),
              target: !!document.getElementById(a.getAttribute('href').slice(1))}))"""


def test_every_form_in_the_templates_has_novalidate():
    missing = [
        f"{path.relative_to(TEMPLATES)}: {tag[:80]}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for tag in FORM_TAG.findall(path.read_text())
        if not re.search(r"\snovalidate[\s>]", tag)
    ]
    assert FORM_TAG.findall((TEMPLATES / "base.html").read_text())  # the grep sees forms
    assert not missing, missing


@pytest.mark.django_db
def test_the_protocol_filter_announces_its_count(client):
    page = client.get("/en/protocols/").content.decode()
    status = re.search(r'<[^>]+role="status"[^>]*>(.*?)</', page, re.S)
    assert status, "no role=status on the filter's result"
    assert "0" in status.group(1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_login_focuses_the_summary_and_names_the_error_in_the_title(
    live_server,
    browser,
):
    page = browser.new_page()
    page.goto(f"{live_server.url}/en/accounts/login/")
    title = page.title()
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.title() == f"Error: {title}"
    links = page.evaluate(SUMMARY_LINKS)
    assert {link["href"] for link in links} == {"#id_username", "#id_password"}
    assert all(link["target"] for link in links), links
    # The summary is the first thing in main, with or without the script.
    assert page.evaluate("document.querySelector('main').firstElementChild.id") == ("error-summary")
    # Following a link puts the reader in the field.
    page.click('#error-summary a[href="#id_password"]')
    assert page.evaluate("document.activeElement.id") == "id_password"
    # In Finnish the title's prefix is the translated one, whatever it is: not the English.
    page.goto(f"{live_server.url}/fi/accounts/login/")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    with translation.override("fi"):
        assert page.title().startswith(translation.gettext("Error:"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_empty_comment_is_summarised_with_a_link_to_its_textarea(
    live_server,
    browser,
    official,
    staff_a,
):
    negotiation = NegotiationFactory(chair=official)
    negotiation.agenda_items.create(position=1, title="Talous")
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    version = services.minutes_send_for_review(minutes=minutes, by=official)
    section = minutes.sections.get()
    page = browser.new_page()
    base = f"{live_server.url}/en"
    login(page, base, staff_a)
    page.goto(f"{base}/workspace/minutes/{minutes.pk}/versions/{version.number}/")
    page.click(f"#comment-form-{section.pk} summary")
    with page.expect_navigation():
        page.click(f"#comment-form-{section.pk} button[type=submit]")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.title().startswith("Error: ")
    links = page.evaluate(SUMMARY_LINKS)
    assert links == [{"href": f"#body-{section.pk}", "target": True}]


@pytest.mark.django_db
def test_the_follow_up_filter_announces_its_count(client, official):
    from tests.cycle_helpers import first_year

    first_year(official)
    client.force_login(official)
    page = client.get("/en/workspace/follow-up/overview/", {"kind": "recommendation"})
    status = re.search(r'<[^>]+role="status"[^>]*>(.*?)</', page.content.decode(), re.S)
    assert status, "no role=status on the filter's result"
    assert status.group(1).strip() == "2 items found."
