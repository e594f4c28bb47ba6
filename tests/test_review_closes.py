"""The review closes at approval (issue 13, point 2): once the minutes are approved or
published, nothing more is commented on any version, and a comment refused for that
reason is shown back to its author (the "bad input" note of the issue)."""

import pytest
from django.core.exceptions import ValidationError

from minutes import services
from minutes.models import Comment
from minutes.services import publishing
from tests.factories import sent_minutes
from tests.helpers import first_section, version_url

pytestmark = pytest.mark.django_db


def approved_at_once(official):
    """Sent for review and approved the same day, while the region's period still runs."""
    minutes, version = sent_minutes(official)
    services.minutes_approve(minutes=minutes, by=official)
    minutes.refresh_from_db()
    return minutes, version


@pytest.mark.parametrize("publish", [False, True], ids=["approved", "published"])
def test_no_comment_after_approval_even_while_the_period_runs(
    client, official, staff_a, publish, eager_tasks
):
    minutes, version = approved_at_once(official)
    if publish:
        publishing.protocol_publish(minutes=minutes, by=official)
    section = first_section(minutes)
    assert version.review_deadline >= minutes.updated_at.date()  # the period still runs

    client.force_login(staff_a)
    page = client.get(version_url(version, lang="en")).content.decode()
    assert 'name="body"' not in page  # no comment form
    assert "We have finished commenting" not in page

    response = client.post(
        version_url(version, "comments/", lang="en"),
        {"section": section.pk, "body": "Liian myöhään"},
    )
    assert response.status_code == 409
    assert "The comment period of this version has ended." in response.content.decode()
    assert "Liian myöhään" in response.content.decode()  # shown back, not lost
    assert not Comment.objects.exists()

    response = client.post(version_url(version, "done/", lang="en"))
    assert response.status_code == 302
    assert not version.minutes.events.filter(action="review_done").exists()


def test_a_comment_on_the_review_version_is_refused_by_the_service_after_approval(
    official, staff_a
):
    minutes, version = approved_at_once(official)
    with pytest.raises(ValidationError):
        services.comment_add(
            version=version, section=first_section(minutes), by=staff_a, body="Myöhässä"
        )


def test_existing_comment_cannot_be_edited_after_approval(client, official, staff_a):
    minutes, version = sent_minutes(official)
    comment = services.comment_add(
        version=version, section=first_section(minutes), by=staff_a, body="Alkuperäinen"
    )
    services.answer_add(comment=comment, by=official, decision="accepted")
    services.minutes_approve(minutes=minutes, by=official)

    client.force_login(staff_a)
    page = client.get(version_url(version, lang="en")).content.decode()
    assert "Edit or withdraw" not in page
    response = client.post(f"/en/workspace/comments/{comment.pk}/", {"withdraw": "1"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.withdrawn_at is None


def test_the_region_comments_while_the_review_is_open(client, official, staff_a):
    minutes, version = sent_minutes(official)
    client.force_login(staff_a)
    assert 'name="body"' in client.get(version_url(version, lang="en")).content.decode()
    response = client.post(
        version_url(version, "comments/", lang="en"),
        {"section": first_section(minutes).pk, "body": "Ajoissa"},
    )
    assert response.status_code == 302
    assert Comment.objects.get().body == "Ajoissa"


def test_days_left_of_the_open_review(official):
    minutes, _version = sent_minutes(official)
    assert services.review_days_left(minutes) == 14  # the round's comment period
    services.minutes_approve(minutes=minutes, by=official)
    minutes.refresh_from_db()
    assert services.review_days_left(minutes) is None
