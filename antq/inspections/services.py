"""Every write about inspections: checked (located Vietnamese messages, nothing saved on a
problem), scoped (only those who run the inspection) and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from antq.accounts.models import Body
from antq.areas.models import Area
from antq.core.errors import RecordErrors
from antq.core.services import audit_record, notify
from antq.directives.models import Document, DocumentKind, DocumentLink, LinkKind
from antq.directives.services import document_create, task_create
from antq.inspections.models import (
    TIME_LIMIT_DAYS,
    Finding,
    FindingKind,
    Inspection,
    Level,
    Member,
    MemberRole,
    Recommendation,
    Session,
)
from antq.inspections.selectors import settled, user_may_run

WARN_DAYS = 7  # the time limit is warned about this many days ahead


def _today() -> dt.date:
    return timezone.localdate()


def _require_run(actor: Any, inspection: Inspection) -> None:
    if actor is not None and not user_may_run(actor, inspection):
        raise PermissionDenied(_("Only the delegation and its body's managers run it."))


def _d(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


@transaction.atomic
def inspection_create(
    *,
    actor: Any,
    title: str,
    inspecting_body: Body | None,
    level: str,
    area: Area | None,
    period_start: dt.date | None,
    period_end: dt.date | None,
    starts_on: dt.date | None,
    subjects: Iterable[Document] = (),
    inspected_bodies: Iterable[Body] = (),
    decision: Document | None = None,
) -> Inspection:
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = _("Give the inspection a title.")
    if inspecting_body is None:
        errors["inspecting_body"] = _("Choose the inspecting body.")
    if level not in Level.values:
        errors["level"] = _("Choose the level of the inspection.")
    if area is None:
        errors["area"] = _("Choose the area inspected.")
    if period_start is None or period_end is None:
        errors["period_end"] = _("Give the period covered.")
    elif period_end < period_start:
        errors["period_end"] = _(
            "The period covered ends (%(end)s) before it starts (%(start)s)."
        ) % {
            "end": _d(period_end),
            "start": _d(period_start),
        }
    if starts_on is None:
        errors["starts_on"] = _("Give the day the inspection starts.")
    bodies = list(inspected_bodies)
    if not bodies:
        errors["inspected_bodies"] = _("Choose the bodies inspected.")
    if errors:
        raise RecordErrors(errors)
    if actor is not None and not actor.is_superuser:
        from antq.accounts.selectors import Action, user_can

        if not user_can(actor, Action.MANAGE, body=inspecting_body):
            raise PermissionDenied(_("Only the inspecting body's managers set up an inspection."))
    inspection = Inspection.objects.create(
        title=title.strip(),
        inspecting_body=inspecting_body,
        level=level,
        area=area,
        period_start=period_start,
        period_end=period_end,
        starts_on=starts_on,
        decision=decision,
    )
    inspection.subjects.set(list(subjects))
    inspection.inspected_bodies.set(bodies)
    audit_record(actor=actor, action="inspections.created", obj=inspection, summary=title[:200])
    return inspection


@transaction.atomic
def member_add(
    *, actor: Any, inspection: Inspection, role: str, title: str, body_name: str = "", user=None
) -> Member:
    _require_run(actor, inspection)
    errors: dict[str, str] = {}
    if role not in MemberRole.values:
        errors["role"] = _("Choose the member's role.")
    elif role == MemberRole.HEAD and inspection.members.filter(role=MemberRole.HEAD).exists():
        errors["role"] = _("The delegation already has a head.")
    if not (title or "").strip():
        errors["title"] = _("Give the member's title (names are not needed).")
    if errors:
        raise RecordErrors(errors)
    member = Member.objects.create(
        inspection=inspection, role=role, title=title.strip(), body_name=body_name, user=user
    )
    audit_record(
        actor=actor, action="inspections.member_added", obj=inspection, summary=str(member)
    )
    return member


@transaction.atomic
def inspection_extend(*, actor: Any, inspection: Inspection, days: int) -> Inspection:
    """Extend the time limit; in all by no more than a third of it."""
    _require_run(actor, inspection)
    most = TIME_LIMIT_DAYS[inspection.level] // 3
    if days <= 0 or inspection.extension_days + days > most:
        raise RecordErrors(
            {
                "days": _("The time limit may be extended by %(most)s days at most in all.")
                % {"most": most}
            }
        )
    inspection.extension_days += days
    inspection.save(update_fields=["extension_days"])
    audit_record(actor=actor, action="inspections.extended", obj=inspection, summary=f"+{days}")
    return inspection


@transaction.atomic
def session_save(
    *,
    actor: Any,
    inspection: Inspection,
    held_at: dt.datetime | None,
    place: str,
    body: Body | None,
    attendees: str = "",
    agenda: str = "",
    minutes: str = "",
) -> Session:
    _require_run(actor, inspection)
    errors: dict[str, str] = {}
    if held_at is None:
        errors["held_at"] = _("Give the date and time of the session.")
    else:
        day = timezone.localtime(held_at).date() if timezone.is_aware(held_at) else held_at.date()
        if day < inspection.starts_on or day > inspection.deadline:
            errors["held_at"] = _(
                "The session falls outside the inspection's dates (%(start)s to %(end)s)."
            ) % {"start": _d(inspection.starts_on), "end": _d(inspection.deadline)}
    if body is None or not inspection.inspected_bodies.filter(pk=body.pk).exists():
        errors["body"] = _("Choose one of the bodies inspected.")
    if not (place or "").strip():
        errors["place"] = _("Give the place of the session.")
    if errors:
        raise RecordErrors(errors)
    session = Session.objects.create(
        inspection=inspection,
        held_at=held_at,
        place=place.strip(),
        body=body,
        attendees=attendees,
        agenda=agenda,
        minutes=minutes,
    )
    audit_record(actor=actor, action="inspections.session", obj=inspection, summary=str(session))
    return session


@transaction.atomic
def finding_add(*, actor: Any, inspection: Inspection, kind: str, text: str) -> Finding:
    _require_run(actor, inspection)
    errors = {}
    if kind not in FindingKind.values:
        errors["kind"] = _("Choose the kind of finding.")
    if not (text or "").strip():
        errors["text"] = _("Write the finding.")
    if errors:
        raise RecordErrors(errors)
    finding = Finding.objects.create(inspection=inspection, kind=kind, text=text.strip())
    audit_record(actor=actor, action="inspections.finding", obj=inspection, summary=str(finding))
    return finding


@transaction.atomic
def conclusion_issue(
    *,
    actor: Any,
    inspection: Inspection,
    symbol: str,
    issued_on: dt.date,
    subject: str = "",
    is_illustrative: bool = False,
) -> Document:
    """The conclusion notice (thông báo kết luận), issued by the inspecting body; it cites the
    documents inspected. Recommendations become its tasks."""
    _require_run(actor, inspection)
    if inspection.conclusion_id:
        raise RecordErrors({"symbol": _("The conclusion notice has already been issued.")})
    if issued_on < inspection.starts_on:
        raise RecordErrors({"issued_on": _("The notice cannot come before the inspection.")})
    try:
        notice = document_create(
            actor=actor,
            kind=DocumentKind.NOTICE,
            symbol=symbol,
            issuer=inspection.inspecting_body,
            issued_on=issued_on,
            subject=subject or _("Conclusion of the inspection: %(t)s") % {"t": inspection.title},
            is_illustrative=is_illustrative,
        )
    except ValidationError as exc:
        raise RecordErrors(
            {k: " ".join(v) for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"symbol": " ".join(exc.messages)}
        ) from None
    for doc in inspection.subjects.all():
        DocumentLink.objects.get_or_create(source=notice, target=doc, kind=LinkKind.CITES)
    inspection.conclusion = notice
    inspection.save(update_fields=["conclusion"])
    audit_record(actor=actor, action="inspections.concluded", obj=inspection, summary=symbol)
    return notice


@transaction.atomic
def recommendation_add(
    *, actor: Any, inspection: Inspection, text: str, body: Body | None, due_on: dt.date | None
) -> Recommendation:
    """A recommendation of the conclusion: a task of the notice for the responsible body."""
    _require_run(actor, inspection)
    errors: dict[str, str] = {}
    if inspection.conclusion_id is None:
        errors[""] = _("Issue the conclusion notice first: recommendations belong to it.")
    if inspection.closed_on:
        errors[""] = _("The inspection is closed.")
    if not (text or "").strip():
        errors["text"] = _("Write the recommendation.")
    if body is None:
        errors["body"] = _("A recommendation needs a responsible body.")
    if due_on is not None and inspection.conclusion_id and due_on < inspection.conclusion.issued_on:
        errors["due_on"] = _("The deadline cannot come before the conclusion notice.")
    if errors:
        raise RecordErrors(errors)
    title = text.strip()
    task = task_create(
        plan=inspection.conclusion,
        title=title[:300],
        content=title,
        lead_body=body,
        actor=actor,
        due_on=due_on,
    )
    rec = Recommendation.objects.create(inspection=inspection, task=task)
    audit_record(
        actor=actor, action="inspections.recommendation", obj=inspection, summary=title[:200]
    )
    return rec


@transaction.atomic
def recommendation_carry_over(
    *, actor: Any, recommendation: Recommendation, reason: str, on: dt.date | None = None
) -> Recommendation:
    inspection = recommendation.inspection
    _require_run(actor, inspection)
    if not (reason or "").strip():
        raise RecordErrors({"reason": _("Say why the recommendation is carried over.")})
    recommendation.carried_over_on = on or _today()
    recommendation.carried_over_reason = reason.strip()
    recommendation.save(update_fields=["carried_over_on", "carried_over_reason"])
    audit_record(
        actor=actor,
        action="inspections.carried_over",
        obj=inspection,
        summary=f"{recommendation.task.title[:120]}: {reason[:200]}",
    )
    return recommendation


@transaction.atomic
def inspection_close(
    *, actor: Any, inspection: Inspection, on: dt.date | None = None
) -> Inspection:
    """Close the inspection: only with its conclusion issued and every recommendation done
    or formally carried over."""
    _require_run(actor, inspection)
    on = on or _today()
    if inspection.closed_on:
        raise RecordErrors({"": _("The inspection is already closed.")})
    if inspection.conclusion_id is None:
        raise RecordErrors({"": _("Issue the conclusion notice before closing.")})
    open_ = [
        r.task.title
        for r in inspection.recommendations.select_related("task").prefetch_related(
            "task__assignments__reports"
        )
        if not settled(r, on)
    ]
    if open_:
        raise RecordErrors(
            {
                "": _("Recommendations still open: %(list)s. Each must be done or carried over.")
                % {"list": "; ".join(t[:80] for t in open_)}
            }
        )
    inspection.closed_on = on
    inspection.save(update_fields=["closed_on"])
    audit_record(actor=actor, action="inspections.closed", obj=inspection, summary=_d(on))
    return inspection


def phase(inspection: Inspection) -> str:
    if inspection.closed_on:
        return "closed"
    if inspection.conclusion_id:
        return "closing"
    if inspection.sessions.exists():
        return "conduct"
    return "preparation"


def time_limit_warnings(today: dt.date | None = None) -> int:
    """Notify the delegation's members (with accounts) of inspections without a conclusion
    whose time limit is within WARN_DAYS days or past (once per inspection, state, limit)."""
    today = today or _today()
    n = 0
    for inspection in Inspection.objects.filter(conclusion__isnull=True, closed_on__isnull=True):
        left = (inspection.deadline - today).days
        if left > WARN_DAYS:
            continue
        state = "overdue" if left < 0 else "near"
        title = (
            _("Inspection “%(t)s”: its time limit passed on %(d)s")
            if left < 0
            else _("Inspection “%(t)s”: its time limit is %(d)s")
        ) % {"t": inspection.title[:150], "d": _d(inspection.deadline)}
        for member in inspection.members.exclude(user__isnull=True).select_related("user"):
            n += notify(
                user=member.user,
                kind="inspection_limit",
                title=title,
                url=f"/inspections/{inspection.pk}/",
                dedupe_key=f"inspection:{inspection.pk}:{state}:{inspection.deadline:%Y%m%d}",
            )
    return n
