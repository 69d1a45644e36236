"""Pages for documents, their lineage, plans, assignments and follow-up."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from antq.accounts.selectors import Action
from antq.core.vnformat import parse_date
from antq.directives import selectors, services
from antq.directives.forms import (
    DocumentForm,
    LinkForm,
    ParseForm,
    ProgressForm,
    SendForm,
    TaskForm,
)
from antq.directives.models import Document, DocumentKind
from antq.directives.selectors import STATUS_LABELS, STATUS_ORDER
from antq.directives.symbols import normalise_symbol, parse_references
from antq.reports.reminders import overdue_assignments


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.documents_visible_to(request.user)
    q = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    if q:
        symbol = normalise_symbol(q)
        qs = qs.filter(Q(subject__icontains=q) | Q(symbol__icontains=symbol or q))
    if kind in DocumentKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("-issued_on", "symbol"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "directives/document_list.html",
        {
            "page": page,
            "q": q,
            "kind": kind,
            "kinds": DocumentKind.choices,
            "may_register": selectors.user_may_register(request.user),
        },
    )


def _scoped_issuers(user):
    from antq.accounts.models import Body

    if user.is_superuser:
        return Body.objects.order_by("name")
    from antq.accounts.selectors import user_scope_area_ids_any_time

    return Body.objects.filter(
        area_id__in=user_scope_area_ids_any_time(user, Action.MANAGE)
    ).order_by("name")


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    if not selectors.user_may_register(request.user):
        raise PermissionDenied(_("Only managers register documents."))
    form = DocumentForm(request.POST or None, request.FILES or None, initial={"status": "in_force"})
    form.fields["issuer"].queryset = _scoped_issuers(request.user)
    existing = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            doc = services.document_create(
                actor=request.user,
                kind=data["kind"],
                symbol=data["symbol"],
                issuer=data["issuer"],
                issuer_name=data["issuer_name"],
                issued_on=data["issued_on"],
                term=data["term"],
                subject=data["subject"],
                full_text=data["full_text"],
                status=data["status"],
                file=data.get("file"),
            )
        except services.DuplicateDocument as exc:
            existing = exc.existing
            form.add_error("symbol", exc.messages[0])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(doc)s has been registered.") % {"doc": doc})
            return redirect("directives:document", pk=doc.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "directives/document_form.html",
        {"form": form, "existing": existing},
        status=status,
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(
            "file" if getattr(exc, "code", "") in ("too_large", "bad_type") else None, exc.messages
        )


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.document_for_user(request.user, pk)
    tree = selectors.lineage(request.user, doc)
    tasks = list(selectors.plan_tasks(doc))
    may_manage = selectors.user_may_manage(request.user, doc)
    overdue = 0  # a reminder letter on them is offered to those who may manage the issuer
    if tasks and doc.issuer_id and may_manage:  # reminders.user_may_remind, rights known
        overdue = len(overdue_assignments(doc, timezone.localdate()))
    return render(
        request,
        "directives/document_detail.html",
        {
            "doc": doc,
            "up": tree["up"],
            "down": tree["down"],
            "citations": selectors.document_citations(request.user, doc),
            "tasks": tasks,
            "overdue": overdue,
            "may_manage": may_manage,
            "link_form": LinkForm(),
            "task_form": TaskForm(initial={"recurrence": "once"}),
            "send_form": SendForm(initial={"sent_on": doc.issued_on}),
            "parse_form": ParseForm(initial={"text": doc.full_text[:20000]}),
        },
    )


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    doc = selectors.document_for_user(request.user, pk)
    if not doc.file:
        raise Http404(_("This document has no file."))
    content_type = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    response = FileResponse(
        doc.file.open("rb"),
        as_attachment=True,
        filename=doc.file_name or doc.file.name,
        content_type=content_type.get(doc.file_type, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def document_add_link(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.document_for_user(request.user, pk)
    if not selectors.user_may_manage(request.user, doc):
        raise PermissionDenied
    form = LinkForm(request.POST)
    if form.is_valid():
        target = selectors.document_by_symbol(request.user, form.cleaned_data["target_symbol"])
        if target is None:
            messages.error(
                request,
                _(
                    "No registered document has that symbol. Register it first, or paste a text citing it."
                ),
            )
        else:
            try:
                services.document_link(
                    source=doc, target=target, kind=form.cleaned_data["kind"], actor=request.user
                )
                messages.success(request, _("Link recorded."))
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
    return redirect("directives:document", pk=doc.pk)


@login_required
@require_POST
def document_parse(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the citations found in a pasted text, each marked known or new (htmx fragment)."""
    doc = selectors.document_for_user(request.user, pk)
    if not selectors.user_may_manage(request.user, doc):
        raise PermissionDenied
    form = ParseForm(request.POST)
    refs = parse_references(form.data.get("text", "")[:500_000]) if form.is_valid() else []
    visible = selectors.documents_visible_to(request.user)
    rows, seen = [], set()
    for ref in refs:
        if ref.symbol in seen or ref.symbol == doc.symbol:
            continue
        seen.add(ref.symbol)
        rows.append({"ref": ref, "known": visible.filter(symbol=ref.symbol).first()})
    template = (
        "directives/_citations.html"
        if request.headers.get("HX-Request")
        else "directives/citations_page.html"
    )
    return render(
        request,
        template,
        {"doc": doc, "rows": rows, "text": form.data.get("text", "")[:500_000], "form": form},
    )


@login_required
@require_POST
def document_link_citations(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.document_for_user(request.user, pk)
    if not selectors.user_may_manage(request.user, doc):
        raise PermissionDenied
    chosen = set(request.POST.getlist("symbol"))
    refs = [
        r for r in parse_references(request.POST.get("text", "")[:500_000]) if r.symbol in chosen
    ]
    outcomes = services.document_link_citations(source=doc, references=refs, actor=request.user)
    created = sum(o.created_stub for o in outcomes)
    messages.success(
        request,
        ngettext(
            "%(n)d cited document linked, %(new)d of them new (to be completed).",
            "%(n)d cited documents linked, %(new)d of them new (to be completed).",
            len(outcomes),
        )
        % {"n": len(outcomes), "new": created},
    )
    return redirect("directives:document", pk=doc.pk)


@login_required
def plan_add_task(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.document_for_user(request.user, pk)
    if not selectors.user_may_manage(request.user, plan):
        raise PermissionDenied
    form = TaskForm(request.POST or None, initial={"recurrence": "once"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.task_create(plan=plan, actor=request.user, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Task added."))
            return redirect("directives:document", pk=plan.pk)
    return render(
        request,
        "directives/task_form.html",
        {"plan": plan, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def plan_send(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.document_for_user(request.user, pk)
    if not selectors.user_may_manage(request.user, plan):
        raise PermissionDenied
    form = SendForm(request.POST)
    if form.is_valid():
        created = services.plan_send(plan=plan, actor=request.user, **form.cleaned_data)
        messages.success(
            request,
            ngettext("%(n)d assignment created.", "%(n)d assignments created.", len(created))
            % {"n": len(created)},
        )
    else:
        messages.error(request, _("Choose the bodies and the date the plan was sent."))
    return redirect("directives:document", pk=plan.pk)


def _as_of(request: HttpRequest) -> tuple[dt.date, str | None]:
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return timezone.localdate(), None
    try:
        return parse_date(raw), None
    except ValueError:
        return timezone.localdate(), _("“%(value)s” is not a valid date (dd/mm/yyyy).") % {
            "value": raw[:40]
        }


_BAR_WIDTH = 300


@login_required
def plan_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.document_for_user(request.user, pk)
    as_of, error = _as_of(request)
    rows = selectors.plan_dashboard(request.user, plan, as_of=as_of)
    totals = {s: sum(r.counts[s] for r in rows) for s in STATUS_ORDER}
    # Server-drawn bars (SVG attributes, no inline styles: the CSP forbids them).
    bars = []
    for row in rows:
        x, segments = 0.0, []
        for s in STATUS_ORDER:
            width = _BAR_WIDTH * row.counts[s] / row.total if row.total else 0
            if width:
                segments.append(
                    {
                        "status": s.value,
                        "x": round(x, 1),
                        "width": round(width, 1),
                        "n": row.counts[s],
                    }
                )
            x += width
        bars.append(
            {"row": row, "segments": segments, "cells": [row.counts[s] for s in STATUS_ORDER]}
        )
    return render(
        request,
        "directives/plan_dashboard.html",
        {
            "plan": plan,
            "rows": bars,
            "as_of": as_of,
            "date_error": error,
            "statuses": [(s.value, STATUS_LABELS[s]) for s in STATUS_ORDER],
            "totals": [(s.value, STATUS_LABELS[s], totals[s]) for s in STATUS_ORDER],
            "total": sum(totals.values()),
            "bar_width": _BAR_WIDTH,
            "tasks": list(selectors.plan_tasks(plan)),
        },
        status=400 if error else 200,
    )


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    view, may_report = selectors.assignment_for_user(request.user, pk)
    assignment = view.assignment
    form = ProgressForm(request.POST or None, initial={"reported_on": timezone.localdate()})
    if request.method == "POST":
        if not may_report:
            raise PermissionDenied(_("Only the assigned body reports on this task."))
        if form.is_valid():
            data = form.cleaned_data
            evidence = None
            if data["evidence_symbol"]:
                evidence = selectors.document_by_symbol(request.user, data["evidence_symbol"])
                if evidence is None:
                    form.add_error(
                        "evidence_symbol",
                        _("No registered document has that symbol; register it first."),
                    )
            if not form.errors:
                try:
                    services.progress_report_create(
                        assignment=assignment,
                        text=data["text"],
                        completed=data["completed"],
                        reported_on=data["reported_on"],
                        evidence=evidence,
                        actor=request.user,
                    )
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    messages.success(request, _("Progress report saved."))
                    return redirect("directives:assignment", pk=assignment.pk)
    return render(
        request,
        "directives/assignment_detail.html",
        {
            "view": view,
            "assignment": assignment,
            "may_report": may_report,
            "form": form,
            "reports": list(assignment.reports.all()),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def overdue_list(request: HttpRequest) -> HttpResponse:
    as_of, error = _as_of(request)
    return render(
        request,
        "directives/assignment_list.html",
        {
            "title": _("Overdue tasks"),
            "views": selectors.overdue(request.user, as_of=as_of),
            "as_of": as_of,
            "date_error": error,
            "empty": _("Nothing is overdue in your scope."),
        },
    )


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    as_of, error = _as_of(request)
    return render(
        request,
        "directives/assignment_list.html",
        {
            "title": _("My tasks"),
            "views": selectors.my_assignments(request.user, as_of=as_of),
            "as_of": as_of,
            "date_error": error,
            "empty": _("No task is assigned to your bodies."),
        },
    )


def document_url(doc: Document) -> str:
    return reverse("directives:document", kwargs={"pk": doc.pk})
