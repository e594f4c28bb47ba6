"""Helpers of the browser tests (Chromium through Playwright); the `browser` fixture is
in conftest.py, and marks every test that uses it `browser`."""

import re
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


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


class Steps:
    """Runs named steps; a failure names its step and leaves a screenshot behind."""

    def __init__(self, language):
        self.language = language
        self.page = None
        self.accessibility = []
        ARTIFACTS.mkdir(exist_ok=True)

    @contextmanager
    def step(self, name, page):
        self.page = page
        started = time.monotonic()
        try:
            yield
        except BaseException as error:
            if isinstance(error, KeyboardInterrupt):
                raise
            self.shot(f"{name}-FAILED")
            pytest.fail(
                f"[{self.language}] step {name!r} failed at {page.url} after "
                f"{time.monotonic() - started:.1f} s: {type(error).__name__}: {error}",
                pytrace=True,
            )
        self.shot(name)
        self.audit(name, page)

    def audit(self, name, page):
        """axe-core (WCAG 2.1 A/AA) on the page each step ends on; collected, then asserted
        once at the end so that one run shows every problem."""
        from axe_playwright_python.sync_playwright import Axe

        if not page.url.startswith("http") or page.url.endswith((".atom", ".pdf")):
            return
        result = Axe().run(page, options=WCAG)
        for violation in result.response["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            self.accessibility.append(f"{name} {page.url}: {violation['id']} {targets}")

    def shot(self, name):
        path = ARTIFACTS / f"e2e-{self.language}-{name}.png"
        # A screenshot that cannot be taken must never hide the real failure.
        with suppress(Exception):
            self.page.screenshot(path=str(path), full_page=True)


def login(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/workspace/"))


def submit(page, selector):
    """Click a submit button and wait for the page the POST leads to."""
    with page.expect_navigation():
        page.click(selector)


def confirm(page):
    """The confirmation page names what will happen; it is confirmed with the keyboard."""
    assert page.locator("#confirm-what").count() == 1, "no confirmation step"
    page.focus("main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def no_form_errors(page):
    errors = page.locator(".invalid-feedback, .alert-danger, .errorlist")
    assert errors.count() == 0, errors.all_inner_texts()
