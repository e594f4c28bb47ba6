"""Asking for a round's archive package, and building it (in a worker).

The package is a ZIP with one top folder:

    <name>/manifest-sha256.txt            "<sha256>  <path>" for every other file
    <name>/protocol-metadata.xsd          the schema of every metadata.xml
    <name>/protocols/<identifier>/metadata.xml
    <name>/protocols/<identifier>/<identifier>-v<n>.pdf      (each published version)
    <name>/protocols/<identifier>/attachments/<id>-<name>.<ext>

The README documents it. Every source file is copied through the configured storage
(local disk or S3) while its SHA-256 is taken; one that is missing or differs from its row
fails the whole build, and nothing is offered for download.
"""

import hashlib
import logging
import tempfile
import uuid
import zipfile
from datetime import timedelta
from pathlib import PurePosixPath

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from negotiations.models import Document, Round
from regions.models import Publicity
from steering.outbox import enqueue

from ..models import ProtocolPDF, Publication
from ..selectors import version_attachments
from .metadata import SCHEMA_NAME, SCHEMA_PATH, chain_metadata, protocol_metadata, protocol_xml
from .models import ACTIVE_STATUSES, ARCHIVE_TRANSITIONS, ArchiveExport, package_name

logger = logging.getLogger(__name__)
Status = ArchiveExport.Status
CHUNK = 1024 * 1024
MANIFEST_NAME = "manifest-sha256.txt"


class SourceProblem(Exception):
    """A source file that cannot go into the package as its row describes it."""

    def __init__(self, code: str, path: str, detail: str = ""):
        super().__init__(f"{code}: {path} {detail}".strip())
        self.code, self.path, self.detail = code, path, detail

    def as_dict(self) -> dict:
        return {"code": self.code, "path": self.path, "detail": self.detail}


def published_in(round_: Round):
    """Every publication of the round, withdrawn and corrected ones too: the record."""
    return Publication.objects.filter(negotiation__round=round_)


# A build writes its row after every protocol; one silent this long has died with its
# worker (the task's hard time limit is well under it), and a new request replaces it.
STALE_MINUTES = 45


def _stale_before():
    return timezone.now() - timedelta(minutes=STALE_MINUTES)


@transaction.atomic
def archive_request(*, round: Round, by) -> ArchiveExport:
    """Ask for the round's archive package. A build already queued or running is the
    answer (unless it has stopped moving, which is then failed and replaced); a round with
    nothing published is refused and nothing is made."""
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if not published_in(round_).exists():
        raise ValidationError(
            _(
                "Nothing has been published in this round yet, so there is nothing to "
                "archive; no package was made."
            ),
            code="nothing_published",
        )
    active = ArchiveExport.objects.filter(round=round_, status__in=ACTIVE_STATUSES).first()
    if active is not None:
        if active.updated_at >= _stale_before():
            return active
        archive_move(active, Status.FAILED, problems=[{"code": "stalled", "path": ""}],
                     error="the build stopped moving; replaced by a new request")  # fmt: skip
    export = ArchiveExport.objects.create(round=round_, requested_by=by)
    from .tasks import build_archive

    enqueue(build_archive, export.pk)
    logger.info("archive package %s of round %s requested by %s", export.pk, round_.pk, by.pk)
    return export


def archive_move(export: ArchiveExport, to: str, **fields) -> bool:
    """Move the export to `to` if the table allows it from the state the row has now;
    False if someone else moved it first."""
    allowed = [state for state, targets in ARCHIVE_TRANSITIONS.items() if to in targets]
    if export.status not in allowed:
        raise ValueError(f"archive export {export.pk}: {export.status} → {to} is not allowed")
    now = timezone.now()
    if to in (Status.READY, Status.FAILED):
        fields.setdefault("finished_at", now)
    moved = ArchiveExport.objects.filter(pk=export.pk, status=export.status).update(
        status=to, updated_at=now, **fields
    )
    if moved:
        export.status = to
        for name, value in fields.items():
            setattr(export, name, value)
    return bool(moved)


def protocol_chains(round_: Round) -> list[list[Publication]]:
    """The round's published protocols, each as its publications oldest first (the order
    that made them: the first, then each correction)."""
    chains: dict[int, list[Publication]] = {}
    rows = (
        published_in(round_)
        .select_related(
            "version__minutes", "negotiation__round", "region__cooperation_area",
            "cooperation_area",
        )
        .order_by("pk")
    )  # fmt: skip
    for publication in rows:
        chains.setdefault(publication.version.minutes_id, []).append(publication)
    return sorted(chains.values(), key=lambda chain: (chain[0].published_at, chain[0].pk))


class PackageWriter:
    """Writes files into the open ZIP under the package's top folder, one at a time, and
    keeps each one's checksum for the manifest."""

    def __init__(self, archive: zipfile.ZipFile, top: str):
        self.archive, self.top = archive, top
        self.manifest: list[tuple[str, str]] = []

    def write_bytes(self, path: str, data: bytes) -> str:
        self.archive.writestr(f"{self.top}/{path}", data)
        digest = hashlib.sha256(data).hexdigest()
        self.manifest.append((digest, path))
        return digest

    def copy_stored(self, path: str, name: str, recorded: str) -> int:
        """Copy a stored file in chunks, checking it against its row's checksum."""
        if not name or not default_storage.exists(name):
            raise SourceProblem("missing", path, name or "")
        digest, size = hashlib.sha256(), 0
        with (
            default_storage.open(name, "rb") as source,
            self.archive.open(f"{self.top}/{path}", "w", force_zip64=True) as target,
        ):
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                target.write(chunk)
                size += len(chunk)
        found = digest.hexdigest()
        if found != recorded:
            raise SourceProblem("checksum", path, f"{found} ≠ {recorded}")
        self.manifest.append((found, path))
        return size


def _attachment_path(folder: str, document: Document) -> str:
    original = PurePosixPath(document.original_name or "")
    stem = slugify(original.stem)[:60].strip("-") or "document"
    extension = PurePosixPath(document.file.name).suffix.lower() or original.suffix.lower()
    return f"{folder}/attachments/{document.pk}-{stem}{extension}"


def _protocol_files(writer: PackageWriter, folder: str, protocol: dict, chain, problems):
    """Copy one protocol's PDFs and public attachments; returns (files, refs)."""
    files, refs, seen = [], {}, {}
    identifier = protocol["identifier"]
    for publication in chain:
        version = publication.version
        paths = refs.setdefault(version.number, [])
        pdfs = {pdf.language: pdf for pdf in ProtocolPDF.objects.filter(version=version)}
        # The publication's own language must be there; a parallel one is taken if made.
        languages = [publication.language, *sorted(set(pdfs) - {publication.language})]
        for language in languages:
            suffix = "" if language == publication.language else f"-{language}"
            path = f"{folder}/{identifier}-v{version.number}{suffix}.pdf"
            pdf = pdfs.get(language)
            if pdf is None or pdf.status != ProtocolPDF.Status.DONE:
                if language == publication.language:
                    problems.append(SourceProblem("not_rendered", path).as_dict())
                continue
            try:
                size = writer.copy_stored(path, pdf.file.name, pdf.sha256)
            except SourceProblem as problem:
                problems.append(problem.as_dict())
                continue
            files.append({
                "path": path, "role": "protocol", "title": protocol["title"],
                "media_type": "application/pdf", "language": language, "size": size,
                "sha256": pdf.sha256,
            })  # fmt: skip
            paths.append(path)
        for document in version_attachments(version):
            if document.pk not in seen:
                path = _attachment_path(folder, document)
                try:
                    size = writer.copy_stored(path, document.file.name, document.sha256)
                except SourceProblem as problem:
                    problems.append(problem.as_dict())
                    seen[document.pk] = None
                    continue
                seen[document.pk] = path
                files.append({
                    "path": path, "role": "attachment", "title": document.title,
                    "original_name": document.original_name,
                    "media_type": document.content_type or "application/octet-stream",
                    "language": document.language, "size": size, "sha256": document.sha256,
                })  # fmt: skip
            if seen[document.pk]:
                paths.append(seen[document.pk])
    return files, refs


def _withheld(chain) -> list[Document]:
    """The negotiation's material that is not public, of the time of its newest published
    version: listed with its ground in the metadata, never copied."""
    newest = chain[-1].version
    return list(
        Document.objects.filter(
            negotiation=chain[-1].negotiation_id, uploaded_at__lte=newest.created_at
        )
        .filter(~Q(publicity=Publicity.PUBLIC))
        .select_related("secrecy_ground")
        .order_by("pk")
    )


def _write_package(export: ArchiveExport, handle, chains) -> list[dict]:
    """The whole ZIP into `handle`; returns the problems found (none: it is whole)."""
    top = package_name(export)
    problems: list[dict] = []
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        writer = PackageWriter(archive, top)
        writer.write_bytes(SCHEMA_NAME, SCHEMA_PATH.read_bytes())
        for done, chain in enumerate(chains, start=1):
            protocol = protocol_metadata(chain[-1])
            folder = f"protocols/{protocol['identifier']}"
            files, refs = _protocol_files(writer, folder, protocol, chain, problems)
            xml = protocol_xml(protocol, chain_metadata(chain), files, refs, _withheld(chain))
            writer.write_bytes(f"{folder}/metadata.xml", xml)
            ArchiveExport.objects.filter(pk=export.pk, status=Status.RUNNING).update(
                done=done, updated_at=timezone.now()
            )
        manifest = "".join(f"{digest}  {path}\n" for digest, path in writer.manifest)
        archive.writestr(f"{top}/{MANIFEST_NAME}", manifest.encode())
    return problems


def _claim(export_id: int) -> ArchiveExport | None:
    with transaction.atomic():
        export = (
            ArchiveExport.objects.select_for_update().select_related("round")
            .filter(pk=export_id).first()
        )  # fmt: skip
        if export is None or export.status != Status.QUEUED:
            return None
        archive_move(export, Status.RUNNING, started_at=timezone.now(), done=0)
        return export


def _fail(export: ArchiveExport, error: str, problems: list[dict]) -> str:
    archive_move(export, Status.FAILED, error=error[:4000], problems=problems)
    logger.error("archive package %s failed: %s", export.pk, error[:300])
    return "failed"


def archive_build(export_id: int) -> str:
    """Build and store one archive package. Returns what happened, in one word."""
    export = _claim(export_id)
    if export is None:
        return "skipped"
    chains = protocol_chains(export.round)
    ArchiveExport.objects.filter(pk=export.pk).update(total=len(chains))
    export.total = len(chains)
    try:
        with tempfile.TemporaryFile(prefix="archive-", suffix=".zip") as handle:
            problems = _write_package(export, handle, chains)
            if problems:
                listed = "; ".join(f"{p['code']} {p['path']} {p['detail']}" for p in problems)
                return _fail(export, f"{len(problems)} source file(s) not whole: {listed}",
                             problems)  # fmt: skip
            return _store(export, handle)
    except SoftTimeLimitExceeded:
        return _fail(export, "the build took too long", [{"code": "timeout", "path": ""}])
    except Exception as error:  # whatever it was, the export must not stay "running"
        logger.exception("archive package %s: build failed", export.pk)
        return _fail(export, f"{type(error).__name__}: {error}",
                     [{"code": "error", "path": "", "detail": type(error).__name__}])  # fmt: skip


def _store(export: ArchiveExport, handle) -> str:
    handle.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    name = f"archives/{export.round.year}/{uuid.uuid4().hex}.zip"
    stored = default_storage.save(name, File(handle, name=name))
    try:
        moved = archive_move(
            export, Status.READY, file=stored, size=size, sha256=digest.hexdigest(),
            error="", problems=[],
        )  # fmt: skip
    except Exception:
        default_storage.delete(stored)  # no row will point at it
        raise
    if not moved:
        default_storage.delete(stored)
        return "missing"
    logger.info("archive package %s ready: %s bytes, %s", export.pk, size, digest.hexdigest())
    return "ready"
