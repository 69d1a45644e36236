"""Reads of documents, lineage, plans and assignments, scoped to the reader."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from antq.accounts.models import Body, Membership, Role, User
from antq.accounts.selectors import (
    Action,
    user_can,
    user_official_memberships,
    user_scope_area_ids_any_time,
    user_scope_roots,
)
from antq.areas.models import Level
from antq.directives.models import Assignment, Document, DocumentLink, ProgressReport, Task
from antq.directives.status import Judgement, Report, Status, derive_status
from antq.directives.symbols import normalise_symbol

STATUS_LABELS = {
    Status.NOT_STARTED: _("Not started"),
    Status.IN_PROGRESS: _("In progress"),
    Status.DONE: _("Done"),
    Status.DONE_LATE: _("Done late"),
    Status.OVERDUE: _("Overdue"),
}
STATUS_ORDER = [
    Status.DONE,
    Status.DONE_LATE,
    Status.IN_PROGRESS,
    Status.NOT_STARTED,
    Status.OVERDUE,
]


def documents_visible_to(user: User) -> QuerySet[Document]:
    """Central documents and stubs to every official; others to those whose scope reaches the
    issuer, or a body the document was sent to."""
    qs = Document.objects.select_related("issuer", "issuer__area")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    scope = user_scope_area_ids_any_time(user, Action.VIEW)
    sent_to_scope = Assignment.objects.filter(task__plan=OuterRef("pk"), body__area_id__in=scope)
    return qs.filter(
        Q(issuer__isnull=True)
        | Q(issuer__area__level=Level.NATION)
        | Q(issuer__area_id__in=scope)
        | Exists(sent_to_scope)
    )


def user_may_register(user: User) -> bool:
    """Managers and administrators register documents."""
    return user.is_superuser or bool(user_scope_roots(user, Action.MANAGE))


def user_may_manage(user: User, doc: Document, *, issuer: Body | None = None) -> bool:
    """May the user change this document (links, tasks, sending) — or register one for
    `issuer`? Managing rights over the issuer's area are needed; a document of an
    unregistered issuer needs a managing role anywhere."""
    if user.is_superuser:
        return True
    body = issuer if issuer is not None else doc.issuer if doc is not None else None
    if body is None:
        return user_may_register(user)
    on = doc.issued_on if doc is not None and doc.issued_on else None
    return user_can(user, Action.MANAGE, body=body, on=on)


def document_by_symbol(user: User, text: str) -> Document | None:
    """The registered document the user may see with this symbol (complete ones first)."""
    symbol = normalise_symbol(text)
    if symbol is None:
        return None
    return (
        documents_visible_to(user).filter(symbol=symbol).order_by("is_stub", "-issued_on").first()
    )


def document_for_user(user: User, pk: int) -> Document:
    try:
        return documents_visible_to(user).get(pk=pk)
    except Document.DoesNotExist:
        raise Http404(_("No such document, or you may not see it.")) from None


@dataclass
class LineageNode:
    document: Document
    kind: str  # the link to its parent in the tree
    children: list[LineageNode] = field(default_factory=list)


def _walk(user: User, start: Document, *, downward: bool, max_depth: int = 8) -> list[LineageNode]:
    visible = documents_visible_to(user)
    roots: list[LineageNode] = []
    nodes = {start.pk: LineageNode(start, "")}
    seen = {start.pk}
    frontier = [start.pk]
    for _depth in range(max_depth):
        if not frontier:
            break
        if downward:
            links = DocumentLink.objects.filter(target_id__in=frontier, source__in=visible)
            links = links.select_related("source", "source__issuer").exclude(kind="cites")
            pairs = [(link.target_id, link.source, link.kind) for link in links]
        else:
            links = DocumentLink.objects.filter(source_id__in=frontier, target__in=visible)
            links = links.select_related("target", "target__issuer").exclude(kind="cites")
            pairs = [(link.source_id, link.target, link.kind) for link in links]
        frontier = []
        for parent_pk, doc, kind in sorted(
            pairs, key=lambda p: (p[1].issued_on or dt.date.min, p[1].symbol)
        ):
            if doc.pk in seen:
                continue
            seen.add(doc.pk)
            node = LineageNode(doc, kind)
            nodes[doc.pk] = node
            (nodes[parent_pk].children if parent_pk != start.pk else roots).append(node)
            frontier.append(doc.pk)
    return roots


def lineage(user: User, doc: Document) -> dict[str, list[LineageNode]]:
    """What the document continues or implements (up) and what continues or implements it
    (down), as trees; citations are listed apart."""
    return {"up": _walk(user, doc, downward=False), "down": _walk(user, doc, downward=True)}


def document_citations(user: User, doc: Document) -> dict[str, list[DocumentLink]]:
    visible = documents_visible_to(user)
    return {
        "cites": list(
            doc.links_out.filter(kind="cites", target__in=visible).select_related("target")
        ),
        "cited_by": list(
            doc.links_in.filter(kind="cites", source__in=visible).select_related("source")
        ),
    }


@dataclass
class AssignmentView:
    assignment: Assignment
    judgement: Judgement
    last_report: ProgressReport | None

    @property
    def status(self) -> Status:
        return self.judgement.status

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.judgement.status]


def judge_assignments(assignments: list[Assignment], today: dt.date) -> list[AssignmentView]:
    """Derive each assignment's status; a body that has ended is judged on its last day
    (the district committees' work stopped on 30/6/2025, it is not overdue ever after)."""
    out = []
    for a in assignments:
        day = min(today, a.body.valid_to) if a.body.valid_to else today
        reports = [r for r in a.reports.all() if r.reported_on <= day]
        judgement = derive_status(
            due_on=a.due_on,
            recurrence=a.task.recurrence,
            sent_on=a.sent_on,
            reports=[Report(r.reported_on, r.completed) for r in reports],
            today=day,
        )
        out.append(AssignmentView(a, judgement, reports[-1] if reports else None))
    return out


def _assignments() -> QuerySet[Assignment]:
    return Assignment.objects.select_related(
        "task", "task__plan", "task__plan__issuer", "body", "body__area"
    ).prefetch_related(
        Prefetch(
            "reports",
            queryset=ProgressReport.objects.select_related("evidence").order_by(
                "reported_on", "id"
            ),
        )
    )


def assignments_visible_to(user: User) -> QuerySet[Assignment]:
    qs = _assignments()
    if user.is_superuser:
        return qs
    scope = user_scope_area_ids_any_time(user, Action.VIEW)
    return qs.filter(
        Q(body__area_id__in=scope)
        | Q(task__plan__in=documents_visible_to(user).filter(issuer__area_id__in=scope))
    )


def assignment_for_user(user: User, pk: int) -> tuple[AssignmentView, bool]:
    """The assignment (404 if out of the reader's scope) and whether they may report on it."""
    try:
        assignment = assignments_visible_to(user).get(pk=pk)
    except Assignment.DoesNotExist:
        raise Http404(_("No such assignment, or you may not see it.")) from None
    [view] = judge_assignments([assignment], timezone.localdate())
    return view, user_can_report(user, assignment)


_REPORTING_ROLES = (Role.DATA_ENTRY, Role.MANAGER, Role.ADMINISTRATOR)


def _body_and_ancestors(body: Body) -> list[int]:
    ids, current, guard = [], body, 0
    while current is not None and guard < 20:
        ids.append(current.pk)
        current, guard = current.parent, guard + 1
    return ids


def user_can_report(user: User, assignment: Assignment) -> bool:
    """Only the assignee body (or a body above it) reports on its assignment."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    today = timezone.localdate()
    return (
        Membership.objects.filter(
            user=user,
            body_id__in=_body_and_ancestors(assignment.body),
            role__in=_REPORTING_ROLES,
            valid_from__lte=today,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .exists()
    )


@dataclass
class BodyProgress:
    body: Body
    counts: Counter
    items: list[AssignmentView]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def plan_dashboard(
    user: User, plan: Document, *, as_of: dt.date | None = None
) -> list[BodyProgress]:
    as_of = as_of or timezone.localdate()
    views = judge_assignments(list(assignments_visible_to(user).filter(task__plan=plan)), as_of)
    by_body: dict[int, BodyProgress] = {}
    for v in views:
        row = by_body.setdefault(
            v.assignment.body_id, BodyProgress(v.assignment.body, Counter(), [])
        )
        row.counts[v.status] += 1
        row.items.append(v)
    return sorted(by_body.values(), key=lambda r: (r.body.area.code, r.body.name))


def plan_tasks(plan: Document) -> QuerySet[Task]:
    return plan.tasks.select_related("lead_body", "advising_body").prefetch_related(
        "coordinating_bodies"
    )


def overdue(user: User, *, as_of: dt.date | None = None) -> list[AssignmentView]:
    as_of = as_of or timezone.localdate()
    candidates = (
        assignments_visible_to(user)
        .exclude(Q(task__recurrence="once") & (Q(due_on__isnull=True) | Q(due_on__gte=as_of)))
        .exclude(task__recurrence="regular")
    )
    views = [v for v in judge_assignments(list(candidates), as_of) if v.status == Status.OVERDUE]
    return sorted(views, key=lambda v: (v.judgement.due_on or dt.date.max, v.assignment.body.name))


def my_assignments(user: User, *, as_of: dt.date | None = None) -> list[AssignmentView]:
    as_of = as_of or timezone.localdate()
    # the bodies the user is an official of: a tip handler is not handed the body's tasks
    bodies = user_official_memberships(user).values("body_id")
    views = judge_assignments(list(_assignments().filter(body_id__in=bodies)), as_of)
    order = {
        s: i
        for i, s in enumerate(
            [Status.OVERDUE, Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE_LATE, Status.DONE]
        )
    }
    return sorted(views, key=lambda v: (order[v.status], v.judgement.due_on or dt.date.max))


def due_soon_and_overdue(
    *, today: dt.date, days: int
) -> tuple[list[AssignmentView], list[AssignmentView]]:
    """For reminders (no reader scope: the system reminds every assignee)."""
    views = judge_assignments(list(_assignments().exclude(task__recurrence="regular")), today)
    horizon = today + dt.timedelta(days=days)
    soon = [
        v
        for v in views
        if v.status in (Status.NOT_STARTED, Status.IN_PROGRESS)
        and v.judgement.due_on is not None
        and today <= v.judgement.due_on <= horizon
    ]
    late = [v for v in views if v.status == Status.OVERDUE]
    return soon, late


def reminders_due(today: dt.date, days: int = 7) -> list[tuple[tuple[str], int]]:
    """For /metrics: the tasks `antq remind` chases today, due soon and overdue."""
    soon, late = due_soon_and_overdue(today=today, days=days)
    return [(("due_soon",), len(soon)), (("overdue",), len(late))]


def body_members_to_notify(body_ids: list[int]) -> dict[int, list[User]]:
    today = timezone.localdate()
    rows = (
        Membership.objects.filter(
            body_id__in=body_ids,
            role__in=_REPORTING_ROLES,
            user__is_active=True,
            valid_from__lte=today,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("user")
    )
    out: dict[int, list[User]] = defaultdict(list)
    for m in rows:
        out[m.body_id].append(m.user)
    return out
