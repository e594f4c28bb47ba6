"""manage.py verify_records: after a restore, is every published record whole?

For every publication (withdrawn ones too: a withdrawal keeps the record): the version it
published, approved and with its text still matching its checksum; that version's PDF,
rendered and stored with the checksum its row recorded; every attachment that went public
with it, stored with its recorded checksum. Files are read through the configured storage,
so the same check runs on local disk and on S3.

Prints the counts; exits 1 naming each protocol that is not whole. Files without a row are
not its business (`manage.py orphan_files` lists them).
"""

import hashlib

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from minutes.models import ProtocolPDF, Publication
from minutes.selectors import document_id, version_attachments
from minutes.services import content_sha256

CHUNK = 1024 * 1024


def stored_sha256(name: str) -> str | None:
    """The file's SHA-256 as hex, or None when storage has no such file."""
    if not name or not default_storage.exists(name):
        return None
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_problem(what: str, name: str, recorded: str) -> str | None:
    found = stored_sha256(name)
    if found is None:
        return f"{what} file missing: {name or '(no file name)'}"
    if found != recorded:
        return f"{what} checksum differs: {name} is {found}, the row says {recorded}"
    return None


def publication_problems(publication) -> tuple[list[str], int]:
    """What is wrong with one publication's record, and how many attachments it has."""
    version = publication.version
    problems = []
    if not version.approved:
        problems.append(f"version {version.number} is not an approved version")
    if content_sha256(version.snapshot) != version.content_sha256:
        problems.append(f"version {version.number} text differs from its checksum")
    pdf = ProtocolPDF.objects.filter(version=version, language=publication.language).first()
    if pdf is None:
        problems.append(f"no PDF row in {publication.language}")
    elif pdf.status != ProtocolPDF.Status.DONE:
        problems.append(f"PDF not rendered (status {pdf.status})")
    elif problem := file_problem("PDF", pdf.file.name, pdf.sha256):
        problems.append(problem)
    attachments = list(version_attachments(version))
    for document in attachments:
        if problem := file_problem(
            f"attachment {document.pk}", document.file.name, document.sha256
        ):
            problems.append(problem)
    return problems, len(attachments)


class Command(BaseCommand):
    help = (
        "Check that every published protocol has its version, its PDF and its public "
        "attachments stored with the checksums the database recorded (after a restore)."
    )

    def handle(self, *args, **options):
        publications = Publication.objects.select_related(
            "version__minutes__negotiation__round",
            "version__minutes__negotiation__region",
            "version__minutes__negotiation__cooperation_area",
        ).order_by("pk")
        checked = attachments = 0
        broken = []
        for publication in publications.iterator(chunk_size=200):
            problems, count = publication_problems(publication)
            checked += 1
            attachments += count
            if problems:
                label = f"publication {publication.pk} ({document_id(publication.version)})"
                broken.append(f"{label}: " + "; ".join(problems))
        self.stdout.write(
            f"{checked} published protocols, {checked - len(broken)} whole, "
            f"{attachments} public attachments checked, {len(broken)} with problems"
        )
        if broken:
            for line in broken:
                self.stderr.write(line)
            raise CommandError(f"{len(broken)} published protocols are not whole")
