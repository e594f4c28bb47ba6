"""The rules of a sign-in through an organisation's provider: who may come in, as whom."""

import logging

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from regions.models import PortalLanguage

from .models import ProviderBinding

logger = logging.getLogger("steering.signin")


class Refusal(Exception):
    """A sign-in that must not go on; `reason` is one of REASONS."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


# What the refused person reads. They never learn more than they need: not which
# organisation owns a domain, nor whether someone else has an account.
REASONS = {
    "not_configured": _("This identity provider is not set up for signing in to the portal."),
    "no_email": _("Your identity provider did not give a verified e-mail address."),
    "domain": _("Your e-mail address is not in a domain this identity provider may sign in for."),
    "other_side": _(
        "Your account belongs to another organisation or region than this identity provider."
    ),
    "taken": _(
        "An account with this e-mail address already exists. Ask the portal's administrator "
        "to connect it to your organisation's sign-in."
    ),
    "inactive": _("Your account has been closed."),
    "provider_error": _(
        "Signing in through your organisation's identity provider did not succeed: the "
        "provider did not answer as expected, or the sign-in had expired or was already "
        "used. Please try again."
    ),
}


def binding_for(app) -> ProviderBinding | None:
    if app is None or not app.pk:
        return None
    return (
        ProviderBinding.objects.select_related("organisation", "region")
        .filter(app=app, active=True)
        .first()
    )


def verified_email(binding: ProviderBinding, claims: dict) -> str | None:
    email = str(claims.get("email") or "").strip().lower()
    if not email or email.count("@") != 1:
        return None
    verified = claims.get("email_verified")
    if verified is True or (isinstance(verified, str) and verified.lower() == "true"):
        return email
    return email if binding.trust_email else None


def check_sign_in(*, binding: ProviderBinding | None, claims: dict, user=None) -> str:
    """The verified e-mail address of a sign-in that may go on; raises Refusal otherwise.

    `user` is the account already linked to this provider's subject, if any: it keeps its
    organisation or region for good, whatever a later token says.
    """
    if binding is None:
        raise Refusal("not_configured")
    email = verified_email(binding, claims)
    if email is None:
        raise Refusal("no_email")
    domain = email.rsplit("@", 1)[1]
    if domain not in binding.domains:
        raise Refusal("domain", f"domain {domain} not allowed for {binding.app.provider_id}")
    if user is not None:
        if not user.is_active:
            raise Refusal("inactive", f"user {user.pk} inactive")
        if (user.organisation_id, user.region_id) != (
            binding.organisation_id,
            binding.region_id,
        ):
            raise Refusal("other_side", f"user {user.pk} is bound elsewhere")
        return email
    users = get_user_model().objects
    if users.filter(email__iexact=email).exists() or users.filter(username=email).exists():
        # Never take over an existing (local) account by its address alone.
        raise Refusal("taken", "an account with this address exists")
    return email


def language_for(binding: ProviderBinding, browser_language: str | None) -> str:
    """A new account's language of e-mails: the browser's, where the region speaks it (or
    for the ministries, any of the portal's); else empty, which means the region's main
    language (Finnish for the ministries)."""
    language = (browser_language or "")[:2]
    if language not in PortalLanguage.values:
        return ""
    if binding.region_id and language not in binding.region.languages:
        return ""
    return language


def log_refusal(request, provider_id: str, refusal: Refusal) -> None:
    logger.warning(
        "sign-in refused: provider=%s reason=%s %s client=%s",
        provider_id,
        refusal.reason,
        refusal.detail,
        request.META.get("REMOTE_ADDR", ""),
    )
