"""No orphan files: a failed write leaves none, and orphan_files finds and removes the rest."""

import os
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from minutes.models import ProtocolPDF
from negotiations import services as negotiation_services
from tests.factories import NegotiationFactory, approved_version

pytestmark = pytest.mark.django_db


def stored(media) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def test_an_upload_whose_transaction_fails_leaves_no_file(official, settings):
    negotiation = NegotiationFactory()
    with pytest.raises(ValidationError):
        negotiation_services.document_add(
            by=official,
            uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%%EOF\n"),
            max_bytes=10**6,
            negotiation=negotiation,
            language="fi",
            title="x" * 10_000,  # longer than the column: the row is refused
            kind="thl_assessment",
        )
    assert stored(settings.MEDIA_ROOT) == []


def age(name: str, seconds: int = 7200) -> None:
    path = default_storage.path(name)
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_orphan_files_finds_a_planted_orphan_and_removes_only_it(official, settings, capsys):
    version = approved_version(official, render=True)
    pdf = ProtocolPDF.objects.get(version=version)
    document = negotiation_services.document_add(
        by=official,
        uploaded_file=SimpleUploadedFile("b.pdf", b"%PDF-1.7\n%%EOF\n"),
        max_bytes=10**6,
        negotiation=version.minutes.negotiation,
        language="fi",
        title="Liite",
        kind="thl_assessment",
    )
    orphan_pdf = default_storage.save("protocols/2026/orphan.pdf", ContentFile(b"%PDF-"))
    orphan_doc = default_storage.save("documents/2026/orphan.pdf", ContentFile(b"%PDF-"))
    young = default_storage.save("documents/2026/just-written.pdf", ContentFile(b"%PDF-"))
    for name in (pdf.file.name, document.file.name, orphan_pdf, orphan_doc):
        age(name)

    call_command("orphan_files")
    out = capsys.readouterr().out
    assert orphan_pdf in out and orphan_doc in out
    assert pdf.file.name not in out and document.file.name not in out and young not in out
    assert default_storage.exists(orphan_pdf)  # listing removes nothing

    call_command("orphan_files", "--delete")
    assert not default_storage.exists(orphan_pdf)
    assert not default_storage.exists(orphan_doc)
    for kept in (pdf.file.name, document.file.name, young):
        assert default_storage.exists(kept)
