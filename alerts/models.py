"""E-mail alerts for the public: an address, what it follows and in which language, kept
only while the subscription lives (an unconfirmed one for ALERTS_CONFIRM_DAYS at most)."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import CooperationArea, PortalLanguage, Region


def new_key() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    class Scope(models.TextChoices):
        ALL = "all", _("all regions")
        REGION = "region", _("one region")
        AREA = "area", _("one cooperation area")

    # Lower-cased when stored: one inbox, one subscription, however it was typed.
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language of the e-mails"), max_length=2, choices=PortalLanguage.choices
    )
    scope = models.CharField(_("protocols of"), max_length=10, choices=Scope.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    cooperation_area = models.ForeignKey(
        CooperationArea, verbose_name=_("cooperation area"), on_delete=models.CASCADE,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    # The secret of the unsubscribe address, and what the confirmation link signs: never
    # the row's number, which can be guessed.
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        constraints = [
            # The scope names exactly what it follows, so no row can follow two things
            # or nothing.
            models.CheckConstraint(
                condition=Q(scope="all", region__isnull=True, cooperation_area__isnull=True)
                | Q(scope="region", region__isnull=False, cooperation_area__isnull=True)
                | Q(scope="area", region__isnull=True, cooperation_area__isnull=False),
                name="alert_scope_names_its_target",
            ),
            # One subscription per address and target: asking again renews the request
            # instead of sending every alert twice.
            models.UniqueConstraint(
                fields=["email"], condition=Q(scope="all"), name="alert_once_for_all"
            ),
            models.UniqueConstraint(
                fields=["email", "region"],
                condition=Q(scope="region"),
                name="alert_once_per_region",
            ),
            models.UniqueConstraint(
                fields=["email", "cooperation_area"],
                condition=Q(scope="area"),
                name="alert_once_per_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.language})"

    @property
    def target(self):
        return self.region or self.cooperation_area
