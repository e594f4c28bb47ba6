from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _party_renamed(update_fields=None, **kwargs):
    """Every public page names regions and areas: drop the cached ones when one changes."""
    from regions.selectors import PRIVATE_FIELDS

    from .public_cache import invalidate_public_pages

    if update_fields is None or set(update_fields) - PRIVATE_FIELDS:
        transaction.on_commit(invalidate_public_pages)


def _attachment_deleted(instance, **kwargs):
    """A published attachment removed (say, one that should never have been public): the
    cached pages that list it go with it."""
    from .public_cache import invalidate_public_pages

    if instance.publicity == "public":
        transaction.on_commit(invalidate_public_pages)


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("Minutes")

    def ready(self):
        from negotiations.hooks import register_follow_up_reporting
        from negotiations.models import Document
        from regions.models import CooperationArea, Region

        from . import checks  # noqa: F401 - registers the deployment checks
        from .outcomes import follow_up_reporting

        register_follow_up_reporting(follow_up_reporting)

        for model in (Region, CooperationArea):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                uid = f"minutes.public-pages.{model.__name__}.{name}"
                signal.connect(_party_renamed, sender=model, dispatch_uid=uid)
        post_delete.connect(
            _attachment_deleted, sender=Document, dispatch_uid="minutes.public-pages.attachment"
        )
