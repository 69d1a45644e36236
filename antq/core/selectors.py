"""Reads of what every app shares: a user's notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from antq.core.models import Notification


def notifications_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
