"""Who may read which tips: only the officers holding the tip-handling role in the body a
tip is routed to. No other role — administrator included, superuser included — reaches a
tip; a body above does not see its subordinates' tips."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from antq.accounts.models import Body, Membership, Role, User
from antq.tips.models import Case, Kind, State, Tip


def _valid(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def _handler_memberships(on: dt.date | None = None) -> QuerySet[Membership]:
    on = on or timezone.localdate()
    return Membership.objects.filter(_valid(on), _valid(on, "body__"), role=Role.TIP_HANDLER)


def handler_bodies(user: User) -> list[Body]:
    """The bodies in which the user handles tips today."""
    if not user.is_authenticated or not user.is_active:
        return []
    return [
        m.body
        for m in _handler_memberships().filter(user=user).select_related("body").order_by("pk")
    ]


def user_handles(user: User, body: Body) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return _handler_memberships().filter(user=user, body=body).exists()


def body_handlers(body: Body) -> list[User]:
    return [
        m.user
        for m in _handler_memberships()
        .filter(body=body, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    ]


def tips_for(user: User) -> QuerySet[Tip]:
    """The tips the user may read (metadata; contents open only through the services)."""
    return Tip.objects.filter(
        body__in=[b.pk for b in handler_bodies(user)], erased_at__isnull=True
    ).select_related("area", "body", "assignee")


def tips_due(user: User) -> QuerySet[Tip]:
    """Open reports of crimes with a legal deadline, the nearest first."""
    return (
        tips_for(user)
        .filter(kind=Kind.CRIME, deadline__isnull=False)
        .exclude(state=State.CLOSED)
        .order_by("deadline", "pk")
    )


def cases_for(user: User) -> QuerySet[Case]:
    return Case.objects.filter(body__in=[b.pk for b in handler_bodies(user)]).select_related(
        "area", "body"
    )
