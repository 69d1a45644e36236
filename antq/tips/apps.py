from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipsConfig(AppConfig):
    name = "antq.tips"
    verbose_name = _("Citizen tips")

    def ready(self) -> None:
        # Counts (never contents) join the indicators' derived sources.
        from antq.tips import counts

        counts.register_all()
