from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regions and organisations")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .services import _signed_in

        user_logged_in.connect(_signed_in, dispatch_uid="regions.remember-language")
