"""The rules of the minutes, driven through the pages: safe markup, who sees and changes
what, forged and stale submissions, bad input, deadlines and the frozen record."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from minutes import services
from minutes.markup import render_markup
from minutes.models import (
    Answer,
    Comment,
    Minutes,
    MinutesEvent,
    MinutesVersion,
    Section,
)
from tests.factories import OfficialFactory, region, sent_minutes, start_minutes
from tests.helpers import first_section, url, version_url

pytestmark = pytest.mark.django_db

Status = Minutes.Status

DANGEROUS_INPUTS = [
    "<script>alert(1)</script>",
    "<svg onload=alert(1)>",
    "[x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<p style="color:red">x</p>',
    "<img src=x onerror=alert(1)>",
    "<iframe>",
    '<iframe src="https://example.org/"></iframe>',
]
FORBIDDEN = ["<script", "onload", "onerror", "javascript:", "style=", "<img", "<iframe", "<svg"]


# --- Helpers ---------------------------------------------------------------------------


def expired_copy(version) -> MinutesVersion:
    """A later review version of the same minutes whose comment period ended yesterday.

    The service always sets the deadline to today + comment_period_days (days >= 0), so
    a past deadline cannot be produced through it without moving the clock, and versions
    refuse every update. Creating a new row is allowed (only changes are refused), so the
    "after the deadline" situation is built by inserting the next version with the same
    snapshot and a deadline of yesterday.
    """
    return MinutesVersion.objects.create(
        minutes=version.minutes,
        number=version.number + 1,
        approved=False,
        snapshot=version.snapshot,
        content_sha256=version.content_sha256,
        review_deadline=timezone.localdate() - timedelta(days=1),
        created_by=version.created_by,
    )


def comment_url(comment, suffix="", lang="fi") -> str:
    return f"/{lang}/workspace/comments/{comment.pk}/{suffix}"


def edit_data(minutes, revision, bodies=None, **extra) -> dict:
    data = {
        "revision": revision,
        "participants": minutes.participants,
    }
    for section in minutes.sections.all():
        data[f"section_{section.pk}"] = (bodies or {}).get(section.pk, section.body)
    data.update(extra)
    return data


def section_area(content: str, section_id: int) -> str:
    """The rendered <section> of one agenda item on a minutes page."""
    match = re.search(
        rf'<section aria-labelledby="section-{section_id}" class="minutes-section">(.*?)</section>',
        content,
        re.S,
    )
    assert match, f"section {section_id} not on the page"
    return match.group(1)


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/fi/accounts/login/")


# --- 1. Markup ---------------------------------------------------------------------------


@pytest.mark.parametrize("source", DANGEROUS_INPUTS)
def test_markup_drops_everything_dangerous(source):
    html = render_markup(source)
    for forbidden in FORBIDDEN:
        assert forbidden not in html.lower(), (source, html)
    assert "alert(1)" not in html


def test_markup_drops_dangerous_inputs_all_together():
    html = render_markup("\n\n".join(DANGEROUS_INPUTS))
    for forbidden in FORBIDDEN:
        assert forbidden not in html.lower(), html
    assert "alert(1)" not in html


def test_markup_keeps_the_officials_formatting():
    html = render_markup(
        "**lihavoitu**\n\n- yksi\n- kaksi\n\n1. eka\n2. toka\n\n[ok](https://stm.fi)\n\n"
        "| Vuosi | Euroa |\n|---|---|\n| 2030 | 100 |\n"
    )
    assert "<strong>lihavoitu</strong>" in html
    assert "<ul>" in html and "<li>yksi</li>" in html and "<li>kaksi</li>" in html
    assert "<ol>" in html and "<li>eka</li>" in html
    assert '<a href="https://stm.fi" rel="noopener noreferrer nofollow">ok</a>' in html
    assert "<table>" in html
    assert "<th>Vuosi</th>" in html and "<td>2030</td>" in html


def test_dangerous_text_is_harmless_on_the_preview_and_the_version_page(client, official, staff_a):
    minutes = start_minutes(official)
    section = first_section(minutes)
    body = "**Tärkeä**\n\n" + "\n\n".join(DANGEROUS_INPUTS)

    client.force_login(official)
    response = client.post(
        url(minutes, "edit/"), edit_data(minutes, minutes.revision, {section.pk: body})
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == body

    response = client.get(url(minutes, "preview/"))
    assert response.status_code == 200
    content = response.content.decode()
    area = section_area(content, section.pk)
    assert "<strong>Tärkeä</strong>" in area
    for forbidden in FORBIDDEN:
        assert forbidden not in area.lower()
    for forbidden in ("alert(1)", "onload=", "onerror=", "javascript:"):
        assert forbidden not in content

    response = client.post(url(minutes, "send/"))
    assert response.status_code == 302
    version = minutes.versions.get()

    client.force_login(staff_a)
    response = client.get(version_url(version))
    assert response.status_code == 200
    content = response.content.decode()
    area = section_area(content, section.pk)
    assert "<strong>Tärkeä</strong>" in area
    for forbidden in FORBIDDEN:
        assert forbidden not in area.lower()
    for forbidden in ("alert(1)", "onload=", "onerror=", "javascript:"):
        assert forbidden not in content


# --- 2. Access ---------------------------------------------------------------------------


def test_region_does_not_see_the_draft_before_a_version_is_sent(client, official, staff_a):
    minutes = start_minutes(official)
    client.force_login(staff_a)
    assert client.get(url(minutes)).status_code == 404
    assert client.get(url(minutes, "history/")).status_code == 404
    assert client.get(url(minutes, "versions/1/")).status_code == 404
    assert client.get(url(minutes, "edit/")).status_code == 404


def test_own_region_reads_the_version_but_changes_nothing(client, official, staff_a):
    minutes, version = sent_minutes(official)
    client.force_login(staff_a)

    assert client.get(url(minutes)).status_code == 200
    assert client.get(version_url(version)).status_code == 200

    section = first_section(minutes)
    assert client.get(url(minutes, "edit/")).status_code == 403
    assert (
        client.post(
            url(minutes, "edit/"), edit_data(minutes, minutes.revision, {section.pk: "Alue"})
        ).status_code
        == 403
    )
    assert client.get(url(minutes, "preview/")).status_code == 403
    assert client.post(url(minutes, "send/")).status_code == 403
    assert client.post(url(minutes, "revise/")).status_code == 403
    assert client.post(url(minutes, "approve/"), {"override_reason": "x"}).status_code == 403
    new = f"new-{first_section(minutes).pk}"
    assert (
        client.post(
            url(minutes, "edit/"),
            edit_data(
                minutes,
                minutes.revision,
                **{
                    f"{new}-kind": "follow_up",
                    f"{new}-text": "Selvitys",
                    f"{new}-responsible": "region",
                },
            ),
        )
    ).status_code == 403

    minutes.refresh_from_db()
    assert minutes.status == Status.IN_REVIEW
    assert minutes.versions.count() == 1
    assert not minutes.items.exists()
    assert first_section(minutes).body == "Talouden tilanne on vakaa."


def test_other_region_and_anonymous_get_nothing(client, official, staff_a, staff_b):
    minutes, version = sent_minutes(official)
    section = first_section(minutes)
    comment = services.comment_add(version=version, section=section, by=staff_a, body="Huomio")
    pages = [
        url(minutes),
        version_url(version),
        url(minutes, "history/"),
        url(minutes, "diff/?from=1&to=1"),
        version_url(version, "reconciliation/"),
        comment_url(comment),
    ]

    client.force_login(staff_b)
    for page in pages:
        assert client.get(page).status_code == 404, page
    response = client.post(comment_url(comment), {"body": "Lapin muutos"})
    assert response.status_code == 404
    response = client.post(comment_url(comment), {"withdraw": "1"})
    assert response.status_code == 404
    response = client.post(
        version_url(version, "comments/"), {"section": section.pk, "body": "Lappi"}
    )
    assert response.status_code == 404

    client.logout()
    for page in pages:
        assert_login_redirect(client.get(page))
    assert_login_redirect(client.post(comment_url(comment), {"body": "Nimetön"}))
    assert_login_redirect(
        client.post(version_url(version, "comments/"), {"section": section.pk, "body": "x"})
    )

    comment.refresh_from_db()
    assert comment.body == "Huomio"
    assert comment.withdrawn_at is None
    assert Comment.objects.count() == 1


def test_administrator_reads_but_does_not_edit(client, official, administrator):
    minutes = start_minutes(official)
    section = first_section(minutes)
    client.force_login(administrator)
    assert client.get(url(minutes)).status_code == 200
    response = client.post(
        url(minutes, "edit/"), edit_data(minutes, minutes.revision, {section.pk: "Ylläpito"})
    )
    assert response.status_code == 403
    minutes.refresh_from_db()
    assert first_section(minutes).body == ""
    assert minutes.revision == 1


# --- 3. Forged POST ----------------------------------------------------------------------


def test_forged_comment_fields_are_ignored(client, official, staff_a):
    minutes, version = sent_minutes(official)
    other_minutes, other_version = sent_minutes(official)
    section = first_section(minutes)

    client.force_login(staff_a)
    response = client.post(
        version_url(version, "comments/"),
        {
            "section": section.pk,
            "body": "Aito kommentti",
            "status": Status.APPROVED,
            "author": official.pk,
            "region": region("lappi").pk,
            "version": other_version.pk,
        },
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.author == staff_a
    assert comment.version == version
    assert comment.section == section
    assert comment.body == "Aito kommentti"
    minutes.refresh_from_db()
    other_minutes.refresh_from_db()
    assert minutes.status == Status.IN_REVIEW
    assert other_minutes.status == Status.IN_REVIEW
    assert not other_version.comments.exists()


def test_forged_status_in_the_edit_form_is_ignored(client, official):
    minutes = start_minutes(official)
    section = first_section(minutes)
    client.force_login(official)
    response = client.post(
        url(minutes, "edit/"),
        edit_data(minutes, minutes.revision, {section.pk: "Teksti"}, status=Status.APPROVED),
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Status.DRAFT
    assert first_section(minutes).body == "Teksti"
    assert not minutes.versions.exists()


# --- 4. Comment on a section that is not in the version ----------------------------------


def test_comment_on_another_negotiations_section_is_refused(client, official, staff_a):
    _minutes, version = sent_minutes(official)
    other_minutes, _other_version = sent_minutes(official)
    foreign_section = first_section(other_minutes)

    client.force_login(staff_a)
    response = client.post(
        version_url(version, "comments/", lang="en"),
        {"section": foreign_section.pk, "body": "Väärään paikkaan"},
    )
    assert response.status_code == 400
    assert b"The section is not part of this version." in response.content
    assert not Comment.objects.exists()


def test_comment_on_a_missing_section_is_refused(client, official, staff_a):
    _minutes, version = sent_minutes(official)
    missing = Section.objects.order_by("-pk").first().pk + 1000

    client.force_login(staff_a)
    response = client.post(version_url(version, "comments/"), {"section": missing, "body": "x"})
    assert response.status_code == 400
    assert not Comment.objects.exists()


# --- 5. Stale copy -----------------------------------------------------------------------


def test_second_editor_with_a_stale_copy_loses_nothing(client, official):
    minutes = start_minutes(official)
    section = first_section(minutes)
    other = OfficialFactory()
    client_2 = client.__class__()

    client.force_login(official)
    client_2.force_login(other)
    response_1 = client.get(url(minutes, "edit/"))
    response_2 = client_2.get(url(minutes, "edit/"))
    assert response_1.status_code == response_2.status_code == 200
    revision_1 = response_1.context["form"].initial["revision"]
    revision_2 = response_2.context["form"].initial["revision"]
    assert revision_1 == revision_2 == minutes.revision

    text_1 = "Ensimmäinen kirjoittaja tallensi vakaan talouden."
    response = client.post(
        url(minutes, "edit/"), edit_data(minutes, revision_1, {section.pk: text_1})
    )
    assert response.status_code == 302

    text_2 = "Toinen kirjoittaja korjasi henkilöstön."
    response = client_2.post(
        url(minutes, "edit/"), edit_data(minutes, revision_2, {section.pk: text_2})
    )
    assert response.status_code == 200
    section.refresh_from_db()
    assert section.body == text_1
    form = response.context["form"]
    assert form[f"section_{section.pk}"].value() == text_2
    content = response.content.decode()
    assert text_2 in content
    conflict = re.search(
        r'<div class="alert alert-danger" role="alert" id="conflict">(.*?)</div>', content, re.S
    )
    assert conflict, "no conflict notice"
    assert "Ensimmäinen" in conflict.group(1) and "tallensi" in conflict.group(1)

    shown_revision = form["revision"].value()
    assert int(shown_revision) == Minutes.objects.get(pk=minutes.pk).revision
    response = client_2.post(
        url(minutes, "edit/"), edit_data(minutes, shown_revision, {section.pk: text_2})
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == text_2


# --- 6. Bad input ------------------------------------------------------------------------


def test_whitespace_comment_is_refused(client, official, staff_a):
    minutes, version = sent_minutes(official)
    client.force_login(staff_a)
    response = client.post(
        version_url(version, "comments/"), {"section": first_section(minutes).pk, "body": "  \n "}
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert not minutes.events.filter(action=MinutesEvent.Action.COMMENTED).exists()


def test_comment_after_the_deadline_is_refused(client, official, staff_a):
    minutes, version = sent_minutes(official)
    expired = expired_copy(version)
    section = first_section(minutes)

    client.force_login(staff_a)
    response = client.post(
        version_url(expired, "comments/", lang="en"),
        {"section": section.pk, "body": "Myöhässä"},
    )
    assert response.status_code == 409
    assert b"The comment period of this version has ended." in response.content
    # What was typed comes back to its author.
    assert "Myöhässä" in response.content.decode()
    # An older version than the latest is closed as well.
    response = client.post(
        version_url(version, "comments/"), {"section": section.pk, "body": "Vanhaan"}
    )
    assert response.status_code == 409
    assert not Comment.objects.exists()
    with pytest.raises(ValidationError):
        services.comment_add(version=expired, section=section, by=staff_a, body="Myöhässä")


def test_comment_cannot_be_changed_after_the_deadline(client, official, staff_a):
    minutes, version = sent_minutes(official)
    expired = expired_copy(version)
    section = first_section(minutes)
    # A comment written on the latest version while its period was open (made directly:
    # the period of this version is already over, so the service would refuse it now).
    comment = Comment.objects.create(
        version=expired, section=section, author=staff_a, body="Alkuperäinen"
    )

    client.force_login(staff_a)
    response = client.post(comment_url(comment), {"body": "Muutettu", "quote": "x"})
    assert response.status_code == 409
    assert "Muutettu" in response.content.decode()
    response = client.post(comment_url(comment), {"withdraw": "1"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Alkuperäinen"
    assert comment.quote == ""
    assert comment.withdrawn_at is None
    assert not minutes.events.filter(
        action__in=[MinutesEvent.Action.COMMENT_EDITED, MinutesEvent.Action.COMMENT_WITHDRAWN]
    ).exists()


def test_comment_on_a_superseded_version_cannot_be_changed(client, official, staff_a):
    minutes, version = sent_minutes(official)
    comment = services.comment_add(
        version=version, section=first_section(minutes), by=staff_a, body="Alkuperäinen"
    )
    expired_copy(version)

    client.force_login(staff_a)
    assert client.post(comment_url(comment), {"body": "Muutettu"}).status_code == 409
    assert client.post(comment_url(comment), {"withdraw": "1"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Alkuperäinen"
    assert comment.withdrawn_at is None


def test_a_comment_is_answered_once(client, official, staff_a):
    minutes, version = sent_minutes(official)
    comment = services.comment_add(
        version=version, section=first_section(minutes), by=staff_a, body="Lisää rahaa"
    )

    client.force_login(official)
    response = client.post(comment_url(comment, "answer/"), {"decision": "accepted"})
    assert response.status_code == 302
    response = client.post(
        comment_url(comment, "answer/"), {"decision": "not_accepted", "reason": "Ei käy"}
    )
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.comment == comment
    assert answer.decision == Answer.Decision.ACCEPTED
    assert answer.reason == ""
    assert minutes.events.filter(action=MinutesEvent.Action.ANSWERED).count() == 1


def test_not_accepted_answer_needs_a_reason(client, official, staff_a):
    minutes, version = sent_minutes(official)
    comment = services.comment_add(
        version=version, section=first_section(minutes), by=staff_a, body="Lisää rahaa"
    )
    client.force_login(official)
    for decision in ("not_accepted", "partly"):
        response = client.post(
            comment_url(comment, "answer/"), {"decision": decision, "reason": "   "}
        )
        assert response.status_code == 302
    assert not Answer.objects.exists()


def test_approval_with_an_open_comment_needs_a_reason(client, official, staff_a):
    minutes, version = sent_minutes(official)
    services.comment_add(
        version=version, section=first_section(minutes), by=staff_a, body="Vastaamaton"
    )
    client.force_login(official)

    response = client.post(url(minutes, "approve/"), {"override_reason": "  ", "confirmed": "1"})
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Status.IN_REVIEW
    assert not minutes.versions.filter(approved=True).exists()
    assert not minutes.events.filter(action=MinutesEvent.Action.APPROVED).exists()

    reason = "Neuvottelussa sovittu, vastine annetaan erikseen."
    response = client.post(url(minutes, "approve/"), {"override_reason": reason, "confirmed": "1"})
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Status.APPROVED
    approved = minutes.versions.get(approved=True)
    assert approved.number == 2
    event = minutes.events.get(action=MinutesEvent.Action.APPROVED)
    assert event.detail == reason
    assert event.version == approved
    assert event.by == official


# --- 7. The approved record is frozen ----------------------------------------------------


@pytest.fixture
def approved(official, staff_a):
    minutes, version = sent_minutes(official)
    comment = services.comment_add(
        version=version, section=first_section(minutes), by=staff_a, body="Hyvä"
    )
    services.answer_add(comment=comment, by=official, decision="accepted")
    approved_version = services.minutes_approve(minutes=minutes, by=official)
    minutes.refresh_from_db()
    return minutes, approved_version


def test_approved_version_refuses_every_orm_write(approved):
    minutes, version = approved
    original = MinutesVersion.objects.get(pk=version.pk).snapshot
    assert original["sections"][0]["body"] == "Talouden tilanne on vakaa."

    version.snapshot = {}
    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        MinutesVersion.objects.filter(pk=version.pk).update(snapshot={})
    with pytest.raises(PermissionError):
        version.delete()
    with pytest.raises(PermissionError):
        MinutesVersion.objects.filter(pk=version.pk).delete()
    with pytest.raises(PermissionError):
        minutes.versions.all().update(approved=False)

    fresh = MinutesVersion.objects.get(pk=version.pk)
    assert fresh.snapshot == original
    assert fresh.approved
    assert minutes.versions.count() == 2


def test_approved_sections_refuse_changes(approved):
    minutes, _version = approved
    section = Section.objects.get(pk=first_section(minutes).pk)
    section.body = "Jälkikäteen muutettu"
    with pytest.raises(PermissionError):
        section.save()
    assert Section.objects.get(pk=section.pk).body == "Talouden tilanne on vakaa."


def test_approved_minutes_cannot_be_edited(client, official, approved):
    minutes, _version = approved
    section = first_section(minutes)

    client.force_login(official)
    response = client.get(url(minutes, "edit/"))
    assert response.status_code == 302
    assert response["Location"] == url(minutes)
    response = client.post(
        url(minutes, "edit/"), edit_data(minutes, minutes.revision, {section.pk: "Muutos"})
    )
    assert response.status_code == 302
    assert response["Location"] == url(minutes)

    with pytest.raises(ValidationError):
        services.minutes_save_text(
            minutes=Minutes.objects.get(pk=minutes.pk),
            by=official,
            expected_revision=minutes.revision,
            participants="Muutettu",
            sections={section.pk: "Muutos"},
        )
    minutes.refresh_from_db()
    assert minutes.status == Status.APPROVED
    assert minutes.participants == ""
    assert first_section(minutes).body == "Talouden tilanne on vakaa."


def test_a_save_racing_the_approval_does_not_change_the_record(official, staff_a):
    """The edit page loads the minutes (still being revised), then someone approves them,
    then the page's save reaches the service: the approved text must not change."""
    minutes, _version = sent_minutes(official)
    services.minutes_start_revision(minutes=minutes, by=official)
    loaded_by_edit_page = Minutes.objects.get(pk=minutes.pk)
    assert loaded_by_edit_page.is_editable
    section = first_section(minutes)

    services.minutes_approve(minutes=Minutes.objects.get(pk=minutes.pk), by=OfficialFactory())

    with pytest.raises(ValidationError):
        services.minutes_save_text(
            minutes=loaded_by_edit_page,
            by=official,
            expected_revision=loaded_by_edit_page.revision,
            participants="Myöhässä muutettu",
            sections={section.pk: "Myöhässä muutettu"},
        )
    fresh = Minutes.objects.get(pk=minutes.pk)
    assert fresh.status == Status.APPROVED
    assert fresh.participants == ""
    assert first_section(fresh).body == "Talouden tilanne on vakaa."


# --- 8. Comments are seen by the ministry and the region only ----------------------------


def test_comment_text_is_only_seen_by_the_ministry_and_the_region(
    client, official, staff_a, staff_b, unaffiliated
):
    minutes, version = sent_minutes(official)
    secret = "Luottamuksellinen huomio rahoituksesta"
    comment = services.comment_add(
        version=version, section=first_section(minutes), by=staff_a, body=secret
    )
    pages = [
        version_url(version),
        version_url(version, "reconciliation/"),
        comment_url(comment),
        url(minutes, "history/"),
        url(minutes),
    ]

    for user in (official, staff_a):
        client.force_login(user)
        response = client.get(version_url(version))
        assert response.status_code == 200
        assert secret in response.content.decode()
        response = client.get(version_url(version, "reconciliation/"))
        assert response.status_code == 200
        assert secret in response.content.decode()

    for user in (staff_b, unaffiliated):
        client.force_login(user)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 404, (user, page)
            assert secret not in response.content.decode()

    client.logout()
    for page in pages:
        response = client.get(page)
        assert_login_redirect(response)
        assert secret not in response.content.decode()
