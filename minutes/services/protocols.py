"""Protocol PDFs: asking for one, rendering it (in a worker), and healing lost renders."""

import hashlib
import logging
import os
import socket
import threading
import uuid
from contextlib import contextmanager
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from steering.outbox import enqueue

from ..models import PDF_TRANSITIONS, MinutesVersion, ProtocolPDF, TransitionRefused, pdf_sources
from ..pdf import ContentTooLarge, preflight, protocol_html, protocol_xmp, render_pdf
from ..translation import languages, rendition

logger = logging.getLogger(__name__)
Status = ProtocolPDF.Status


class TransientStorageError(Exception):
    """Storing the PDF failed in a way that may pass: worth a retry."""


def pdf_move(pdf: ProtocolPDF, status, **fields) -> bool:
    """The one way a PDF's render state changes: refused (TransitionRefused) unless
    PDF_TRANSITIONS allows it from the state `pdf` was read in, and written only if the
    row is still in a state that may move there, so that a render given up on cannot
    overwrite what happened since. Returns whether the row moved. Its history is the
    row's own dates and attempts, and this log line."""
    if status not in PDF_TRANSITIONS[pdf.status]:
        # No page offers such a move: this is a fault in the code, for the log, untranslated.
        raise TransitionRefused(
            f"protocol PDF {pdf.pk}: no move from {pdf.status} to {status}",
            current=pdf.status,
            target=status,
        )
    moved = ProtocolPDF.objects.filter(pk=pdf.pk, status__in=pdf_sources(status)).update(
        status=status, **fields
    )
    if moved:
        logger.info("protocol PDF %s: %s -> %s", pdf.pk, pdf.status, status)
        pdf.status = status
        for name, value in fields.items():
            setattr(pdf, name, value)
    return bool(moved)


def _queue(pdf: ProtocolPDF) -> None:
    from ..tasks import render_protocol

    enqueue(render_protocol, pdf.version_id, pdf.language)


@transaction.atomic
def protocol_request(*, version: MinutesVersion, language: str | None = None) -> ProtocolPDF:
    """Ask for the PDF of a version in one of its languages, or with none named in each
    (the main one's returned); a finished or running one is not rendered again."""
    written_in = languages(version.snapshot)
    if language is None:
        for other in written_in[1:]:
            _request(version, other)
        language = written_in[0]
    if language not in written_in:
        raise ValidationError(
            _("The protocol is written in %(language)s only.")
            % {"language": ", ".join(written_in)},
            code="language",
        )
    return _request(version, language)


def _request(version: MinutesVersion, language: str) -> ProtocolPDF:
    pdf, created = ProtocolPDF.objects.select_for_update().get_or_create(
        version=version, language=language
    )
    if created or pdf.has_failed:
        pdf_move(pdf, Status.QUEUED, requested_at=timezone.now(), error="")
        _queue(pdf)
    return pdf


def _this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _holder_gone(pdf: ProtocolPDF) -> bool:
    """The worker rendering this PDF is dead: its heartbeat stopped, or it ran on this
    host and its process no longer exists (a restarted worker knows at once)."""
    if pdf.status != Status.RENDERING:
        return False
    silent = timezone.now() - timedelta(seconds=settings.PROTOCOL_HEARTBEAT_STALE_SECONDS)
    if (pdf.heartbeat_at or pdf.started_at or timezone.now()) < silent:
        return True
    host, _sep, pid = pdf.worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or pdf.worker == _this_worker():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


def _claim(version: MinutesVersion, language: str) -> ProtocolPDF | None:
    """Mark the PDF as being rendered by us, unless it is done or a live worker is on it."""
    stale = timezone.now() - timedelta(minutes=settings.PROTOCOL_RENDER_STALE_MINUTES)
    with transaction.atomic():
        pdf, _created = ProtocolPDF.objects.select_for_update().get_or_create(
            version=version, language=language
        )
        if pdf.is_ready and pdf.file and default_storage.exists(pdf.file.name):
            return None
        if Status.RENDERING not in PDF_TRANSITIONS[pdf.status]:
            return None  # failed: it waits for an official's retry
        if (
            pdf.status == Status.RENDERING
            and pdf.started_at
            and pdf.started_at > stale
            and not _holder_gone(pdf)
        ):
            return None
        if pdf.status == Status.RENDERING:
            logger.warning("protocol PDF %s: taking over from dead worker %s", pdf.pk, pdf.worker)
        now = timezone.now()
        pdf_move(
            pdf, Status.RENDERING, started_at=now, heartbeat_at=now, worker=_this_worker(),
            attempts=pdf.attempts + 1,
        )  # fmt: skip
        return pdf


@contextmanager
def _heartbeat(pdf: ProtocolPDF):
    """Say every few seconds, from a thread of our own, that this render is alive."""
    stop = threading.Event()
    worker = pdf.worker

    def beat():
        try:
            while not stop.wait(settings.PROTOCOL_HEARTBEAT_SECONDS):
                ProtocolPDF.objects.filter(
                    pk=pdf.pk, status=Status.RENDERING, worker=worker
                ).update(heartbeat_at=timezone.now())
        except Exception:  # a missed beat costs at worst a second render, never this one
            logger.exception("protocol PDF %s: heartbeat failed", pdf.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"pdf-heartbeat-{pdf.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


def _fail(pdf: ProtocolPDF, reason: str) -> str:
    pdf_move(pdf, Status.FAILED, error=reason[:2000], finished_at=timezone.now(), worker="")
    # An error, not a warning: a failed render waits for an official (minutes page and
    # round dashboard show it with a retry), and the operators should hear of it too.
    logger.error("protocol PDF %s failed: %s", pdf.pk, reason[:300])
    return "failed"


def protocol_render(version_id: int, language: str) -> str:
    """Render and store one protocol PDF. Returns what happened, in one word."""
    version = (
        MinutesVersion.objects.select_related("minutes__negotiation__round").filter(pk=version_id)
    ).first()
    if version is None:
        logger.warning("protocol render: version %s no longer exists", version_id)
        return "missing"
    if language not in languages(version.snapshot):
        logger.warning("protocol render: version %s is not in %r", version_id, language)
        return "wrong_language"
    pdf = _claim(version, language)
    if pdf is None:
        return "skipped"
    try:
        preflight(rendition(version.snapshot, language))
        html = protocol_html(version, language=language, draft=not version.approved)
        with _heartbeat(pdf):
            data, pages = render_pdf(
                html,
                identifier=version.content_sha256,
                xmp=protocol_xmp(version, language=language),
            )
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
        pdf_move(pdf, Status.QUEUED, error=f"{type(error).__name__}: {error}"[:2000])
        raise TransientStorageError(str(error)) from error
    sha256 = hashlib.sha256(data).hexdigest()
    if pdf.sha256 and pdf.sha256 != sha256:  # a re-render of a lost file should be identical
        logger.error("protocol PDF %s re-rendered with a different sha256", pdf.pk)
    try:
        updated = pdf_move(
            pdf,
            Status.DONE,
            file=stored,
            sha256=sha256,
            size=len(data),
            pages=pages,
            error="",
            finished_at=timezone.now(),
            checked_at=timezone.now(),
            worker="",
        )
    except Exception:
        # No row will ever point at the file: remove it rather than leave an orphan.
        default_storage.delete(stored)
        raise
    if not updated:  # gone, or finished or failed by another render meanwhile
        default_storage.delete(stored)
        return "skipped" if ProtocolPDF.objects.filter(pk=pdf.pk).exists() else "missing"
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
        for language in languages(version.snapshot):
            with transaction.atomic():
                pdf, _created = ProtocolPDF.objects.select_for_update().get_or_create(
                    version=version, language=language
                )
                _requeue(pdf)
            count += 1
    count += _requeue_dead_holders()
    count += protocols_check_files(limit=settings.PROTOCOL_FILE_CHECKS_PER_RUN)
    if count:
        logger.info("protocol reconciler re-queued %s renders", count)
    return count


def _requeue(pdf: ProtocolPDF) -> None:
    pdf_move(pdf, Status.QUEUED, requested_at=timezone.now(), worker="")
    _queue(pdf)


def _requeue_dead_holders() -> int:
    """Renders held by a worker that is gone are queued again now, not after the stale
    timeout: the dead worker's own message may come back only an hour later."""
    count = 0
    for candidate in ProtocolPDF.objects.filter(status=Status.RENDERING):
        with transaction.atomic():
            pdf = ProtocolPDF.objects.select_for_update().get(pk=candidate.pk)
            if _holder_gone(pdf):
                logger.warning("protocol PDF %s: worker %s is gone", pdf.pk, pdf.worker)
                _requeue(pdf)
                count += 1
    return count


def protocols_check_files(*, limit: int | None = None) -> int:
    """Queue a render for each finished PDF whose file is missing from storage.

    Checks the `limit` rows seen longest ago (all with no limit), so that every file is
    looked at in turn while each run stays cheap. The render is byte-identical to the lost
    file: the PDF is made from the frozen version with its own identifier and no dates.
    """
    rows = ProtocolPDF.objects.filter(status=Status.DONE).order_by(
        models.F("checked_at").asc(nulls_first=True), "pk"
    )
    if limit is not None:
        rows = rows[:limit]
    missing = 0
    for candidate in list(rows):
        if candidate.file and default_storage.exists(candidate.file.name):
            ProtocolPDF.objects.filter(pk=candidate.pk).update(checked_at=timezone.now())
            continue
        with transaction.atomic():
            pdf = ProtocolPDF.objects.select_for_update().get(pk=candidate.pk)
            if not pdf.is_ready:
                continue
            logger.error(
                "protocol PDF %s: file %r is missing; rendering again", pdf.pk, pdf.file.name
            )
            pdf.checked_at = timezone.now()
            pdf.save(update_fields=["checked_at"])
            _requeue(pdf)
            missing += 1
    return missing
