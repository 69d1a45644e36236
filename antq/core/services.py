"""Writing to the audit log: the one place every service records what it changed."""

from __future__ import annotations

from typing import Any

from django.db import models

from antq.core.models import AuditEvent


def audit_record(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:500],
        changes=changes or {},
    )


def audit_diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    return {key: [old.get(key), new.get(key)] for key in new if old.get(key) != new.get(key)}


def notify(
    *, user: Any, kind: str, title: str, body: str = "", url: str = "", dedupe_key: str
) -> bool:
    """Leave an in-app notice for the user; False if the same notice was already left."""
    from antq.core.models import Notification

    _notice, created = Notification.objects.get_or_create(
        user=user,
        dedupe_key=dedupe_key[:200],
        defaults={"kind": kind, "title": title[:300], "body": body, "url": url[:500]},
    )
    return created


def notifications_mark_read(*, user: Any) -> int:
    from django.utils import timezone

    from antq.core.models import Notification

    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
