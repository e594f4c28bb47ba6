"""Comment threads have the three publicity levels of documents (issue 13, point 1): the
ministry's internal notes never reach the region, threads marked public are published
with the protocol while it is public, and nothing else of a thread is ever public."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from minutes import services
from minutes.models import Comment, MinutesEvent
from minutes.services import publishing, threads
from regions.models import Publicity, SecrecyGround
from tests.factories import NegotiationFactory, region

pytestmark = pytest.mark.django_db

NOTE = "SISAINENMUISTIO9"
SHARED = "ALUEELLEJAETTU5"
OPEN = "JULKINENKOMMENTTI3"
ANSWER = "MINISTERIONVASTINE8"


@pytest.fixture
def version(official):
    negotiation = NegotiationFactory(region=region("vantaa-kerava"), chair=official)
    negotiation.agenda_items.create(position=1, title="Talous")
    minutes = services.minutes_start(negotiation=negotiation, by=official)
    section = minutes.sections.get()
    services.minutes_save_text(
        minutes=minutes, by=official, expected_revision=minutes.revision,
        participants="- Sanna Ministeri, STM",
        sections={section.pk: "Talous on tasapainossa."},
    )  # fmt: skip
    return services.minutes_send_for_review(minutes=minutes, by=official)


def ground():
    return SecrecyGround.objects.filter(active=True).first()


def base(version):
    return f"/fi/workspace/minutes/{version.minutes_id}/versions/{version.number}/"


def add_note(client, official, version, text=NOTE, **extra):
    client.force_login(official)
    data = {"section": version.minutes.sections.get().pk, "body": text, **extra}
    return client.post(f"{base(version)}notes/", data)


def comment(version, staff, text):
    section = version.minutes.sections.get()
    return services.comment_add(version=version, section=section, by=staff, body=text)


def test_an_official_adds_an_internal_note_with_its_ground(client, official, version):
    response = add_note(client, official, version, secrecy_ground=ground().pk)
    assert response.status_code == 302
    note = Comment.objects.get()
    assert note.publicity == Publicity.INTERNAL and note.secrecy_ground == ground()
    assert note.is_note and note.is_classified
    page = client.get(base(version)).content.decode()
    assert NOTE in page and ground().citation in page


def test_a_note_without_a_ground_is_refused_and_nothing_stored(client, official, version):
    response = add_note(client, official, version, secrecy_ground="")
    assert response.status_code == 302
    assert not Comment.objects.exists()
    with pytest.raises(ValidationError):
        threads.note_add(
            version=version, section=version.minutes.sections.get(), by=official, body=NOTE,
            secrecy_ground=None,
        )  # fmt: skip
    assert not Comment.objects.exists()


def test_region_staff_never_see_internal_notes_on_pages_counts_or_history(
    client, official, staff_a, version, django_capture_on_commit_callbacks, eager_tasks
):
    add_note(client, official, version, secrecy_ground=ground().pk)
    note = Comment.objects.get()
    comment(version, staff_a, SHARED)
    client.force_login(staff_a)
    for path in (base(version), f"{base(version)}reconciliation/"):
        page = client.get(path).content.decode()
        assert SHARED in page
        assert NOTE not in page
        assert f"comment-{note.pk}" not in page
    history = client.get(f"/en/workspace/minutes/{version.minutes_id}/history/").content.decode()
    assert "added an internal note" not in history
    assert client.get(f"/fi/workspace/comments/{note.pk}/").status_code == 404
    assert client.post(f"/fi/workspace/comments/{note.pk}/publicity/").status_code == 404
    # The ministry's counts: the note is no comment waiting for an answer.
    assert services.open_comments(version).count() == 1
    client.force_login(official)
    detail = client.get(f"/en/workspace/minutes/{version.minutes_id}/").content.decode()
    assert "1 comment of the latest version has no answer." in detail
    # The e-mail that counts the region's comments counts the region's comments.
    client.force_login(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en{base(version)[3:]}done/")
    assert "(kommentteja: 1)" in mail.outbox[-1].body  # in the negotiation's language
    assert NOTE not in mail.outbox[-1].body


def test_a_note_does_not_stop_the_reminder_to_the_region(official, staff_a, version, eager_tasks):
    from datetime import timedelta

    from minutes.notifications import send_review_reminders

    threads.note_add(
        version=version, section=version.minutes.sections.get(), by=official, body=NOTE,
        secrecy_ground=ground(),
    )  # fmt: skip
    assert send_review_reminders(today=version.review_deadline - timedelta(days=1)) == 1


def test_another_region_gets_404(client, official, staff_a, staff_b, version):
    thread = comment(version, staff_a, SHARED)
    note = threads.note_add(
        version=version, section=thread.section, by=official, body=NOTE, secrecy_ground=ground()
    )
    client.force_login(staff_b)
    assert client.get(base(version)).status_code == 404
    assert client.get(f"{base(version)}reconciliation/").status_code == 404
    for pk in (thread.pk, note.pk):
        assert client.get(f"/fi/workspace/comments/{pk}/").status_code == 404
        assert client.post(f"/fi/workspace/comments/{pk}/publicity/").status_code == 404
    assert client.post(f"{base(version)}notes/", {"body": "x"}).status_code == 404


def test_a_region_comment_is_unclassified_until_the_official_classifies_it(
    client, official, staff_a, version
):
    thread = comment(version, staff_a, SHARED)
    assert thread.publicity == Publicity.REGION and thread.secrecy_ground is None
    assert not thread.is_classified
    url = f"/en/workspace/comments/{thread.pk}/publicity/"
    # Region staff do not classify.
    client.force_login(staff_a)
    assert client.post(url, {"publicity": "region", "secrecy_ground": ground().pk}).status_code
    thread.refresh_from_db()
    assert thread.secrecy_ground is None
    client.force_login(official)
    refused = client.post(url, {"publicity": "region", "secrecy_ground": ""}, follow=True)
    assert "Choose the legal ground for keeping this from the public." in refused.content.decode()
    thread.refresh_from_db()
    assert not thread.is_classified
    refused = client.post(url, {"publicity": "public", "secrecy_ground": ground().pk}, follow=True)
    assert "Public material has no ground for secrecy." in refused.content.decode()
    # Keeping the region's own words from the region is no choice.
    client.post(url, {"publicity": "internal", "secrecy_ground": ground().pk})
    thread.refresh_from_db()
    assert thread.publicity == Publicity.REGION and not thread.is_classified
    assert client.post(url, {"publicity": "region", "secrecy_ground": ground().pk}).status_code
    thread.refresh_from_db()
    assert thread.is_classified and thread.secrecy_ground == ground()
    assert MinutesEvent.objects.filter(action="thread_classified").count() == 1
    # The ground is shown beside the thread to the region too.
    client.force_login(staff_a)
    assert ground().citation in client.get(base(version)).content.decode()


def test_internal_notes_do_not_block_approval(official, staff_a, version):
    threads.note_add(
        version=version, section=version.minutes.sections.get(), by=official, body=NOTE,
        secrecy_ground=ground(),
    )  # fmt: skip
    assert services.open_comments(version).count() == 0
    approved = services.minutes_approve(minutes=version.minutes, by=official)
    assert approved.approved
    with pytest.raises(ValidationError):
        services.answer_add(comment=Comment.objects.get(), by=official, decision="accepted")


def test_an_unanswered_region_comment_still_blocks_approval(official, staff_a, version):
    comment(version, staff_a, SHARED)
    with pytest.raises(ValidationError):
        services.minutes_approve(minutes=version.minutes, by=official)


def test_public_threads_appear_with_the_published_protocol_and_vanish_on_withdrawal(
    client, official, staff_a, version, django_capture_on_commit_callbacks
):
    public = comment(version, staff_a, f"{OPEN} <script>alert(1)</script>")
    shared = comment(version, staff_a, SHARED)
    note = threads.note_add(
        version=version, section=public.section, by=official, body=NOTE, secrecy_ground=ground()
    )
    services.answer_add(comment=public, by=official, decision="partly", reason=ANSWER)
    services.answer_add(comment=shared, by=official, decision="accepted")
    threads.thread_classify(comment=public, by=official, publicity="public", secrecy_ground=None)
    threads.thread_classify(
        comment=shared, by=official, publicity="region", secrecy_ground=ground()
    )
    with pytest.raises(ValidationError):
        threads.thread_classify(comment=note, by=official, publicity="public", secrecy_ground=None)
    services.minutes_approve(minutes=version.minutes, by=official)
    with django_capture_on_commit_callbacks(execute=True):
        publication = publishing.protocol_publish(minutes=version.minutes, by=official)
    page = client.get(f"/fi/protocols/{publication.pk}/").content.decode()
    assert OPEN in page and ANSWER in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert region("vantaa-kerava").name_fi in page
    assert staff_a.username not in page and staff_a.get_full_name() not in page
    assert official.get_full_name() not in page
    assert SHARED not in page and NOTE not in page
    api = client.get(f"/api/v1/protocols/{publication.pk}/").json()
    comments = [c for s in api["sections"] for c in s["comments"]]
    assert [c["comment"] for c in comments] == [public.body]
    assert comments[0]["answer"] == {"decision": "partly", "reason": ANSWER}
    raw = client.get(f"/api/v1/protocols/{publication.pk}/").content.decode()
    assert SHARED not in raw and NOTE not in raw and staff_a.username not in raw
    # Made public after publication: shown at once (the cached page is made again).
    with django_capture_on_commit_callbacks(execute=True):
        threads.thread_classify(
            comment=shared, by=official, publicity="public", secrecy_ground=None
        )
    assert SHARED in client.get(f"/fi/protocols/{publication.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publishing.protocol_withdraw(publication=publication, by=official, reason="Virhe")
    gone = client.get(f"/fi/protocols/{publication.pk}/")
    assert gone.status_code == 410
    assert OPEN not in gone.content.decode() and SHARED not in gone.content.decode()
    assert client.get(f"/api/v1/protocols/{publication.pk}/").status_code == 404
    publication.refresh_from_db()
    assert threads.public_threads(publication) == {}


def test_public_threads_are_not_public_before_publication(client, official, staff_a, version):
    public = comment(version, staff_a, OPEN)
    threads.thread_classify(comment=public, by=official, publicity="public", secrecy_ground=None)
    services.minutes_approve(minutes=version.minutes, by=official, override_reason="testi")
    for path in ("/fi/protocols/", "/api/v1/protocols/", "/fi/", "/fi/feeds/protocols.atom"):
        assert OPEN not in client.get(path).content.decode()
    # The search page repeats the query: it finds nothing.
    assert not client.get(f"/fi/search/?q={OPEN}").context["page"].object_list
