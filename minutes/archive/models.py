"""An archive package of one round, asked for by an official and built by a worker."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArchiveExport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being built")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    round = models.ForeignKey(
        "negotiations.Round", on_delete=models.PROTECT, related_name="archive_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Protocols (negotiations with a publication) written so far, of how many.
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Moves with every protocol written: a build whose row stops moving has died.
    updated_at = models.DateTimeField(default=timezone.now)
    file = models.FileField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    # What failed, as codes and file names (`{"code": ..., "path": ...}`), put into words
    # when the page is drawn so each reader gets their own language; `error` is for logs.
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        app_label = "minutes"
        verbose_name = _("archive package")
        verbose_name_plural = _("archive packages")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # Two officials pressing the button together get the same build, not two
            # workers writing the same round twice.
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(status__in=["queued", "running"]),
                name="archive_one_active_per_round",
            ),
            # Offered for download only with its file and checksum.
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & ~Q(sha256="")),
                name="archive_ready_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} archive {self.requested_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.file)

    @property
    def filename(self) -> str:
        return f"{package_name(self)}.zip"


Status = ArchiveExport.Status
ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)
# The one table of moves: a build is claimed, then ends ready or failed; a queued one that
# never started can be failed (given up as stale). A finished export never changes.
ARCHIVE_TRANSITIONS = {
    Status.QUEUED: {Status.RUNNING, Status.FAILED},
    Status.RUNNING: {Status.READY, Status.FAILED},
    Status.READY: set(),
    Status.FAILED: set(),
}


def package_name(export: ArchiveExport) -> str:
    """The package's file name without `.zip`, and the folder everything in it sits in."""
    round_ = export.round
    return f"ohjausneuvottelut-{round_.year}-{round_.kind.replace('_', '-')}-{export.pk}"
