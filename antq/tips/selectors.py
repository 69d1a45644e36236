"""Who may read which tips: only the officers holding the tip-handling role in the body a
tip is routed to. No other role — administrator included, superuser included — reaches a
tip; a body above does not see its subordinates' tips."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from antq.accounts.models import Body, Role, User
from antq.accounts.selectors import body_memberships, user_memberships
from antq.tips.models import Case, Kind, State, Tip, Triage


def handler_bodies(user: User) -> list[Body]:
    """The bodies in which the user handles tips today."""
    if not user.is_authenticated or not user.is_active:
        return []
    return [m.body for m in user_memberships(user).filter(role=Role.TIP_HANDLER).order_by("pk")]


def user_handles(user: User, body: Body) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user_memberships(user).filter(role=Role.TIP_HANDLER, body=body).exists()


def body_handlers(body: Body) -> list[User]:
    return [
        m.user
        for m in body_memberships(body)
        .filter(role=Role.TIP_HANDLER, user__is_active=True)
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


def tips_awaiting_assessment() -> int:
    """For /metrics, one number for the whole deployment: tips not assessed yet, counting
    only those received before this hour began — a tip is dated to the hour, and the figure
    must not tell the minute one came in (the indicators wait for the hourly round too)."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    return Tip.objects.filter(
        triage=Triage.PENDING, erased_at__isnull=True, received_at__lt=hour
    ).count()
