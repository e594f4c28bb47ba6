"""Issue 18, points 2, 6 and 7: no page scrolls sideways at 320 px (WCAG 1.4.10), each
page's title is its own in each language (2.4.2), controls repeated per section say
which section they belong to (2.4.6), and text holds 4.5:1 against its background (1.4.3)."""

from datetime import timedelta

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from minutes import outcomes, services
from minutes.models import MinutesVersion, OutcomeKind, Responsible
from negotiations.models import AgendaRole
from tests.cycle_helpers import approve_and_publish, negotiation_with_agenda, section
from tests.test_browser_accessibility import browser  # noqa: F401 (a fixture)
from tests.test_end_to_end import login

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


def test_no_page_scrolls_sideways_at_320_px(live_server, browser, official, staff_a):  # noqa: F811
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
        ]),
    ]:  # fmt: skip
        context = browser.new_context(viewport={"width": 320, "height": 640})
        page = context.new_page()
        if user:
            login(page, base, user)
        for path in paths:
            problems += sideways(page, base + path)
        context.close()
    assert not problems, problems
