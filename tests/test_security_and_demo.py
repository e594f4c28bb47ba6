import pytest
from django.core.management import call_command

from regions.demo import DEMO_PASSWORD
from regions.models import User
from regions.roles import Role, role_of

pytestmark = pytest.mark.django_db


def test_security_headers_on_every_page(client):
    response = client.get("/fi/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_forms_carry_csrf_and_refuse_posts_without_it(client, staff_a):
    from tests.factories import PASSWORD

    assert "csrfmiddlewaretoken" in client.get("/fi/accounts/login/").content.decode()
    strict = type(client)(enforce_csrf_checks=True)
    response = strict.post(
        "/fi/accounts/login/", {"username": staff_a.username, "password": PASSWORD}
    )
    assert response.status_code == 403


def test_session_cookie_is_http_only(client, staff_a):
    from tests.factories import PASSWORD

    response = client.post(
        "/fi/accounts/login/", {"username": staff_a.username, "password": PASSWORD}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_seed_demo_creates_one_login_per_role_and_is_idempotent(client, capsys):
    call_command("seed_demo")
    first = sorted(User.objects.values_list("username", "organisation__code", "region__slug"))
    call_command("seed_demo")
    assert (
        sorted(User.objects.values_list("username", "organisation__code", "region__slug")) == first
    )
    users = {user.username: user for user in User.objects.all()}
    roles = [role_of(user) for user in users.values()]
    assert roles.count(Role.OFFICIAL) == 3
    assert roles.count(Role.REGION_STAFF) == 3
    assert roles.count(Role.ADMINISTRATOR) == 1
    assert {user.organisation.code for user in users.values() if user.organisation} == {
        "STM",
        "VM",
        "SM",
    }
    printed = capsys.readouterr().out
    assert DEMO_PASSWORD in printed
    for username in users:
        assert username in printed
        response = client.post(
            "/fi/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        client.post("/fi/accounts/logout/")


def test_seed_demo_is_refused_in_production(settings):
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_shows_the_cycle_over_two_years():
    from django.utils import timezone

    from minutes.models import ItemAssessment, ItemReport, ItemStatus, Minutes, TrackedItem
    from negotiations.demo import default_template
    from negotiations.models import AgendaRole, Round

    call_command("seed_demo")
    counts = (TrackedItem.objects.count(), ItemReport.objects.count(), Minutes.objects.count())
    call_command("seed_demo")
    assert (
        TrackedItem.objects.count(),
        ItemReport.objects.count(),
        Minutes.objects.count(),
    ) == counts
    year = timezone.localdate().year
    previous = Round.objects.get(year=year - 1, kind=Round.Kind.REGION)
    current = Round.objects.get(year=year, kind=Round.Kind.REGION)
    assert previous.status == Round.Status.CLOSED
    assert current.is_open
    # Every date of a round lies in its own year, and last year's are all past.
    for day in (previous.material_deadline, previous.window_start, previous.window_end):
        assert day.year == year - 1
    assert all(
        timezone.localtime(n.starts_at).year == year - 1 for n in previous.negotiations.all()
    )
    # Both rounds use the shipped template, whose cycle items carry their roles.
    template = default_template()
    assert previous.agenda_template == current.agenda_template == template
    assert set(template.items.exclude(role="").values_list("role", flat=True)) == {
        AgendaRole.PREVIOUS_FOLLOW_UP,
        AgendaRole.CONCLUSIONS,
    }
    # Last year's protocols, Swedish one included, are followed in the ledger.
    made = TrackedItem.objects.filter(year=year - 1)
    assert {item.region.slug for item in made} >= {"vantaa-kerava", "pohjanmaa"}
    assert made.filter(language="sv").exists()
    assert made.exclude(due_date=None).exists() and made.exclude(topic=None).exists()
    assert ItemReport.objects.filter(item__in=made, by_ministry=False).exists()
    assert ItemReport.objects.filter(item__in=made, by_ministry=True).exists()
    assert made.filter(status=ItemStatus.DONE).exists()
    assert made.filter(status=ItemStatus.IN_PROGRESS).exists()
    # This year's minutes start with last year's open items in their follow-up section.
    in_review = Minutes.objects.get(
        negotiation__round=current, negotiation__region__slug="vantaa-kerava"
    )
    assessed = ItemAssessment.objects.filter(minutes=in_review)
    assert assessed.exists()
    assert {a.section.role for a in assessed} == {AgendaRole.PREVIOUS_FOLLOW_UP}
    assert not assessed.filter(item__status=ItemStatus.DONE).exists()
    # The published Ostrobothnia protocol recorded its assessments in the ledger.
    published = Minutes.objects.get(
        negotiation__round=current, negotiation__region__slug="pohjanmaa"
    )
    assert published.status == Minutes.Status.PUBLISHED
    recorded = made.filter(assessed_in__negotiation=published.negotiation)
    assert recorded.count() == 3
    assert set(recorded.values_list("assessed_status", flat=True)) == {
        ItemStatus.DONE,
        ItemStatus.IN_PROGRESS,
        ItemStatus.OPEN,
    }
