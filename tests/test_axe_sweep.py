"""axe-core (WCAG 2.1 A and AA) on every HTML page the portal has, in Finnish and Swedish,
as the public, a region's staff, an official and the administrator, and on each page's
forms after an empty submit.

The audit list comes from the URL resolver (as in test_security_suite.py), filled with the
ids of real objects: a new view is swept without touching this file.
"""

import re
import time

import pytest
from django.urls import get_resolver

from minutes import services
from minutes.models import Comment, Minutes, Publication, TrackedItem
from negotiations.models import AgendaItem, Document, Negotiation, Round
from tests.browser import WCAG
from tests.cycle_helpers import first_year, negotiation_with_agenda
from tests.helpers import walk

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LANGUAGES = ("fi", "sv")
# Django's own admin is not our template set: what axe finds there (breadcrumb links told
# apart by colour, a help symbol's attribute, the login form's browser validation) is in
# Django's templates and named in the accessibility statement; tests/test_admin_language.py
# checks the labels we control. The API and files answer no HTML.
SKIPPED = ("admin/", "fi/admin/", "static/", "media/", "api/", "fi/accounts/logout/")
SLUGS = ("vantaa-kerava", "lappi")

# The forms of a page worth submitting empty: posted, with something to fill in (a form of
# buttons alone is an action, not a form in an error state).
FORMS = """() => [...document.querySelectorAll('main form')]
  .map((form, index) => ({index, action: form.getAttribute('action') || '',
    method: (form.getAttribute('method') || 'get').toLowerCase(),
    fields: form.querySelectorAll('textarea, input:not([type=hidden]):not([type=submit])'
      + ':not([type=checkbox]):not([type=radio])').length}))
  .filter(form => form.method === 'post' && form.fields > 0)"""
EMPTY_AND_SUBMIT = """index => { const form = document.querySelectorAll('main form')[index];
  for (const details of document.querySelectorAll('details')) details.open = true;
  for (const field of form.querySelectorAll('textarea, input[type=text], input[type=email],'
      + 'input[type=number], input[type=date], input[type=password], input[type=url],'
      + 'input:not([type])')) field.value = '';
  const button = form.querySelector('button[type=submit], button:not([type]),'
      + 'input[type=submit]');
  if (button) button.click(); else form.requestSubmit(); }"""

# Violations found by the sweep that are not fixed here, each with why (never hidden):
# {(rule id, page pattern): reason}. Empty: every one found was fixed.
KNOWN = {}


def sample_data(official, staff_a):
    """A published protocol with its follow-up items, a version under review with a
    comment and an answer, and next year's negotiation with its agenda."""
    first_year(official, year=2090)
    negotiation = negotiation_with_agenda(official, year=2091)
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    version = services.minutes_send_for_review(minutes=minutes, by=official)
    section = minutes.sections.order_by("position").first()
    services.comment_add(version=version, section=section, by=staff_a, body="Kommentti")


def candidates():
    ints = set()
    for model in (Negotiation, Minutes, Round, AgendaItem, Document, Publication, Comment):
        ints.update(model.objects.values_list("pk", flat=True))
    ints.update(TrackedItem.objects.values_list("pk", flat=True))
    ints.update((1, 2))  # version numbers
    return sorted(ints)


def concrete(route, ints):
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    if "(" in route or any(kind == "path" for kind, _ in params):
        return
    choices = [SLUGS if kind in ("slug", "str") else ints for kind, _ in params]

    def fill(url, rest):
        if not rest:
            yield "/" + url
            return
        for value in rest[0]:
            yield from fill(re.sub(r"<(?:\w+:)?\w+>", str(value), url, count=1), rest[1:])

    yield from fill(route, choices)


def audit_list(client, people):
    """For each person, one page per URL pattern that answers them 200 with HTML."""
    ints = candidates()
    routes = sorted(
        {r for r in walk(get_resolver().url_patterns) if not r.lstrip("^").startswith(SKIPPED)}
    )
    pages = {}
    for who, user in people:
        client.logout()
        if user is not None:
            client.force_login(user)
        found = []
        for route in routes:
            for url in concrete(route, ints):
                response = client.get(url)
                if response.status_code == 200 and response.get("Content-Type", "").startswith(
                    "text/html"
                ):
                    found.append((route, url))
                    break
        pages[who] = found
    client.logout()
    return pages


def violations(page, axe, pattern):
    result = axe.run(page, options=WCAG)
    return [
        (v["id"], pattern, page.url, [n["target"] for n in v["nodes"]][:3])
        for v in result.response["violations"]
        if (v["id"], pattern) not in KNOWN
    ]


def test_axe_on_every_page_and_every_form_in_its_error_state(
    live_server,
    browser,
    client,
    official,
    staff_a,
    administrator,
):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    started = time.monotonic()
    sample_data(official, staff_a)
    people = (
        ("anonymous", None),
        ("region staff", staff_a),
        ("official", official),
        ("administrator", administrator),
    )
    pages = audit_list(client, people)
    listed = time.monotonic() - started
    assert len(pages["official"]) > 30, pages["official"]  # the walk found the pages
    axe = Axe()
    found, runs, summarised = [], 0, 0
    error_states = []
    for who, user in people:
        context = browser.new_context()
        if user is not None:
            client.force_login(user)
            context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value,
                  "url": live_server.url}]
            )  # fmt: skip
        page = context.new_page()
        for language in LANGUAGES:
            for route, url in pages[who]:
                page.goto(live_server.url + url.replace("/fi/", f"/{language}/", 1))
                found += violations(page, axe, route)
                runs += 1
                if language == LANGUAGES[0]:
                    seen = set()
                    for form in page.evaluate(FORMS):
                        shape = re.sub(r"\d+", "N", form["action"])
                        if shape not in seen:
                            seen.add(shape)
                            error_states.append((route, url, form["index"]))
        # Forms last: an empty submit that is accepted may change what the pages show.
        for language in LANGUAGES:
            for route, url, index in error_states:
                page.goto(live_server.url + url.replace("/fi/", f"/{language}/", 1))
                forms = page.evaluate("document.querySelectorAll('main form').length")
                if index >= forms:
                    continue
                pattern = f"{route} (form {index} submitted empty)"
                try:
                    with page.expect_navigation(timeout=5000):
                        page.evaluate(EMPTY_AND_SUBMIT, index)
                except PlaywrightTimeout:
                    # The browser kept the form back with messages of its own.
                    found.append(("browser-validation", pattern, page.url, []))
                    continue
                summarised += page.locator("#error-summary").count()
                found += violations(page, axe, pattern)
                runs += 1
        error_states.clear()
        context.close()
    elapsed = time.monotonic() - started
    print(f"axe sweep: {runs} runs in {elapsed:.0f} s (the audit list {listed:.0f} s)")
    print(f"{summarised} forms submitted empty came back with an error summary")
    assert summarised > 10  # the error states were reached, not only the plain pages
    report = sorted({f"{rule} on {pattern}: {url} {nodes}" for rule, pattern, url, nodes in found})
    assert not report, "\n".join(report)
