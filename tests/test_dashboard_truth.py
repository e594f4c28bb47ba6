"""The round dashboard tells the truth: a stage is late only when its own deadline has
passed, says in words what is late, and fits a 1280 px screen."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from negotiations.selectors import STAGE_LABELS, round_dashboard
from regions.models import Region
from tests.browser import ARTIFACTS
from tests.factories import PASSWORD, NegotiationFactory, RoundFactory, _at

MINUTES_STAGES = ("draft_minutes", "in_review", "approved", "published")


def _rows(round_):
    return {row.party.slug: row for row in round_dashboard(round_)}


@pytest.mark.django_db
def test_a_future_negotiation_shows_no_late_stage(client, official):
    today = timezone.localdate()
    # Even with the round's publication target already behind us, nothing can be late
    # for minutes of a meeting that has not been held.
    round_ = RoundFactory(
        material_deadline=today + timedelta(days=3),
        window_start=today - timedelta(days=30),
        publication_target=today - timedelta(days=1),
    )
    NegotiationFactory(round=round_, starts_at=_at(today + timedelta(days=10), 9))
    row = _rows(round_)["vantaa-kerava"]
    assert [name for name, stage in row.stages.items() if stage.late] == []
    assert not row.late
    # Nor for a party not yet scheduled: only its scheduling is late.
    lappi = _rows(round_)["lappi"]
    assert [name for name, stage in lappi.stages.items() if stage.late] == ["scheduled"]

    client.force_login(official)
    body = client.get(f"/fi/workspace/rounds/{round_.pk}/").content.decode()
    row_html = body[body.index("Vantaan ja Keravan") :].split("</tr>")[0]
    assert "stage-late" not in row_html
    assert 'class="row-late"' not in body[: body.index("Vantaan ja Keravan")].rsplit("<tr", 1)[1]


@pytest.mark.django_db
def test_a_held_negotiation_without_minutes_is_late_in_words(client, official):
    today = timezone.localdate()
    round_ = RoundFactory(
        material_deadline=today - timedelta(days=40),
        window_start=today - timedelta(days=35),
        publication_target=today - timedelta(days=1),
    )
    held = today - timedelta(days=30)
    NegotiationFactory(round=round_, starts_at=_at(held, 9))
    row = _rows(round_)["vantaa-kerava"]
    draft = row.stages["draft_minutes"]
    assert draft.late and draft.deadline == held + timedelta(days=7)
    assert row.stages["in_review"].late

    client.force_login(official)
    body = client.get(f"/fi/workspace/rounds/{round_.pk}/").content.decode()
    row_html = body[body.index("Vantaan ja Keravan") :].split("</tr>")[0]
    due = (held + timedelta(days=7)).strftime("%-d.%-m.")
    late_words = row_html.split('class="stage-list late-list">')[1].split("</ul>")[0]
    # In words, not colour alone: which stage, and when it was due.
    with translation.override("fi"):
        draft_label = str(STAGE_LABELS["draft_minutes"])
    assert draft_label in late_words and due in late_words, late_words
    assert str(STAGE_LABELS["published"]) not in late_words


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dashboard_fits_1280_px(live_server, browser, official):
    today = timezone.localdate()
    round_ = RoundFactory(
        material_deadline=today - timedelta(days=40),
        window_start=today - timedelta(days=35),
        publication_target=today - timedelta(days=1),
    )
    for index, region in enumerate(Region.objects.order_by("slug")[:12]):
        NegotiationFactory(
            round=round_, region=region, starts_at=_at(today + timedelta(days=index - 6), 9)
        )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/fi/accounts/login/")
    page.fill("#id_username", official.username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/workspace/")
    page.goto(f"{live_server.url}/fi/workspace/rounds/{round_.pk}/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-1280.png"), full_page=True)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1280
    # Nor inside: no table wider than the page's column, scrolled within its own box.
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('table.dashboard')].map(table => {
            const box = table.parentElement;
            return [table.scrollWidth, box.clientWidth];
        }).filter(([inner, outer]) => inner > outer)"""
    )
    assert overflowing == []


@pytest.mark.django_db
def test_demo_round_material_is_due_before_its_meetings():
    from django.core.management import call_command

    from negotiations.models import Round

    call_command("seed_demo")
    # Both demo rounds: last year's (closed) and this year's.
    assert Round.objects.count() == 2
    for round_ in Round.objects.all():
        first = min(n.starts_at for n in round_.negotiations.all())
        assert round_.material_deadline < timezone.localtime(first).date()
