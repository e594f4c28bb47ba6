from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regions and organisations")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .models import CooperationArea, Region
        from .selectors import reference_data_changed
        from .services import _signed_in

        user_logged_in.connect(_signed_in, dispatch_uid="regions.remember-language")

        for model in (Region, CooperationArea):
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                uid = f"regions.forget-reference-data.{model.__name__}.{name}"
                signal.connect(reference_data_changed, sender=model, dispatch_uid=uid)
