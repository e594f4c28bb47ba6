import logging

from django.db import transaction

from .models import Region

logger = logging.getLogger(__name__)


@transaction.atomic
def region_contact_update(*, region: Region, registry_email: str, by) -> Region:
    region.registry_email = registry_email.strip()
    region.save(update_fields=["registry_email"])
    logger.info("region %s registry e-mail changed by user %s", region.slug, by.pk)
    return region


def user_language_remember(*, user, language: str) -> None:
    """A person with no language of their own and no region to take it from gets the one
    they signed in with (the page's, which follows the browser): without it every official
    would be written to in Finnish. Region staff keep their region's main language."""
    from .models import PortalLanguage

    code = (language or "")[:2]
    if user.language or user.region_id or code not in PortalLanguage.values:
        return
    type(user).objects.filter(pk=user.pk, language="").update(language=code)
    user.language = code


def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(user, "language"):
        user_language_remember(user=user, language=getattr(request, "LANGUAGE_CODE", ""))
