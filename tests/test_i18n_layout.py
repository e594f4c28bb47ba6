"""Language prefixes, the switcher and the accessible skeleton of every page."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "heading", "skip"),
    [
        ("fi", "Ohjausneuvottelut", "Siirry sisältöön"),
        ("sv", "Styrningsförhandlingar", "Gå till innehållet"),
        ("en", "Steering negotiations", "Skip to content"),
    ],
)
def test_prefixes_serve_translated_pages(client, prefix, heading, skip):
    response = client.get(f"/{prefix}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{prefix}">' in body
    assert f"<h1>{heading}</h1>" in body
    assert skip in body
    assert response["Content-Language"] == prefix


def test_region_names_follow_the_language(client):
    assert "Österbottens välfärdsområde" in client.get("/sv/regions/pohjanmaa/").content.decode()
    assert "Pohjanmaan hyvinvointialue" in client.get("/fi/regions/pohjanmaa/").content.decode()


@pytest.mark.parametrize("path", ["/de/", "/xx/regions/lappi/", "/fi-fi/", "/fi/no-such-page/"])
def test_unknown_prefix_or_page_is_404(client, path):
    assert client.get(path).status_code == 404


def test_root_redirects_to_finnish_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fi/"


def test_root_follows_the_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="sv-FI,sv;q=0.9")
    assert response["Location"] == "/sv/"


def test_language_switcher_links_to_the_same_page(client):
    body = client.get("/fi/regions/lappi/").content.decode()
    switcher = body[body.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    assert 'href="/sv/regions/lappi/" lang="sv" hreflang="sv"' in switcher
    assert 'href="/en/regions/lappi/" lang="en" hreflang="en"' in switcher
    assert 'aria-current="true"' in switcher
    assert "Svenska" in switcher and "English" in switcher and "Suomi" in switcher


@pytest.mark.parametrize(
    "path",
    [
        "/fi/",
        "/sv/accessibility/",
        "/en/accounts/login/",
        "/fi/regions/hus/",
        "/sv/accounts/password-reset/",
    ],
)
def test_page_skeleton_is_accessible(client, path):
    body = client.get(path).content.decode()
    # The skip link is the first focusable element and points at <main>.
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'href="#content"' in first_link
    assert body.count("<main") == 1
    assert '<main id="content"' in body
    assert body.count("<h1") == 1
    assert 'href="/' + path.split("/")[1] + '/accessibility/"' in body
    assert "<title>" in body and "</title>" in body


def test_accessibility_statement_says_how_to_give_feedback(client, settings):
    body = client.get("/fi/accessibility/").content.decode()
    assert f'href="mailto:{settings.ACCESSIBILITY_FEEDBACK_EMAIL}"' in body
    assert "saavutettavuusvaatimukset.fi" in body


def test_no_inline_script_or_style(client, official):
    client.force_login(official)
    for path in ("/fi/", "/fi/workspace/", "/fi/accounts/login/"):
        body = client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), path
        assert "<style" not in body and " style=" not in body, path
