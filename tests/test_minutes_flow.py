"""The whole review cycle through the pages, as the people who do it."""

import re

import pytest
from django.core import mail

from minutes.models import Answer, Comment, Minutes, MinutesEvent, MinutesVersion
from minutes.notifications import send_review_reminders
from negotiations.selectors import round_dashboard
from tests.factories import NegotiationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def negotiation(official):
    negotiation = NegotiationFactory(chair=official)
    for position, title in enumerate(["Avaus", "Talous", "Pelastustoimi"], start=1):
        negotiation.agenda_items.create(position=position, title=title)
    negotiation.participants.create(side="ministry", user=official, name="Sanna Ministeri")
    return negotiation


def edit_data(page, **sections):
    """The edit form as the browser would send it, with some sections rewritten."""
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    for section in form.sections:
        if section.heading in sections:
            data[f"section_{section.pk}"] = sections[section.heading]
    return data


def test_the_whole_review_cycle(
    client, official, staff_a, negotiation, django_capture_on_commit_callbacks, eager_tasks
):
    # The official starts the minutes: one section per agenda item, participants filled in.
    client.force_login(official)
    response = client.post(f"/fi/workspace/negotiations/{negotiation.pk}/minutes/start/")
    minutes = Minutes.objects.get(negotiation=negotiation)
    assert response["Location"] == f"/fi/workspace/minutes/{minutes.pk}/edit/"
    assert [s.heading for s in minutes.sections.order_by("position")] == [
        "Avaus",
        "Talous",
        "Pelastustoimi",
    ]
    # The negotiation's participants become the record's rows, not free text.
    assert [row.name for row in minutes.participant_rows.all()] == ["Sanna Ministeri"]
    assert minutes.participants == ""
    assert minutes.language == "fi"

    # Drafting, with a preview that shows the rendered text.
    page = client.get(f"/fi/workspace/minutes/{minutes.pk}/edit/")
    data = edit_data(page, Talous="Talous on **tasapainossa**.\n\n- alijäämä katettu")
    response = client.post(f"/fi/workspace/minutes/{minutes.pk}/edit/", {**data, "preview": "1"})
    assert response["Location"] == f"/fi/workspace/minutes/{minutes.pk}/preview/"
    preview = client.get(response["Location"]).content.decode()
    assert "Talous on <strong>tasapainossa</strong>." in preview
    assert "<li>alijäämä katettu</li>" in preview
    # An outcome item is added under its section in the same editor.
    page = client.get(f"/fi/workspace/minutes/{minutes.pk}/edit/")
    new = f"new-{minutes.sections.get(heading='Talous').pk}"
    client.post(
        f"/fi/workspace/minutes/{minutes.pk}/edit/",
        {
            **edit_data(page),
            f"{new}-kind": "follow_up",
            f"{new}-text": "Investointisuunnitelma päivitetään",
            f"{new}-responsible": "region",
        },
    )
    assert minutes.items.count() == 1

    # Sent for review: version 1 is frozen and the region is told, with the deadline.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/fi/workspace/minutes/{minutes.pk}/send/")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.IN_REVIEW
    v1 = MinutesVersion.objects.get(minutes=minutes, number=1)
    assert v1.snapshot["sections"][1]["body"].startswith("Talous on **tasapainossa**")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [staff_a.email]
    assert v1.review_deadline.strftime("%-d.%-m.%Y") in mail.outbox[0].body

    # The region comments on a section, quoting the sentence it means.
    client.force_login(staff_a)
    version_url = f"/fi/workspace/minutes/{minutes.pk}/versions/1/"
    page = client.get(version_url).content.decode()
    assert "Talous on <strong>tasapainossa</strong>." in page
    talous = minutes.sections.get(heading="Talous")
    response = client.post(
        f"{version_url}comments/",
        {
            "section": talous.pk,
            "quote": "Talous on tasapainossa.",
            "body": "Alijäämää ei ole vielä katettu kokonaan.",
        },
    )
    comment = Comment.objects.get()
    assert response["Location"] == f"{version_url}#comment-{comment.pk}"
    assert comment.author == staff_a and comment.section == talous
    client.post(
        f"{version_url}comments/",
        {"section": minutes.sections.get(heading="Avaus").pk, "body": "Tarkennus osallistujiin."},
    )
    second = Comment.objects.exclude(pk=comment.pk).get()
    # The author edits one comment and withdraws the other.
    client.post(f"/fi/workspace/comments/{comment.pk}/", {"body": "Alijäämää ei ole katettu."})
    client.post(f"/fi/workspace/comments/{second.pk}/", {"withdraw": "1", "body": "x"})
    comment.refresh_from_db()
    second.refresh_from_db()
    assert comment.body == "Alijäämää ei ole katettu."
    assert second.is_withdrawn
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{version_url}done/")
    assert mail.outbox[-1].to == [official.email]

    # The official cannot approve with an open comment, answers it, revises and resends.
    client.force_login(official)
    client.post(f"/fi/workspace/minutes/{minutes.pk}/approve/", {"confirmed": "1"})
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.IN_REVIEW
    client.post(
        f"/fi/workspace/comments/{comment.pk}/answer/",
        {"decision": "partly", "reason": "Muotoilua tarkennettu."},
    )
    assert Answer.objects.get(comment=comment).decision == "partly"
    client.post(f"/fi/workspace/minutes/{minutes.pk}/revise/")
    page = client.get(f"/fi/workspace/minutes/{minutes.pk}/edit/")
    data = edit_data(page, Talous="Talous on lähes tasapainossa; alijäämä katetaan 2027.")
    client.post(f"/fi/workspace/minutes/{minutes.pk}/edit/", data)
    client.post(f"/fi/workspace/minutes/{minutes.pk}/send/")
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.IN_REVIEW
    assert minutes.versions.count() == 2

    # The reconciliation lists the comment, its answer and the change it led to.
    table = client.get(f"{version_url}reconciliation/").content.decode()
    assert "Alijäämää ei ole katettu." in table
    assert "Muotoilua tarkennettu." in table
    assert "<ins>" in table and "2027." in table
    diff = client.get(f"/fi/workspace/minutes/{minutes.pk}/diff/?from=1&to=2").content.decode()
    assert re.search(r"<del>[^<]*tasapainossa\*\*\.", diff)

    # Comments stay with the version they were written on; version 2 has none.
    client.force_login(staff_a)
    page2 = client.get(f"/fi/workspace/minutes/{minutes.pk}/versions/2/").content.decode()
    assert "Alijäämää ei ole katettu." not in page2
    assert "Alijäämää ei ole katettu." in client.get(version_url).content.decode()
    # Version 1 no longer takes comments.
    client.post(f"{version_url}comments/", {"section": talous.pk, "body": "Myöhäinen"})
    assert Comment.objects.count() == 2

    # The region has no more comments; the official approves.
    client.post(f"/fi/workspace/minutes/{minutes.pk}/versions/2/done/")
    client.force_login(official)
    client.post(f"/fi/workspace/minutes/{minutes.pk}/approve/", {"confirmed": "1"})
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    approved = minutes.versions.get(approved=True)
    assert approved.number == 3
    assert "alijäämä katetaan 2027" in approved.snapshot["sections"][1]["body"]
    assert client.get(f"/fi/workspace/minutes/{minutes.pk}/edit/").status_code == 302

    # Every step is in the history, attributed.
    actions = list(minutes.events.values_list("action", "by__username"))
    for expected in [
        ("created", official.username),
        ("edited", official.username),
        ("action_added", official.username),
        ("sent", official.username),
        ("commented", staff_a.username),
        ("comment_edited", staff_a.username),
        ("comment_withdrawn", staff_a.username),
        ("review_done", staff_a.username),
        ("answered", official.username),
        ("revising", official.username),
        ("approved", official.username),
    ]:
        assert expected in actions, expected
    history = client.get(f"/fi/workspace/minutes/{minutes.pk}/history/").content.decode()
    assert history.count("<tr>") == MinutesEvent.objects.filter(minutes=minutes).count() + 1

    # The dashboard follows.
    row = next(r for r in round_dashboard(negotiation.round) if r.negotiation)
    assert row.stages["approved"].done and not row.stages["published"].done


def test_region_is_reminded_once_unless_it_has_answered(
    official, staff_a, negotiation, eager_tasks, django_capture_on_commit_callbacks
):
    from minutes import services

    negotiation.round.comment_period_days = 2
    negotiation.round.save()
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    version = services.minutes_send_for_review(minutes=minutes, by=official)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_review_reminders() == 1
    assert mail.outbox[-1].to == [staff_a.email]
    assert send_review_reminders() == 0
    # Another version: the region has said it has no comments, so no reminder.
    services.minutes_start_revision(minutes=minutes, by=official)
    second = services.minutes_send_for_review(minutes=minutes, by=official)
    services.review_complete(version=second, by=staff_a)
    assert second.pk != version.pk
    assert send_review_reminders() == 0
