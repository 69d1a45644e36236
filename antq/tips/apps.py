from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipsConfig(AppConfig):
    name = "antq.tips"
    verbose_name = _("Citizen tips")

    def ready(self) -> None:
        # Counts (never contents) join the indicators' derived sources.
        from antq.tips import counts

        counts.register_all()
        # One total for the operators' monitoring; nothing per body or area (docs/security.md).
        from antq.core.metrics import register_gauge
        from antq.tips.selectors import tips_awaiting_assessment

        register_gauge(
            "antq_tips_awaiting_assessment",
            "Tips not assessed yet, received before the current hour (one total).",
            lambda: [((), tips_awaiting_assessment())],
            ttl=300,
        )
