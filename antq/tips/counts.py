"""The counts the tip line gives the indicators — numbers only, never contents.

Tips count by the month they were received, on the commune they are about; valuable tips
likewise (so that the rule "valuable ≤ received" holds month by month); cases cleared with
the help of tips, their suspects and the assets recovered by the month the case was cleared.
An erased tip keeps its row (without anything readable), so counts already made remain.
A drill-down lists a tip by its reference, day, channel and assessment only.
"""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from antq.indicators.derived import FLOW, Source, flow_behind, flow_counts, register
from antq.tips.models import Case, Tip, Triage


def _tip_row(tip: Tip) -> list:
    return [
        tip.reference,
        date_format(tip.received_on, "d/m/Y"),
        tip.get_channel_display(),
        tip.get_triage_display(),
    ]


def _case_row(case: Case) -> list:
    return [
        case.number,
        case.get_offence_display(),
        date_format(case.cleared_on, "d/m/Y"),
        case.suspects,
        case.assets_vnd,
    ]


TIP_COLUMNS = (_("Tip"), _("Received on"), _("Channel"), _("Assessment"))
CASE_COLUMNS = (
    _("Case number"),
    _("Offence group"),
    _("Cleared on"),
    _("Suspects"),
    _("Assets recovered (VND)"),
)


def sources() -> list[Source]:
    tips = Tip.objects.all()
    valuable = Tip.objects.filter(triage=Triage.VALUABLE)
    cleared = Case.objects.filter(cleared_on__isnull=False, tips__isnull=False).distinct()
    tip_common = {"columns": TIP_COLUMNS, "row": _tip_row, "title": lambda t: t.reference}
    case_common = {"columns": CASE_COLUMNS, "row": _case_row, "title": lambda c: c.number}
    return [
        Source(
            key="tips.received",
            kind=FLOW,
            label=_("tips received"),
            counts=flow_counts(tips, "received_on"),
            behind=flow_behind(tips, "received_on"),
            **tip_common,
        ),
        Source(
            key="tips.valuable",
            kind=FLOW,
            label=_("tips of value"),
            counts=flow_counts(valuable, "received_on"),
            behind=flow_behind(valuable, "received_on"),
            **tip_common,
        ),
        Source(
            key="tips.cases_cleared",
            kind=FLOW,
            label=_("cases cleared with the help of tips"),
            counts=flow_counts(cleared, "cleared_on"),
            behind=flow_behind(cleared, "cleared_on"),
            **case_common,
        ),
        Source(
            key="tips.suspects",
            kind=FLOW,
            label=_("suspects in cases cleared with the help of tips"),
            counts=flow_counts(cleared, "cleared_on", weight=lambda c: c.suspects),
            behind=flow_behind(cleared, "cleared_on"),
            **case_common,
        ),
        Source(
            key="tips.assets",
            kind=FLOW,
            label=_("assets recovered in cases cleared with the help of tips"),
            counts=flow_counts(cleared, "cleared_on", weight=lambda c: c.assets_vnd),
            behind=flow_behind(cleared, "cleared_on"),
            **case_common,
        ),
    ]


LINKS = {
    "TIPS_RECEIVED": "tips.received",
    "TIPS_VALUABLE": "tips.valuable",
    "CASES_CLEARED_BY_TIPS": "tips.cases_cleared",
    "SUSPECTS_BY_TIPS": "tips.suspects",
    "ASSETS_RECOVERED_VND": "tips.assets",
}


def register_all() -> None:
    for source in sources():
        register(source)
