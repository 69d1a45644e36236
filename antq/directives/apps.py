from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "antq.directives"
    label = "directives"
    verbose_name = _("Directives, plans and tasks")

    def ready(self) -> None:
        from django.utils import timezone

        from antq.core.metrics import register_gauge
        from antq.directives.selectors import reminders_due

        register_gauge(
            "antq_reminders_due",
            "Tasks `antq remind` chases today: due within 7 days, and overdue.",
            lambda: reminders_due(timezone.localdate()),
            labels=("kind",),
            ttl=300,
        )
