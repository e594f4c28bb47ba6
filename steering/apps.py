from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteeringConfig(AppConfig):
    name = "steering"
    verbose_name = _("Steering negotiations")

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks
