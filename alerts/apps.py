from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Public alerts")

    def ready(self):
        from minutes.signals import protocol_published, protocol_withdrawn

        from . import receivers

        protocol_published.connect(receivers.published, dispatch_uid="alerts.published")
        protocol_withdrawn.connect(receivers.withdrawn, dispatch_uid="alerts.withdrawn")
