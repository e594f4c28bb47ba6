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
