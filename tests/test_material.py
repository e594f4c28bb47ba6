"""Uploading and downloading background material from both sides of the table."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from negotiations.models import Document
from tests.factories import NegotiationFactory, RoundFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(client, negotiation, name, content, **fields):
    data = {
        "title": fields.pop("title", "Alueen huomiot"),
        "language": fields.pop("language", "fi"),
        "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
        **fields,
    }
    return client.post(f"/fi/workspace/negotiations/{negotiation.pk}/documents/new/", data)


def stored_files():
    root = default_storage.path("documents")
    import os

    if not os.path.isdir(root):
        return []
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


def test_region_staff_upload_observations_before_the_deadline(client, staff_a):
    negotiation = NegotiationFactory()
    client.force_login(staff_a)
    response = upload(client, negotiation, "huomiot.pdf", PDF, kind="thl_assessment")
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.kind == Document.Kind.REGION_OBSERVATIONS
    assert document.uploaded_by == staff_a
    assert document.original_name == "huomiot.pdf"
    assert document.file.name.startswith("documents/")
    assert "huomiot" not in document.file.name
    import hashlib

    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.size == len(PDF)


def test_after_the_deadline_the_region_is_read_only(client, staff_a):
    today = timezone.localdate()
    round_ = RoundFactory(material_deadline=today - timedelta(days=1))
    negotiation = NegotiationFactory(round=round_)
    client.force_login(staff_a)
    page = client.get(f"/fi/workspace/negotiations/{negotiation.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' not in page
    assert (round_.material_deadline.strftime("%-d.%-m.%Y")) in page
    assert upload(client, negotiation, "myohassa.pdf", PDF).status_code == 403
    assert not Document.objects.exists()


def test_official_attaches_material_to_an_agenda_item(client, official):
    negotiation = NegotiationFactory()
    item = negotiation.agenda_items.create(position=1, title="Talous")
    client.force_login(official)
    response = upload(
        client,
        negotiation,
        "thl.pdf",
        PDF,
        title="THL:n asiantuntija-arvio",
        kind="thl_assessment",
        agenda_item=item.pk,
        publicity="public",
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.agenda_item == item
    assert document.negotiation == negotiation
    assert document.publicity == "public"
    page = client.get(f"/fi/workspace/negotiations/{negotiation.pk}/").content.decode()
    assert "THL:n asiantuntija-arvio" in page


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("arvio.pdf", b"<!doctype html><html><script>alert(1)</script></html>"),
        ("kuva.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("kuva.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("ohjelma.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
    ],
)
def test_refused_types_leave_nothing_behind(client, official, name, content):
    negotiation = NegotiationFactory()
    client.force_login(official)
    response = upload(client, negotiation, name, content, kind="other")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tiedostotyyppi ei ole sallittu" in body
    assert 'value="Alueen huomiot"' in body  # the title the user typed is kept
    assert not Document.objects.exists()
    assert stored_files() == []


def test_oversize_is_refused_with_the_limit(client, official, settings):
    settings.MAX_UPLOAD_MB = 1
    negotiation = NegotiationFactory()
    client.force_login(official)
    response = upload(client, negotiation, "iso.pdf", PDF + b"0" * (1024 * 1024), kind="other")
    assert response.status_code == 400
    assert "enimmäiskoko on 1 Mt" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\boot.ini.pdf", "boot.ini.pdf"),
        ("lasku\x00.exe.pdf", "lasku.exe.pdf"),
        ("lasku\u202efdp.exe", "laskufdp.pdf"),
    ],
)
def test_hostile_names_never_reach_storage_or_headers(client, official, name, shown):
    negotiation = NegotiationFactory()
    client.force_login(official)
    assert upload(client, negotiation, name, PDF, kind="other").status_code == 302
    document = Document.objects.get()
    assert document.original_name == shown
    assert ".." not in document.file.name and "\x00" not in document.file.name
    response = client.get(f"/fi/workspace/documents/{document.pk}/")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\u202e" not in disposition and ".." not in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_row_that_cannot_be_saved_leaves_no_file(official):
    """The file is stored first; when the row is refused the file must go too."""
    from django.core.exceptions import ValidationError

    from negotiations import services

    negotiation = NegotiationFactory()
    with pytest.raises(ValidationError):
        # Both a round and a negotiation: the database's rule refuses the row.
        services.document_add(
            by=official,
            uploaded_file=SimpleUploadedFile("a.pdf", PDF),
            max_bytes=10**6,
            negotiation=negotiation,
            round=negotiation.round,
            kind="other",
            language="fi",
            title="x",
        )
    assert not Document.objects.exists()
    assert stored_files() == []


def test_region_staff_remove_their_own_upload_before_the_deadline(client, staff_a):
    negotiation = NegotiationFactory()
    client.force_login(staff_a)
    upload(client, negotiation, "huomiot.pdf", PDF)
    document = Document.objects.get()
    response = client.post(f"/fi/workspace/documents/{document.pk}/delete/", {"confirmed": "1"})
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert stored_files() == []
