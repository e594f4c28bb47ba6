"""Which organisation or region each identity provider speaks for, and for which domains.

allauth's SocialApp holds the provider itself (issuer, client id, secret); a binding says
whose people it signs in. An account is only ever created for the side its provider is
bound to, and only for an e-mail address in one of the domains listed here.
"""

import os
import re

from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regions.models import Organisation, Region

DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


def parse_domains(text: str) -> list[str]:
    return [d for d in re.split(r"[\s,;]+", (text or "").strip().lower()) if d]


class ProviderBinding(models.Model):
    app = models.OneToOneField(
        SocialApp,
        verbose_name=_("identity provider"),
        on_delete=models.CASCADE,
        related_name="binding",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    email_domains = models.TextField(
        _("allowed e-mail domains"),
        help_text=_("One per line, for example stm.fi. Only these addresses may sign in."),
    )
    secret_env = models.CharField(
        _("environment variable of the secret"),
        max_length=100,
        blank=True,
        help_text=_(
            "Name of an environment variable holding the client secret, for example "
            "OIDC_SECRET_STM. When set and present, it is used instead of the secret "
            "stored with the provider."
        ),
    )
    trust_email = models.BooleanField(
        _("trust the e-mail claim"),
        default=False,
        help_text=_(
            "Accept an e-mail address the provider does not mark as verified. Microsoft "
            "Entra ID sends no email_verified claim; its addresses are in domains the "
            "tenant has verified."
        ),
    )
    active = models.BooleanField(_("offered on the login page"), default=True)

    class Meta:
        verbose_name = _("sign-in provider")
        verbose_name_plural = _("sign-in providers")
        constraints = [
            # A provider signs in the people of exactly one side of the table.
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(region__isnull=True))
                | (Q(organisation__isnull=True) & Q(region__isnull=False)),
                name="binding_one_side_exactly",
                violation_error_message=_("Choose either an organisation or a region, not both."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.app.name} → {self.side}"

    @property
    def side(self):
        return self.organisation or self.region

    @property
    def domains(self) -> list[str]:
        return parse_domains(self.email_domains)

    def clean(self):
        errors = {}
        bad = [d for d in self.domains if not DOMAIN.match(d)]
        if not self.domains:
            errors["email_domains"] = _("Name at least one e-mail domain.")
        elif bad:
            errors["email_domains"] = _("Not a domain name: %(names)s") % {"names": ", ".join(bad)}
        if self.secret_env and not ENV_NAME.match(self.secret_env):
            errors["secret_env"] = _("Use capital letters, digits and underscores only.")
        if self.app_id and self.app.provider != "openid_connect":
            errors["app"] = _("Choose an OpenID Connect provider.")
        if errors:
            raise ValidationError(errors)

    def secret(self) -> str | None:
        """The client secret from the named environment variable, if it is set there."""
        if self.secret_env:
            return os.environ.get(self.secret_env) or None
        return None
