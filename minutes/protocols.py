"""Protocol PDFs: asking for one, rendering it (in a worker), and healing lost renders."""

import hashlib
import logging
import uuid
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from steering.outbox import enqueue

from .models import MinutesVersion, ProtocolPDF
from .pdf import ContentTooLarge, preflight, protocol_html, render_pdf

logger = logging.getLogger(__name__)
Status = ProtocolPDF.Status


class TransientStorageError(Exception):
    """Storing the PDF failed in a way that may pass: worth a retry."""


def _queue(pdf: ProtocolPDF) -> None:
    from .tasks import render_protocol

    enqueue(render_protocol, pdf.version_id, pdf.language)


@transaction.atomic
def protocol_request(*, version: MinutesVersion, language: str | None = None) -> ProtocolPDF:
    """Ask for the PDF of a version; a finished or running one is not rendered again."""
    written_in = version.snapshot["language"]
    language = language or written_in
    if language != written_in:
        raise ValidationError(
            _("The protocol is written in %(language)s only.") % {"language": written_in},
            code="language",
        )
    pdf, created = ProtocolPDF.objects.select_for_update().get_or_create(
        version=version, language=language
    )
    if created or pdf.status == Status.FAILED:
        pdf.status, pdf.requested_at, pdf.error = Status.QUEUED, timezone.now(), ""
        pdf.save(update_fields=["status", "requested_at", "error"])
        _queue(pdf)
    return pdf


def _claim(version: MinutesVersion, language: str) -> ProtocolPDF | None:
    """Mark the PDF as being rendered by us, unless it is done or someone else is on it."""
    stale = timezone.now() - timedelta(minutes=settings.PROTOCOL_RENDER_STALE_MINUTES)
    with transaction.atomic():
        pdf, _created = ProtocolPDF.objects.select_for_update().get_or_create(
            version=version, language=language
        )
        if pdf.status == Status.DONE and pdf.file and default_storage.exists(pdf.file.name):
            return None
        if pdf.status == Status.RENDERING and pdf.started_at and pdf.started_at > stale:
            return None
        pdf.status, pdf.started_at = Status.RENDERING, timezone.now()
        pdf.attempts += 1
        pdf.save(update_fields=["status", "started_at", "attempts"])
        return pdf


def _fail(pdf: ProtocolPDF, reason: str) -> str:
    ProtocolPDF.objects.filter(pk=pdf.pk).update(
        status=Status.FAILED, error=reason[:2000], finished_at=timezone.now()
    )
    logger.warning("protocol PDF %s failed: %s", pdf.pk, reason[:300])
    return "failed"


def protocol_render(version_id: int, language: str) -> str:
    """Render and store one protocol PDF. Returns what happened, in one word."""
    version = (
        MinutesVersion.objects.select_related("minutes__negotiation__round").filter(pk=version_id)
    ).first()
    if version is None:
        logger.warning("protocol render: version %s no longer exists", version_id)
        return "missing"
    if language != version.snapshot["language"]:
        logger.warning("protocol render: version %s is not in %r", version_id, language)
        return "wrong_language"
    pdf = _claim(version, language)
    if pdf is None:
        return "skipped"
    try:
        preflight(version.snapshot)
        html = protocol_html(version, language=language, draft=not version.approved)
        data, pages = render_pdf(html, identifier=version.content_sha256)
    except ContentTooLarge as error:
        return _fail(pdf, _("The content is too large to print: %(detail)s") % {"detail": error})
    except SoftTimeLimitExceeded:
        return _fail(pdf, _("Rendering took too long."))
    except Exception as error:  # a template or layout fault: retrying would fail the same way
        return _fail(pdf, f"{type(error).__name__}: {error}")
    name = f"protocols/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"
    try:
        stored = default_storage.save(name, ContentFile(data))
    except OSError as error:
        ProtocolPDF.objects.filter(pk=pdf.pk).update(
            status=Status.QUEUED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise TransientStorageError(str(error)) from error
    ProtocolPDF.objects.filter(pk=pdf.pk).update(
        status=Status.DONE,
        file=stored,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=pages,
        error="",
        finished_at=timezone.now(),
    )
    return "done"


def protocols_reconcile() -> int:
    """Queue approved versions that have no finished PDF and nobody rendering one.

    A worker killed mid-render leaves its row "rendering" (or "queued", if the message
    was lost); once that is older than PROTOCOL_RENDER_STALE_MINUTES it is queued again.
    Failed renders wait for an official: the same content would fail the same way.
    """
    stale = timezone.now() - timedelta(minutes=settings.PROTOCOL_RENDER_STALE_MINUTES)
    finished_or_failed = ProtocolPDF.objects.filter(
        version=OuterRef("pk"), status__in=[Status.DONE, Status.FAILED]
    )
    fresh = ProtocolPDF.objects.filter(version=OuterRef("pk"), requested_at__gt=stale).exclude(
        status__in=[Status.DONE, Status.FAILED]
    )
    fresh_running = ProtocolPDF.objects.filter(
        version=OuterRef("pk"), status=Status.RENDERING, started_at__gt=stale
    )
    versions = MinutesVersion.objects.filter(approved=True).filter(
        ~Exists(finished_or_failed), ~Exists(fresh), ~Exists(fresh_running)
    )
    count = 0
    for version in versions:
        with transaction.atomic():
            pdf, _created = ProtocolPDF.objects.select_for_update().get_or_create(
                version=version, language=version.snapshot["language"]
            )
            pdf.status, pdf.requested_at = Status.QUEUED, timezone.now()
            pdf.save(update_fields=["status", "requested_at"])
            _queue(pdf)
        count += 1
    if count:
        logger.info("protocol reconciler re-queued %s renders", count)
    return count
