from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

import antq
from antq.core.selectors import unread_count

# The modules of antq, in the order of the chain they follow. Those not built yet are shown
# greyed so officials see where the platform is going.
_MODULES = [
    ("areas", _("Areas"), "areas:browser"),
    ("bodies", _("Bodies"), "web:bodies"),
    ("directives", _("Directives & plans"), "directives:documents"),
    ("indicators", _("Indicators & data"), "indicators:index"),
    ("grassroots", _("Grassroots registries"), "grassroots:index"),
    ("tips", _("Citizen tips"), "tips:index"),
    ("inspections", _("Inspections"), "inspections:list"),
]


def shell(request: HttpRequest) -> dict:
    current = getattr(request, "resolver_match", None)
    namespace = current.namespace if current else ""
    url_name = current.url_name if current else ""
    nav = []
    for key, label, url_name_target in _MODULES:
        active = key == namespace or (key == "bodies" and url_name == "bodies")
        nav.append(
            {
                "key": key,
                "label": label,
                "url": reverse(url_name_target) if url_name_target else None,
                "active": active,
            }
        )
    return {
        "antq_nav": nav,
        "antq_version": antq.__version__,
        "antq_unread": SimpleLazyObject(lambda: unread_count(request.user)),
    }
