from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "antq.indicators"
    label = "indicators"
    verbose_name = _("Indicators and data")

    def ready(self) -> None:
        from antq.areas.signals import tree_rebuilt

        tree_rebuilt.connect(_totals_follow_the_tree, dispatch_uid="indicators-totals")


def _totals_follow_the_tree(**_kwargs) -> None:
    """Totals are kept by the areas above each value as of its date: recompute them."""
    from antq.indicators import totals
    from antq.indicators.models import DataValue

    if DataValue.objects.exists():
        totals.rebuild()
