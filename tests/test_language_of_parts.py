"""Language of parts on staff and region pages (issue 18, point 3, WCAG 3.1.2): the
protocol's own text carries the protocol's lang, as it does on the public page, so a
screen reader on a Swedish page reads a Finnish protocol as Finnish."""

from html.parser import HTMLParser

import pytest

from minutes import services
from tests.factories import NegotiationFactory, region

pytestmark = pytest.mark.django_db

HEADING = "Pelastustoimi"
BODY = "Palotarkastukset jatkuvat."
COMMENT = "Korjatkaa lukua kaksi."


def languages_of(body: str, text: str) -> set[str]:
    """The lang around every occurrence of `text` in the page's text (the <title> aside:
    it cannot mark a part)."""

    class Languages(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack, self.found = [], set()

        def handle_starttag(self, tag, attrs):
            if tag not in ("br", "img", "input", "link", "meta", "hr"):
                own = dict(attrs).get("lang")
                self.stack.append((tag, own or (self.stack[-1][1] if self.stack else "")))

        def handle_endtag(self, tag):
            while self.stack and self.stack.pop()[0] != tag:
                pass

        def handle_data(self, data):
            if text in data and not any(tag == "title" for tag, _ in self.stack):
                self.found.add(self.stack[-1][1])

    parser = Languages()
    parser.feed(body)
    assert parser.found, f"{text!r} not on the page"
    return parser.found


@pytest.fixture
def version(official):
    negotiation = NegotiationFactory(region=region("vantaa-kerava"), chair=official)
    negotiation.agenda_items.create(position=1, title=HEADING)
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    section = minutes.sections.get()
    services.minutes_save_text(
        minutes=minutes, by=official, expected_revision=minutes.revision,
        participants="- Sanna Ministeri, STM", sections={section.pk: BODY},
    )  # fmt: skip
    return services.minutes_send_for_review(minutes=minutes, by=official)


def assert_finnish(body, *texts):
    for text in texts:
        assert languages_of(body, text) == {"fi"}, text


def test_a_finnish_protocol_is_marked_finnish_on_swedish_staff_pages(
    client, official, staff_a, version
):
    minutes = version.minutes
    services.comment_add(version=version, section=minutes.sections.get(), by=staff_a, body=COMMENT)
    base = f"/sv/workspace/minutes/{minutes.pk}/"
    negotiation = f"/sv/workspace/negotiations/{minutes.negotiation_id}/"

    client.force_login(staff_a)
    assert_finnish(client.get(negotiation).content.decode(), HEADING)
    page = client.get(f"{base}versions/{version.number}/").content.decode()
    assert_finnish(page, HEADING, BODY, COMMENT)

    client.force_login(official)
    # The official's page also offers the agenda items in the material form's select.
    official_page = client.get(negotiation).content.decode()
    assert "<option" in official_page and HEADING in official_page
    assert_finnish(official_page, HEADING)
    assert_finnish(client.get(f"{negotiation}agenda/").content.decode(), HEADING)
    page = client.get(f"{base}versions/{version.number}/reconciliation/").content.decode()
    assert_finnish(page, HEADING, COMMENT)
    services.minutes_start_revision(minutes=minutes, by=official)
    editor = client.get(f"{base}edit/").content.decode()
    assert '<html lang="sv">' in editor
    assert_finnish(editor, HEADING, BODY)
