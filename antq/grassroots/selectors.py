"""Scoped reads of the grassroots registries.

A user sees the records of the areas under their bodies' areas, at any date (and of the old
communes today's communes were formed from); a superuser sees everything. Members of
security teams are real people: their names and birth dates are shown only to users whose
scope covers the team.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from antq.accounts.models import Body, Role
from antq.accounts.selectors import (
    Action,
    user_can,
    user_can_from_above,
    user_official_memberships,
    user_scope_area_ids_any_time,
)
from antq.areas.models import LEVEL_RANK, Area, Level
from antq.areas.selectors import area_ids_under_at_any_time
from antq.grassroots.models import (
    MediaItem,
    ModelType,
    MovementEvent,
    SecurityTeam,
    SelfManagementModel,
)


def _scoped(qs: QuerySet, user, field: str = "area_id") -> QuerySet:
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(**{f"{field}__in": user_scope_area_ids_any_time(user, Action.VIEW)})


def _under(qs: QuerySet, area: Area | None, field: str = "area_id") -> QuerySet:
    """Only records of areas that have been under `area` (or the communes it was formed
    from): the map-free area drill-down of the list pages."""
    if area is None:
        return qs
    return qs.filter(**{f"{field}__in": area_ids_under_at_any_time([area.pk])})


def models_visible_to(
    user,
    *,
    area: Area | None = None,
    type: str = "",
    status: str = "",
    q: str = "",
    founded_from: dt.date | None = None,
    founded_to: dt.date | None = None,
) -> QuerySet[SelfManagementModel]:
    qs = _under(_scoped(SelfManagementModel.objects.all(), user), area)
    if type:
        qs = qs.filter(type__code=type)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(place__icontains=q))
    if founded_from:
        qs = qs.filter(founded_on__gte=founded_from)
    if founded_to:
        qs = qs.filter(founded_on__lte=founded_to)
    return (
        qs.select_related("type", "area", "host_body")
        .annotate(n_replicas=Count("replicas", distinct=True))
        .order_by("name", "id")
    )


def model_types() -> QuerySet[ModelType]:
    return ModelType.objects.order_by("name")


def teams_visible_to(
    user, *, area: Area | None = None, q: str = "", active_on: dt.date | None = None
) -> QuerySet[SecurityTeam]:
    qs = _under(_scoped(SecurityTeam.objects.all(), user), area)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(place__icontains=q))
    if active_on:
        qs = qs.filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=active_on),
            established_on__lte=active_on,
        )
    return (
        qs.select_related("area")
        .annotate(n_members=Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by("area_id", "place", "id")
    )


def media_visible_to(
    user,
    *,
    area: Area | None = None,
    kind: str = "",
    level: str = "",
    q: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[MediaItem]:
    qs = _under(_scoped(MediaItem.objects.all(), user), area)
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(outlet_level=level)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(outlet__icontains=q))
    if date_from:
        qs = qs.filter(published_on__gte=date_from)
    if date_to:
        qs = qs.filter(published_on__lte=date_to)
    return qs.select_related("area")


def events_visible_to(
    user,
    *,
    area: Area | None = None,
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[MovementEvent]:
    qs = _under(_scoped(MovementEvent.objects.all(), user), area)
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(held_on__gte=date_from)
    if date_to:
        qs = qs.filter(held_on__lte=date_to)
    return qs.select_related("area")


def user_may_enter(user, area: Area, on: dt.date | None = None) -> bool:
    return user_can(user, Action.ENTER, area=area, on=on or area.valid_to or None)


def user_may_register(user) -> bool:
    """Does the user hold a role that registers records anywhere (shows the "new" buttons)?"""
    from antq.accounts.selectors import user_scope_roots

    return bool(
        user.is_authenticated and (user.is_superuser or user_scope_roots(user, Action.ENTER))
    )


# --- the annual assessment ---------------------------------------------------------------


def assessment_sheet(year: int):
    from antq.grassroots.models import CriteriaSheet

    return CriteriaSheet.objects.filter(year=year).prefetch_related("criteria").first()


SHEET_ROLES = (Role.MANAGER, Role.ADMINISTRATOR)


def sheet_owner_for(user) -> Body | None:
    """The body in whose name the user sets a year's criteria sheet: the highest body above
    the communes that they manage (the communes are assessed against the sheet)."""
    if not user.is_authenticated or not user.is_active:
        return None
    bodies = [
        m.body
        for m in user_official_memberships(user).filter(role__in=SHEET_ROLES)
        if LEVEL_RANK[m.body.area.level] < LEVEL_RANK[Level.COMMUNE]
    ]
    return min(bodies, key=lambda b: (LEVEL_RANK[b.area.level], b.pk), default=None)


def user_may_set_sheet(user, sheet) -> bool:
    """A year without a sheet: the managers of a body above the communes set one. A sheet
    that exists: only the managers and administrators of the body that set it (superusers
    too; a sheet set by no body, by the system or the demo, only they)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if sheet is None:
        return sheet_owner_for(user) is not None
    return (
        sheet.owner_id is not None
        and user_official_memberships(user)
        .filter(body=sheet.owner_id, role__in=SHEET_ROLES)
        .exists()
    )


def assessments_visible_to(user, *, year: int, area: Area | None = None) -> QuerySet:
    from antq.grassroots.models import MovementAssessment

    qs = _under(_scoped(MovementAssessment.objects.filter(sheet__year=year), user), area)
    return qs.select_related("area", "sheet").order_by("area__name")


@dataclass(frozen=True)
class ClassShare:
    classification: str
    label: str
    count: int
    share: float  # of the communes reviewed


def class_shares(assessments: QuerySet) -> list[ClassShare]:
    """How many reviewed communes fall in each class, and their share of those reviewed."""
    from antq.grassroots.models import AssessmentStatus, Classification

    counts = dict(
        assessments.filter(status=AssessmentStatus.REVIEWED)
        .values_list("classification")
        .annotate(n=Count("id"))
    )
    reviewed = sum(counts.values())
    return [
        ClassShare(
            c.value,
            c.label,
            counts.get(c.value, 0),
            counts.get(c.value, 0) / reviewed if reviewed else 0.0,
        )
        for c in Classification
    ]


def recognitions_visible_to(user, *, year: int, area: Area | None = None) -> QuerySet:
    from antq.grassroots.models import SafetyRecognition

    qs = _under(_scoped(SafetyRecognition.objects.filter(year=year), user), area)
    return qs.select_related("area").order_by("area__name")


def user_may_review(user, assessment) -> bool:
    """The level above the commune: an approver whose reach comes from a higher area."""
    on = dt.date(assessment.sheet.year, 12, 31)
    return user_can_from_above(user, Action.APPROVE, area=assessment.area, on=on)
