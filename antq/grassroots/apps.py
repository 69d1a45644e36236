from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrassrootsConfig(AppConfig):
    name = "antq.grassroots"
    verbose_name = _("Grassroots registries")

    def ready(self) -> None:
        # The registry's counts join the indicators' derived sources (antq.indicators.derived).
        from antq.grassroots import counts

        counts.register_all()
