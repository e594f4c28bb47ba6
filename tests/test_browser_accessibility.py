"""Public and region pages in a real browser, checked with axe-core (WCAG 2.1 A and AA),
in Finnish and Swedish; every public link and filter reached with Tab, its focus visible;
and commenting on the minutes with the keyboard alone."""

import pytest

from minutes import services
from minutes.services import protocols, publishing
from tests.browser import check
from tests.factories import PASSWORD, NegotiationFactory, approved_version

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


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


# Every element that should take focus, and the one that has it, named the same way.
TAKES_FOCUS = 'a[href], select, input:not([type=hidden]), button, [tabindex]:not([tabindex="-1"])'
FOCUSABLE = f"""() => [...document.querySelectorAll('{TAKES_FOCUS}')]
  .filter(el => el.offsetParent !== null && !el.disabled)
  .map(el => el.outerHTML.slice(0, 160))"""
FOCUSED = """() => { const el = document.activeElement; const style = getComputedStyle(el);
  return {html: el.outerHTML.slice(0, 160), body: el === document.body,
          visible: style.outlineStyle !== 'none' || style.boxShadow !== 'none'}; }"""


def tab_through(page, limit=200) -> list[dict]:
    """Tab from the top of a freshly loaded page until focus leaves it; what took focus,
    in order."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        # Past the last element focus leaves the page (the body), then starts again.
        if seen and (focused["body"] or focused["html"] == seen[0]["html"]):
            break
        seen.append(focused)
    return seen


@pytest.mark.parametrize("path", ["/fi/protocols/", "/sv/", "/fi/search/?q=talous"])
def test_the_keyboard_reaches_every_public_link_and_filter_visibly(
    live_server, browser, official, path
):
    for slug in ("kainuu", "lappi"):
        publication = publishing.protocol_publish(
            minutes=approved_version(official, slug=slug, render=False).minutes, by=official
        )
    page = browser.new_page()
    page.goto(f"{live_server.url}{path}")
    reached = tab_through(page)
    missing = set(page.evaluate(FOCUSABLE)) - {item["html"] for item in reached}
    assert not missing, f"not reachable with Tab: {sorted(missing)[:5]}"
    invisible = [item["html"] for item in reached if not item["visible"]]
    assert not invisible, f"focus not visible on: {invisible[:5]}"
    assert f"/protocols/{publication.pk}/" in " ".join(item["html"] for item in reached)


def test_the_protocol_filters_work_with_the_keyboard_alone(live_server, browser, official):
    shown = publishing.protocol_publish(
        minutes=approved_version(official, slug="kainuu", render=False).minutes, by=official
    )
    hidden = publishing.protocol_publish(
        minutes=approved_version(official, slug="lappi", render=False).minutes, by=official
    )
    page = browser.new_page()
    page.goto(f"{live_server.url}/fi/protocols/")
    for _ in range(60):  # Tab to the region filter
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "f-region":
            break
    else:
        pytest.fail("the region filter cannot be reached with Tab")
    page.keyboard.type("Kainuu")  # a select takes the typed name of its option
    while page.evaluate("() => document.activeElement.type") != "submit":
        page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "region=kainuu" in page.url
    assert page.locator(f'a[href$="/protocols/{shown.pk}/"]').count() == 1
    assert page.locator(f'a[href$="/protocols/{hidden.pk}/"]').count() == 0
