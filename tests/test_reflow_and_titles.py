"""Issue 18, points 2, 6 and 7: no page scrolls sideways at 320 px (WCAG 1.4.10), each
page's title is its own in each language (2.4.2), controls repeated per section say
which section they belong to (2.4.6), and text holds 4.5:1 against its background (1.4.3)."""

import re
from datetime import timedelta

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from minutes import services
from minutes.models import MinutesVersion, OutcomeKind, Responsible
from minutes.services import outcomes
from negotiations.models import AgendaRole
from tests.browser import login
from tests.cycle_helpers import approve_and_publish, negotiation_with_agenda, section

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# A Finnish compound as long as real ones get: it must wrap, not widen the page.
LONG_WORD = "sosiaalihuoltolainsäädäntöuudistustyöryhmäsuunnitelmaluonnoskommenttikierros"
WIDE = "() => document.documentElement.scrollWidth"
# What sticks out: boxes whose content is wider than they are and that do not scroll it.
CULPRITS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
  .filter(el => getComputedStyle(el).overflowX === 'visible')
  .slice(-6).map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.')
                 + ' ' + el.scrollWidth)"""
COLOR_CONTRAST = {"runOnly": {"type": "rule", "values": ["color-contrast"]}}


def minutes_with_items(official, *, year, slug="vantaa-kerava"):
    """Draft minutes whose sections, items and follow-up action hold long words."""
    negotiation = negotiation_with_agenda(official, year=year, slug=slug)
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    services.minutes_save_text(
        minutes=minutes, by=official, expected_revision=minutes.revision,
        participants=f"- Sanna Ministeri, STM\n- {LONG_WORD}",
        sections={s.pk: f"Käsiteltiin {LONG_WORD}. Talous on tasapainossa."
                  for s in minutes.sections.all()},
    )  # fmt: skip
    conclusions = section(minutes, AgendaRole.CONCLUSIONS)
    due = timezone.localdate() + timedelta(days=90)
    for kind, text in [
        (OutcomeKind.RECOMMENDATION, f"Palveluverkkoa tiivistetään ({LONG_WORD})."),
        (OutcomeKind.FOLLOW_UP, f"Investointisuunnitelma toimitetaan: {LONG_WORD}."),
        (OutcomeKind.CONCLUSION, "Talous on tasapainossa."),
    ]:
        outcomes.outcome_add(
            minutes=minutes, by=official, section=conclusions, kind=kind, text=text,
            responsible=Responsible.REGION, due_date=due,
        )  # fmt: skip
    return minutes


def published(official):
    """A published protocol; its versions also carry the follow-up actions table of the
    versions frozen before outcome items existed."""
    minutes = minutes_with_items(official, year=2030)
    publication = approve_and_publish(official, minutes)
    for version in minutes.versions.all():
        actions = [{"text": f"Selvitetään {LONG_WORD}.", "responsible": "Hyvinvointialue",
                    "due_date": "2031-06-30"}]  # fmt: skip
        # Frozen versions refuse writes; a plain queryset stands in for an old version.
        QuerySet(MinutesVersion).filter(pk=version.pk).update(
            snapshot={**version.snapshot, "actions": actions}
        )
    return publication


def sideways(page, url) -> list[str]:
    page.goto(url)
    width = page.evaluate(WIDE)
    return [f"{url} is {width} px wide: {page.evaluate(CULPRITS)}"] if width > 320 else []


def low_contrast(page) -> list[str]:
    """axe-core's colour-contrast rule alone, on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options=COLOR_CONTRAST)
    return [
        f"{page.url}: {node['target']} {node.get('any', [{}])[0].get('message', '')}"
        for violation in result.response["violations"]
        for node in violation["nodes"]
    ]


def test_no_page_scrolls_sideways_at_320_px_nor_lacks_contrast(
    live_server,
    browser,
    official,
    staff_a,
):
    publication = published(official)
    version = publication.version
    draft = minutes_with_items(official, year=2031, slug="lappi")
    base = f"{live_server.url}/fi"
    problems = []
    for user, paths in [
        (None, [f"/protocols/{publication.pk}/"]),
        (staff_a, [f"/workspace/minutes/{version.minutes_id}/versions/{n}/" for n in (1, 2)]),
        (official, [
            f"/workspace/rounds/{version.minutes.negotiation.round_id}/",
            f"/workspace/minutes/{draft.pk}/edit/",
            f"/workspace/minutes/{draft.pk}/preview/",
        ]),
    ]:  # fmt: skip
        context = browser.new_context(viewport={"width": 320, "height": 640})
        page = context.new_page()
        if user:
            login(page, base, user)
        for path in paths:
            problems += sideways(page, base + path)
            problems += low_contrast(page)
        context.close()
    assert not problems, problems


# --- Page titles and control names (2.4.2, 2.4.6) -------------------------------------------

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def title_pages(official):
    """For two regions' negotiations (one published, one in revision after a review), every
    page about them, as the official reaches them."""
    publication = published(official)
    revised = minutes_with_items(official, year=2031, slug="lappi")
    services.minutes_send_for_review(minutes=revised, by=official)
    services.minutes_start_revision(minutes=revised, by=official)
    paths = []
    for minutes in (publication.version.minutes, revised):
        negotiation = minutes.negotiation
        slug = negotiation.region.slug
        paths += [
            f"/regions/{slug}/",
            f"/workspace/regions/{slug}/",
            f"/workspace/rounds/{negotiation.round_id}/",
            f"/workspace/negotiations/{negotiation.pk}/",
            f"/workspace/negotiations/{negotiation.pk}/agenda/",
            *(f"/workspace/negotiations/{negotiation.pk}/agenda/items/{item.pk}/"
              for item in negotiation.agenda_items.all()[:2]),
            f"/workspace/minutes/{minutes.pk}/",
            f"/workspace/minutes/{minutes.pk}/history/",
            f"/workspace/minutes/{minutes.pk}/versions/1/",
            f"/workspace/minutes/{minutes.pk}/versions/1/reconciliation/",
        ]  # fmt: skip
    paths += [
        f"/protocols/{publication.pk}/",
        f"/workspace/minutes/{publication.version.minutes_id}/versions/2/",
        f"/workspace/minutes/{publication.version.minutes_id}/diff/?from=1&to=2",
        f"/workspace/minutes/{revised.pk}/edit/",
        f"/workspace/minutes/{revised.pk}/preview/",
    ]
    return paths


def test_every_page_has_its_own_title_in_finnish_and_swedish(client, official):
    paths = title_pages(official)
    client.force_login(official)
    titles = {}
    for language in ("fi", "sv"):
        for path in paths:
            response = client.get(f"/{language}{path}")
            assert response.status_code == 200, (path, response.status_code)
            title = " ".join(TITLE.search(response.content.decode()).group(1).split())
            titles.setdefault(title, []).append(f"/{language}{path}")
    shared = {title: where for title, where in titles.items() if len(where) > 1}
    assert not shared, shared


ROLES = re.compile(r'^\s*- (textbox|combobox|button|checkbox|radio) "([^"]*)"', re.M)


def control_names(page) -> list[str]:
    return [f"{role} {name}" for role, name in ROLES.findall(page.locator("main").aria_snapshot())]


def test_controls_repeated_per_section_name_their_section(
    live_server,
    browser,
    official,
    staff_a,
):
    minutes = minutes_with_items(official, year=2030)
    version = services.minutes_send_for_review(minutes=minutes, by=official)
    # Two comments on one section: each one's answer and publicity controls must still
    # say which comment they are for.
    for body in ("Aikataulu on tiukka.", "Rahoitus puuttuu."):
        services.comment_add(
            version=version, by=staff_a, section=section(minutes, AgendaRole.CONCLUSIONS),
            body=body,
        )  # fmt: skip
    base = f"{live_server.url}/en"
    path = f"/workspace/minutes/{minutes.pk}/versions/{version.number}/"
    for user in (staff_a, official):
        context = browser.new_context()
        page = context.new_page()
        login(page, base, user)
        page.goto(base + path)
        for details in page.locator("main details").all():
            details.evaluate("el => el.open = true")
        assert not low_contrast(page), low_contrast(page)
        names = control_names(page)
        assert names, "no controls found"
        repeated = sorted({name for name in names if names.count(name) > 1})
        assert not repeated, f"{user}: {repeated}"
        if user == staff_a:
            main = page.locator("main")
            assert main.get_by_text("Comment on section 2: Talous", exact=True).count() == 1
            for role, name in [
                ("textbox", "Comment on section 2: Talous"),
                ("button", "Send the comment on section 2: Talous"),
            ]:
                assert main.get_by_role(role, name=name, exact=True).count() == 1, name
        else:
            assert (
                page.get_by_role(
                    "textbox", name="Internal note on section 2: Talous", exact=True
                ).count()
                == 1
            )
        context.close()
