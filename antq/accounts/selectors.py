"""Reads about people and bodies, and the one answer to "may this user do X on Y?"."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils import timezone

from antq.accounts.models import Body, Membership, Role, User
from antq.areas.models import Area
from antq.areas.selectors import (
    area_ids_below_at_any_time,
    area_ids_under_at_any_time,
    area_is_within,
    area_subtree_ids,
    area_successors,
)


class Action(StrEnum):
    VIEW = "view"
    ENTER = "enter"
    APPROVE = "approve"
    MANAGE = "manage"
    ADMINISTER = "administer"


# Which roles may do what, anywhere in their body's area subtree.
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.VIEW}),
    Role.DATA_ENTRY: frozenset({Action.VIEW, Action.ENTER}),
    Role.APPROVER: frozenset({Action.VIEW, Action.APPROVE}),
    Role.MANAGER: frozenset({Action.VIEW, Action.ENTER, Action.APPROVE, Action.MANAGE}),
    Role.ADMINISTRATOR: frozenset(Action),
    Role.TIP_HANDLER: frozenset(),  # only antq.tips looks at it
}
# The roles that make a user one of the body's officials. Tip handling is not one of them: it
# reads the tips routed to the body and nothing else (not its tasks, nor its inspections).
OFFICIAL_ROLES: tuple[str, ...] = tuple(role for role, actions in ROLE_ACTIONS.items() if actions)


def _valid_on(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def user_memberships(user: User, *, today: dt.date | None = None) -> QuerySet[Membership]:
    """The user's memberships in force today, in bodies that exist today."""
    today = today or timezone.localdate()
    return (
        Membership.objects.filter(_valid_on(today), _valid_on(today, "body__"), user=user)
        .select_related("body", "body__area")
        .order_by("body__name")
    )


def user_official_memberships(user: User, *, today: dt.date | None = None) -> QuerySet[Membership]:
    """The user's memberships in force today that make them an official of the body: every
    role but tip handling."""
    return user_memberships(user, today=today).filter(role__in=OFFICIAL_ROLES)


def body_memberships(body: Body, *, today: dt.date | None = None) -> QuerySet[Membership]:
    """The body's memberships in force today (the body itself in operation today)."""
    today = today or timezone.localdate()
    if not body.is_valid_on(today):
        return Membership.objects.none()
    return Membership.objects.filter(_valid_on(today), body=body)


def _roles_for(action: Action) -> list[str]:
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]


def user_scope_roots(user: User, action: Action | str) -> list[int]:
    """Ids of the areas at the top of the user's reach for this action."""
    action = Action(action)
    if not user.is_authenticated or not user.is_active:
        return []
    return list(
        user_memberships(user)
        .filter(role__in=_roles_for(action))
        .values_list("body__area_id", flat=True)
    )


def user_scope_area_ids(user: User, action: Action | str, on: dt.date | None = None) -> QuerySet:
    """A subquery of every area id the user may act on for this action, on the map of `on`."""
    on = on or timezone.localdate()
    return area_subtree_ids(user_scope_roots(user, action), on)


def user_scope_area_ids_any_time(user: User, action: Action | str) -> QuerySet:
    """Every area id the user may act on for this action in records of any date: the areas
    under their bodies' areas at any time, and the old units those were formed from."""
    return area_ids_under_at_any_time(user_scope_roots(user, action))


def user_can(
    user: User,
    action: Action | str,
    *,
    area: Area | None = None,
    body: Body | None = None,
    on: dt.date | None = None,
) -> bool:
    """May the user do `action` on this area (or on this body's area), as the map stood on `on`?

    Rights come from today's memberships and reach the body's area subtree. An area that no
    longer exists is reached through its successors: the officials of today's commune may act
    on the records of the communes it was formed from.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if area is None and body is None:
        raise ValueError("user_can needs an area or a body")
    target = area if area is not None else body.area
    roots = user_scope_roots(user, action)
    if not roots:
        return False
    today = timezone.localdate()
    on = on or today
    if area_is_within(target, roots, on):
        return True
    if not target.is_valid_on(today):
        return any(area_is_within(s.area, roots, today) for s in area_successors(target, today))
    return False


def user_scope_area_ids_below_any_time(user: User, action: Action | str) -> QuerySet:
    """As user_scope_area_ids_any_time, strictly below the areas of the user's bodies: what
    the user does as the level above (user_can_from_above)."""
    return area_ids_below_at_any_time(user_scope_roots(user, action))


def user_can_from_above(
    user: User, action: Action | str, *, area: Area, on: dt.date | None = None
) -> bool:
    """May the user do `action` on this area as the level above it? As user_can, but the
    right must come from a body of a higher area: a reporting unit submits, the level above
    approves or returns (DESIGN.md), so a unit never approves its own report — nor the
    reports of the units it was formed from."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roots = user_scope_roots(user, action)
    today = timezone.localdate()
    on = on or today
    above = [r for r in roots if r != area.pk]
    if above and area_is_within(area, above, on):
        return True
    if not area.is_valid_on(today):
        return any(
            area_is_within(s.area, [r for r in roots if r != s.area.pk], today)
            for s in area_successors(area, today)
        )
    return False


def bodies_on(on: dt.date | None) -> QuerySet[Body]:
    """Bodies in operation on the date; every body, ended ones too, when `on` is None."""
    qs = Body.objects.select_related("area", "parent")
    return qs.filter(_valid_on(on)) if on is not None else qs
