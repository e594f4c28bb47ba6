from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

# What no public page shows: saving only these keeps the cached pages.
PRIVATE_FIELDS = frozenset({"registry_email"})


def _reference_changed(update_fields=None, **kwargs):
    """Every public page names regions, areas, organisations or topics."""
    from .public.cache import clear_public_pages

    if update_fields is None or set(update_fields) - PRIVATE_FIELDS:
        clear_public_pages()


def _attachment_deleted(instance, **kwargs):
    """A published attachment removed (say, one that should never have been public): the
    cached pages that list it go with it."""
    from .public.cache import clear_public_pages

    if instance.publicity == "public":
        clear_public_pages()


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = _("Minutes")

    def ready(self):
        from negotiations.hooks import register_follow_up_reporting
        from negotiations.models import Document
        from negotiations.signals import schedule_changed
        from regions.models import CooperationArea, Organisation, Region, Topic

        from . import checks  # noqa: F401 - registers the deployment checks
        from .public.cache import clear_public_pages
        from .services.outcomes import follow_up_reporting

        register_follow_up_reporting(follow_up_reporting)

        for model in (Region, CooperationArea, Organisation, Topic):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                uid = f"minutes.public-pages.{model.__name__}.{name}"
                signal.connect(_reference_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(
            _attachment_deleted, sender=Document, dispatch_uid="minutes.public-pages.attachment"
        )
        schedule_changed.connect(clear_public_pages, dispatch_uid="minutes.public-pages.schedule")
