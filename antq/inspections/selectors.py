"""Who sees and who runs an inspection.

Seen by: the delegation's members, the people of the inspecting body and of the bodies
inspected. Run (sessions, findings, conclusion, recommendations, closing) by: the
delegation's members and the managers of the inspecting body.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from antq.accounts.models import Role, User
from antq.accounts.selectors import user_memberships, user_official_memberships
from antq.directives.selectors import judge_assignments
from antq.directives.status import Status
from antq.inspections.models import Inspection, Recommendation, SelfReport


def _body_ids(user: User, roles: tuple[str, ...] | None = None) -> list[int]:
    """The bodies where the user holds one of `roles`, or any official role (tip handling
    makes no one an official of the body)."""
    qs = user_official_memberships(user)
    if roles is not None:
        qs = qs.filter(role__in=roles)
    return list(qs.values_list("body_id", flat=True))


def inspections_for(user: User) -> QuerySet[Inspection]:
    qs = Inspection.objects.select_related("inspecting_body", "area", "conclusion")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    bodies = _body_ids(user)
    return qs.filter(
        Q(members__user=user) | Q(inspecting_body__in=bodies) | Q(inspected_bodies__in=bodies)
    ).distinct()


def user_may_run(user: User, inspection: Inspection) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or inspection.members.filter(user=user).exists():
        return True
    managers = (Role.MANAGER, Role.ADMINISTRATOR)
    return inspection.inspecting_body_id in _body_ids(user, managers)


def recommendation_state(rec: Recommendation, today: dt.date) -> str:
    """done, carried_over, overdue, in_progress or not_started."""
    if rec.carried_over_on:
        return "carried_over"
    lead = next((a for a in rec.task.assignments.all() if a.is_lead), None)
    if lead is None:
        return Status.NOT_STARTED.value
    return judge_assignments([lead], today)[0].status.value


def settled(rec: Recommendation, today: dt.date) -> bool:
    return recommendation_state(rec, today) in ("done", "done_late", "carried_over")


def _own_roles(user: User, report: SelfReport, roles: tuple[str, ...]) -> bool:
    """Has the user one of `roles` in the reporting body itself (a self-inspection report is
    the body's own; rights over its area from above do not write it)?"""
    if not user.is_authenticated or not user.is_active:
        return False
    return user_memberships(user).filter(body=report.body_id, role__in=roles).exists()


def may_edit_self_report(user: User, report: SelfReport) -> bool:
    return user.is_superuser or _own_roles(
        user, report, (Role.DATA_ENTRY, Role.APPROVER, Role.MANAGER, Role.ADMINISTRATOR)
    )


def may_submit_self_report(user: User, report: SelfReport) -> bool:
    return user.is_superuser or _own_roles(
        user, report, (Role.APPROVER, Role.MANAGER, Role.ADMINISTRATOR)
    )


def self_reports_for(user: User, inspection: Inspection) -> list[SelfReport]:
    """The self-inspection reports the user sees: all of them for those who run the
    inspection, their own bodies' otherwise."""
    qs = inspection.self_reports.select_related("body")
    if user_may_run(user, inspection):
        return list(qs)
    return list(qs.filter(body__in=_body_ids(user)))
