"""Issue 13: publicity levels of documents, the published record, confirmation of removal
and the per-negotiation material deadline."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minutes import services as minutes_services
from minutes.selectors import version_attachments
from minutes.services import publishing
from negotiations import notifications
from negotiations import services as negotiation_services
from negotiations.models import Document, DocumentEvent, Reminder
from tests.factories import NegotiationFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%%EOF\n"


def add(by, negotiation=None, *, title="Liite", publicity=None, round=None):
    extra = {"publicity": publicity} if publicity else {}
    return negotiation_services.document_add(
        by=by, uploaded_file=SimpleUploadedFile("a.pdf", PDF), max_bytes=10**6,
        negotiation=negotiation, round=round, kind="other", language="fi", title=title, **extra,
    )  # fmt: skip


def page(client, negotiation):
    return client.get(f"/fi/workspace/negotiations/{negotiation.pk}/")


def test_region_staff_cannot_list_or_download_internal_material(client, official, staff_a):
    negotiation = NegotiationFactory()
    internal = add(official, negotiation, title="Sisäinen muistio")
    round_internal = add(official, round=negotiation.round, title="Sisäinen kierrosmuistio")
    shared = add(official, negotiation, title="Jaettu liite", publicity="region")
    assert internal.publicity == "internal" and internal.secrecy_ground is not None
    client.force_login(staff_a)
    body = page(client, negotiation).content.decode()
    assert "Jaettu liite" in body
    assert "Sisäinen" not in body
    for document in (internal, round_internal):
        assert client.get(f"/fi/workspace/documents/{document.pk}/").status_code == 404
    assert client.get(f"/fi/workspace/documents/{shared.pk}/").status_code == 200
    client.force_login(official)
    body = page(client, negotiation).content.decode()
    assert "Sisäinen muistio" in body and "document-publicity" in body
    assert "document-ground" in body  # the legal ground is named beside it


def test_region_upload_is_shared_and_cannot_be_internal(client, staff_a):
    negotiation = NegotiationFactory()
    client.force_login(staff_a)
    url = f"/fi/workspace/negotiations/{negotiation.pk}/documents/new/"
    data = {"title": "Huomiot", "language": "fi"}
    response = client.post(url, {**data, "file": SimpleUploadedFile("h.pdf", PDF)})
    assert response.status_code == 302
    assert Document.objects.get().publicity == "region"
    forged = {**data, "publicity": "internal", "file": SimpleUploadedFile("h.pdf", PDF)}
    assert client.post(url, forged).status_code == 400
    assert Document.objects.count() == 1


def published(official, negotiation):
    minutes = minutes_services.minutes_start(negotiation=negotiation, by=official)
    minutes_services.minutes_send_for_review(minutes=minutes, by=official)
    minutes_services.minutes_approve(minutes=minutes, by=official, override_reason="testi")
    return publishing.protocol_publish(minutes=minutes, by=official)


def test_public_attachments_are_only_the_public_level(official):
    negotiation = NegotiationFactory()
    public = add(official, negotiation, publicity="public")
    add(official, negotiation, publicity="region")
    add(official, negotiation)
    publication = published(official, negotiation)
    assert list(version_attachments(publication.version)) == [public]


def test_published_attachment_cannot_be_removed_or_hidden(client, official):
    negotiation = NegotiationFactory()
    public = add(official, negotiation, title="Julkaistu liite", publicity="public")
    published(official, negotiation)
    client.force_login(official)
    url = f"/fi/workspace/documents/{public.pk}/delete/"
    response = client.post(url, {"confirmed": "1"}, follow=True)
    assert Document.objects.filter(pk=public.pk).exists()
    assert "oikaisu" in response.content.decode()  # the way out: a correction
    response = client.post(
        f"/fi/workspace/documents/{public.pk}/publicity/",
        {"publicity": "internal", "secrecy_ground": public.secrecy_ground_id or 1},
    )
    public.refresh_from_db()
    assert public.publicity == "public"
    assert not DocumentEvent.objects.exists()


def test_removal_asks_for_confirmation_and_is_recorded(client, official):
    negotiation = NegotiationFactory()
    document = add(official, negotiation, title="Poistettava muistio")
    client.force_login(official)
    url = f"/fi/workspace/documents/{document.pk}/delete/"
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 200
        assert "Poistettava muistio" in response.content.decode()
        assert 'name="confirmed" value="1"' in response.content.decode()
    assert Document.objects.filter(pk=document.pk).exists()
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    event = DocumentEvent.objects.get()
    assert (event.action, event.by, event.title) == ("deleted", official, "Poistettava muistio")


def test_official_changes_the_level_with_attribution(client, official, staff_a):
    negotiation = NegotiationFactory()
    document = add(official, negotiation, title="Muistio")
    client.force_login(official)
    response = client.post(
        f"/fi/workspace/documents/{document.pk}/publicity/",
        {"publicity": "region", "secrecy_ground": document.secrecy_ground_id},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.publicity == "region"
    assert DocumentEvent.objects.get().by == official
    client.force_login(staff_a)
    assert client.get(f"/fi/workspace/documents/{document.pk}/").status_code == 200


def test_own_deadline_refuses_uploads_while_the_rounds_is_open(client, staff_a):
    today = timezone.localdate()
    negotiation = NegotiationFactory()
    negotiation.round.material_deadline = today + timedelta(days=5)
    negotiation.round.save()
    negotiation.material_deadline = today - timedelta(days=1)
    negotiation.save()
    client.force_login(staff_a)
    response = client.post(
        f"/fi/workspace/negotiations/{negotiation.pk}/documents/new/",
        {"title": "Myöhässä", "language": "fi", "file": SimpleUploadedFile("h.pdf", PDF)},
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_reminders_follow_the_negotiations_deadline(staff_a, eager_tasks):
    today = timezone.localdate()
    negotiation = NegotiationFactory()
    negotiation.round.material_deadline = today + timedelta(days=30)
    negotiation.round.save()
    negotiation.material_deadline = today + timedelta(days=3)
    negotiation.save()
    assert notifications.send_material_deadline_reminders() == 1
    assert Reminder.objects.get().deadline == negotiation.material_deadline


def test_negotiation_page_queries_do_not_grow_with_documents(client, official):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    negotiation = NegotiationFactory()
    client.force_login(official)
    counts = []
    for total in (1, 8):
        while Document.objects.count() < total:
            add(official, negotiation, publicity="region")
        page(client, negotiation)  # the session and caches warm
        with CaptureQueriesContext(connection) as captured:
            assert page(client, negotiation).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
