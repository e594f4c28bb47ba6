from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A task that a committed action asked for, kept until a worker has run it.

    Written in the action's own transaction, so a broker that is down loses nothing: the
    row waits as "pending" and is sent again when the broker answers. The task marks its
    row done under a row lock, so a message sent twice runs once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the broker")
        SENT = "sent", _("Handed to the broker")
        DONE = "done", _("Done")

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("positional arguments"), default=list)
    kwargs = models.JSONField(_("keyword arguments"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("send attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # The drain reads the rows not yet done, oldest first.
            models.Index(
                fields=["created_at"],
                name="outbox_not_done",
                condition=~models.Q(status="done"),
            )
        ]

    def __str__(self):
        return f"{self.task} #{self.pk} ({self.status})"
