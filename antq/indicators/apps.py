from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "antq.indicators"
    label = "indicators"
    verbose_name = _("Indicators and data")

    def ready(self) -> None:
        from antq.areas.signals import tree_changing, tree_rebuilt

        tree_changing.connect(_units_leave_the_totals, dispatch_uid="indicators-totals-out")
        tree_rebuilt.connect(_totals_follow_the_tree, dispatch_uid="indicators-totals-in")

        from antq.core.metrics import register_gauge
        from antq.indicators.jobs import jobs_by_status

        register_gauge(
            "antq_import_jobs",
            "Imports of filled templates kept (30 days), by status.",
            jobs_by_status,
            labels=("status",),
        )


def _units_leave_the_totals(units=None, **_kwargs) -> None:
    """Some areas are about to get new ancestors: take their values out of the totals of the
    ancestors they have now."""
    from antq.indicators import totals

    if units:
        totals.units_lock(units)
        totals.units_move(units, sign=-1)


def _totals_follow_the_tree(units=None, **_kwargs) -> None:
    """Totals are kept by the areas above each value as of its date: put the moved areas'
    values into their new ancestors' totals, or recompute everything after a reload."""
    from antq.indicators import totals
    from antq.indicators.models import DataValue

    if units:
        totals.units_move(units, sign=1)
    elif units is None and DataValue.objects.exists():
        totals.rebuild()
