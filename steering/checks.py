"""Checks of the portal's settings that only matter in production."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ValidationError
from django.core.validators import validate_email


def _undeliverable(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return True
    domain = address.rsplit("@", 1)[1].lower().rstrip(".")
    return domain == "localhost" or domain.endswith((".localhost", ".localdomain"))


@register(deploy=True)
def accessibility_feedback_is_answered(app_configs=None, **kwargs):
    """The Act on the Provision of Digital Services requires a feedback channel on the
    accessibility statement; the local default, an @localhost address, reaches no one."""
    if not settings.PRODUCTION:
        return []
    address = settings.ACCESSIBILITY_FEEDBACK_EMAIL
    if not address or _undeliverable(address):
        return [
            Error(
                f"ACCESSIBILITY_FEEDBACK_EMAIL is {address!r}: the accessibility statement "
                "needs a real address for feedback.",
                hint="Set ACCESSIBILITY_FEEDBACK_EMAIL to a monitored mailbox of the portal.",
                id="steering.E001",
            )
        ]
    return []
