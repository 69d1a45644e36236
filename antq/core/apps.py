from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "antq.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from antq.core.middleware import session_started

        # The session's login time, which SessionTimeoutMiddleware judges by.
        user_logged_in.connect(session_started, dispatch_uid="antq-session-started")
