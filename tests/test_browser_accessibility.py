"""Public and region pages in a real browser, checked with axe-core (WCAG 2.1 A and AA),
in Finnish and Swedish; and commenting on the minutes with the keyboard alone."""

import os
from pathlib import Path

import pytest

from minutes import protocols, publishing, services
from tests.conftest import need_service
from tests.factories import PASSWORD, NegotiationFactory
from tests.test_protocol_pdf import approved_version

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def browser():
    need_service("Chromium", Path(CHROMIUM).exists(), "apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between browser steps are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def check(page, name):
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    result = Axe().run(page, options=WCAG)
    problems = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result.response["violations"]
    ]
    assert not problems, f"{page.url}: {problems}"


def test_public_pages_pass_axe_in_finnish_and_swedish(live_server, browser, official):
    publication = publishing.protocol_publish(
        minutes=approved_version(
            official, sections={"Talous": "Talous on **tasapainossa**."}
        ).minutes,
        by=official,
    )
    protocols.protocol_render(publication.version.pk, "fi")
    page = browser.new_page()
    for language in ("fi", "sv"):
        for name, path in [
            ("front", "/"),
            ("list", "/protocols/?year=&region=vantaa-kerava"),
            ("protocol", f"/protocols/{publication.pk}/"),
            ("region", "/regions/vantaa-kerava/"),
            ("search", "/search/?q=talous"),
            ("accessibility", "/accessibility/"),
            ("login", "/accounts/login/"),
        ]:
            page.goto(f"{live_server.url}/{language}{path}")
            assert page.locator("html").get_attribute("lang") == language
            check(page, f"public-{language}-{name}")


def test_region_staff_comment_with_the_keyboard_alone(live_server, browser, official, staff_a):
    negotiation = NegotiationFactory(chair=official)
    negotiation.agenda_items.create(position=1, title="Talous")
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    version = services.minutes_send_for_review(minutes=minutes, by=official)
    page = browser.new_page()
    page.goto(f"{live_server.url}/fi/accounts/login/")
    page.fill("#id_username", staff_a.username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/workspace/regions/**")
    check(page, "region-workspace")
    page.goto(f"{live_server.url}/fi/workspace/negotiations/{negotiation.pk}/")
    check(page, "region-negotiation")
    page.goto(f"{live_server.url}/fi/workspace/minutes/{minutes.pk}/versions/{version.number}/")
    check(page, "region-version")
    # Keyboard only: Tab to the section's "comment" disclosure, open it, write, send.
    summary = page.locator("summary").first
    for _ in range(60):
        page.keyboard.press("Tab")
        if summary.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the comment disclosure cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the optional quote
    page.keyboard.type("Talous on tasapainossa.")
    page.keyboard.press("Tab")  # the comment itself
    page.keyboard.type("Alijäämä on vielä kattamatta.")
    page.keyboard.press("Tab")  # the send button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert version.comments.get().body == "Alijäämä on vielä kattamatta."
    check(page, "region-version-commented")
