"""Pages of inspections: the list, and one inspection — its timeline and time limit, the
delegation, sessions, findings, conclusion and recommendations with their follow-up — with
the forms of those who run it, and the results report of the inspected area and period."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from antq.accounts.models import Body, Role, User
from antq.accounts.selectors import bodies_on, user_memberships
from antq.areas.selectors import areas_with_code
from antq.core.errors import RecordErrors
from antq.directives.selectors import documents_visible_to
from antq.inspections import selectors, services
from antq.inspections.documents import (
    conclusion_notice,
    inspection_periods,
    self_report_document,
)
from antq.inspections.forms import (
    CarryOverForm,
    ConclusionForm,
    ExtendForm,
    FindingForm,
    InspectionForm,
    MemberForm,
    OutlineSectionForm,
    OutlineSendForm,
    RecommendationForm,
    ReturnForm,
    SessionFileForm,
    SessionForm,
)
from antq.inspections.models import (
    Inspection,
    OutlineSection,
    Recommendation,
    SelfReport,
    SelfReportStatus,
    Session,
    SessionFile,
)
from antq.reports.writers import FORMATS, write

STATE_LABELS = {
    "done": gettext_lazy("Done"),
    "done_late": gettext_lazy("Done late"),
    "carried_over": gettext_lazy("Carried over"),
    "overdue": gettext_lazy("Overdue"),
    "in_progress": gettext_lazy("In progress"),
    "not_started": gettext_lazy("Not started"),
}
PHASES = [
    ("preparation", gettext_lazy("Preparation")),
    ("conduct", gettext_lazy("Conduct")),
    ("closing", gettext_lazy("Closing")),
    ("closed", gettext_lazy("Closed")),
]


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.inspections_for(request.user))
    for row in rows:
        row.phase = services.phase(row)
    return render(
        request,
        "inspections/list.html",
        {
            "rows": rows,
            "phases": dict(PHASES),
            "may_set_up": _managed_bodies(request.user).exists(),
        },
    )


def _managed_bodies(user):
    """The bodies whose inspections the user may set up: those they manage."""
    today = timezone.localdate()
    if user.is_superuser:
        return bodies_on(today).order_by("name")
    ids = user_memberships(user).filter(role__in=(Role.MANAGER, Role.ADMINISTRATOR))
    return bodies_on(today).filter(pk__in=ids.values("body_id")).order_by("name")


@login_required
def inspection_new(request: HttpRequest) -> HttpResponse:
    """Set up an inspection: the inspecting body among those the user manages."""
    bodies = _managed_bodies(request.user)
    if not bodies.exists():
        raise PermissionDenied(_("Only a body's managers set up its inspections."))
    choices = {
        "bodies": bodies,
        "documents": documents_visible_to(request.user).order_by("-issued_on", "symbol"),
        "all_bodies": bodies_on(timezone.localdate()).order_by("name"),
    }
    if request.method != "POST":
        form = InspectionForm(
            initial={"level": "provincial", "starts_on": timezone.localdate()}, **choices
        )
        return render(request, "inspections/new.html", {"form": form})
    form = InspectionForm(request.POST, **choices)
    if form.is_valid():
        data = form.cleaned_data
        on = data["period_end"]
        area = next((a for a in areas_with_code(data["area"].strip()) if a.is_valid_on(on)), None)
        if area is None:
            form.add_error("area", _("No area holds this code at the end of the period."))
        else:
            try:
                inspection = services.inspection_create(
                    actor=request.user,
                    title=data["title"],
                    inspecting_body=data["inspecting_body"],
                    level=data["level"],
                    area=area,
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    starts_on=data["starts_on"],
                    subjects=data["subjects"],
                    inspected_bodies=data["inspected_bodies"],
                    decision=data["decision"],
                )
            except RecordErrors as exc:
                for key, message in exc.errors.items():
                    form.add_error(key if key in form.fields else None, message)
            else:
                messages.success(
                    request,
                    _("The inspection is set up. Add the delegation and send the outline."),
                )
                return redirect("inspections:detail", pk=inspection.pk)
    return render(request, "inspections/new.html", {"form": form}, status=400)


def _inspection(request: HttpRequest, pk: int) -> Inspection:
    inspection = selectors.inspections_for(request.user).filter(pk=pk).first()
    if inspection is None:
        raise Http404(_("No such inspection in your reach."))
    return inspection


def _bodies(inspection: Inspection) -> list[Body]:
    return list(inspection.inspected_bodies.order_by("name"))


def _forms(inspection: Inspection) -> dict:
    bodies = _bodies(inspection)
    return {
        "session": SessionForm(bodies=bodies, initial={"day": inspection.starts_on}),
        "finding": FindingForm(),
        "conclusion": ConclusionForm(initial={"issued_on": timezone.localdate()}),
        "recommendation": RecommendationForm(bodies=bodies),
        "member": MemberForm(),
        "extend": ExtendForm(),
        "outline": OutlineSectionForm(),
        "send": OutlineSendForm(
            initial={"due_on": min(inspection.deadline, timezone.localdate() + dt.timedelta(10))}
        ),
        "file": SessionFileForm(),
    }


def _page(request, inspection: Inspection, forms: dict | None = None, status: int = 200):
    today = timezone.localdate()
    recs = list(
        inspection.recommendations.select_related("task__lead_body").prefetch_related(
            "task__assignments__reports"
        )
    )
    for rec in recs:
        rec.state = selectors.recommendation_state(rec, today)
        rec.state_label = STATE_LABELS.get(rec.state, rec.state)
        lead = next((a for a in rec.task.assignments.all() if a.is_lead), None)
        rec.reports = sorted(lead.reports.all(), key=lambda r: r.reported_on) if lead else []
        rec.assignment = lead
    phase = services.phase(inspection)
    left = (inspection.deadline - today).days
    subject = inspection.subjects.order_by("issued_on").first()
    start, end = inspection_periods(inspection)
    context = {
        "inspection": inspection,
        "phase": phase,
        "phases": PHASES,
        "phase_index": [p for p, _l in PHASES].index(phase),
        "members": list(inspection.members.select_related("user")),
        "sessions": list(inspection.sessions.select_related("body").prefetch_related("files")),
        "outline": list(inspection.outline.all()),
        "self_reports": selectors.self_reports_for(request.user, inspection),
        "report_states": dict(SelfReportStatus.choices),
        "findings": list(inspection.findings.all()),
        "recommendations": recs,
        "subjects": list(inspection.subjects.all()),
        "inspected": _bodies(inspection),
        "may_run": selectors.user_may_run(request.user, inspection),
        "forms": {**_forms(inspection), **(forms or {})},
        "carry": CarryOverForm(),
        "limit_warning": None
        if inspection.conclusion_id or inspection.closed_on
        else ("overdue" if left < 0 else "near" if left <= services.WARN_DAYS else None),
        "report_query": {
            "document": subject.pk if subject else "",
            "area": inspection.area.code,
            "start": start.code,
            "end": end.code,
        },
    }
    return render(request, "inspections/detail.html", context, status=status)


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _inspection(request, pk))


def _run(request, pk: int):
    inspection = _inspection(request, pk)
    if not selectors.user_may_run(request.user, inspection):
        raise PermissionDenied(_("Only the delegation and its body's managers run it."))
    return inspection


def _done(request, inspection, message: str):
    messages.success(request, message)
    return redirect("inspections:detail", pk=inspection.pk)


def _submit(request, inspection, name: str, form, save, done: str) -> HttpResponse:
    """One of the page's forms: on valid input the service (`save(cleaned_data)`), then back
    to the page with `done`; its problems land on the form's fields, with status 400."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except RecordErrors as exc:
            for key, message in exc.errors.items():
                form.add_error(key if key in form.fields else None, message)
        else:
            return _done(request, inspection, done)
    return _page(request, inspection, {name: form}, status=400)


def _held_at(data: dict) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))


@require_POST
@login_required
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    form = SessionForm(request.POST, bodies=_bodies(inspection))

    def save(data):
        services.session_save(
            actor=request.user,
            inspection=inspection,
            held_at=_held_at(data),
            place=data["place"],
            body=form.bodies.get(data["body"]),
            attendees=data["attendees"],
            agenda=data["agenda"],
            minutes=data["minutes"],
        )

    return _submit(
        request, inspection, "session", form, save, _("The working session has been recorded.")
    )


@require_POST
@login_required
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    return _submit(
        request,
        inspection,
        "finding",
        FindingForm(request.POST),
        lambda data: services.finding_add(actor=request.user, inspection=inspection, **data),
        _("The finding has been recorded."),
    )


@require_POST
@login_required
def conclusion_issue(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    return _submit(
        request,
        inspection,
        "conclusion",
        ConclusionForm(request.POST),
        lambda data: services.conclusion_issue(actor=request.user, inspection=inspection, **data),
        _("The conclusion notice has been issued."),
    )


@require_POST
@login_required
def recommendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    form = RecommendationForm(request.POST, bodies=_bodies(inspection))
    return _submit(
        request,
        inspection,
        "recommendation",
        form,
        lambda data: services.recommendation_add(
            actor=request.user,
            inspection=inspection,
            text=data["text"],
            body=form.bodies.get(data["body"] or ""),
            due_on=data["due_on"],
        ),
        _("The recommendation is now a task of the responsible body."),
    )


@require_POST
@login_required
def carry_over(request: HttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    rec = Recommendation.objects.filter(inspection=inspection, pk=rec_pk).first()
    if rec is None:
        raise Http404(_("No such recommendation."))
    form = CarryOverForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_carry_over(
                actor=request.user, recommendation=rec, reason=form.cleaned_data["reason"]
            )
        except RecordErrors as exc:
            messages.error(request, " ".join(exc.errors.values()))
        else:
            return _done(request, inspection, _("The recommendation has been carried over."))
    else:
        messages.error(request, _("Say why the recommendation is carried over."))
    return redirect("inspections:detail", pk=inspection.pk)


@login_required
def notice(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The conclusion notice as DOCX or PDF, for whoever sees the inspection."""
    inspection = _inspection(request, pk)
    if inspection.conclusion_id is None or fmt not in ("docx", "pdf"):
        raise Http404(_("The conclusion notice has not been issued."))
    document = conclusion_notice(inspection)
    response = HttpResponse(write(document, fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{document.file_stem}.{fmt}"'
    return response


@require_POST
@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    try:
        services.inspection_close(actor=request.user, inspection=inspection)
    except RecordErrors as exc:
        messages.error(request, " ".join(exc.errors.values()))
        return redirect("inspections:detail", pk=inspection.pk)
    return _done(request, inspection, _("The inspection is closed."))


@require_POST
@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    form = MemberForm(request.POST)

    def save(data):
        user = None
        if data["username"].strip():
            user = User.objects.filter(username=data["username"].strip(), is_active=True).first()
            if user is None:
                raise RecordErrors({"username": _("No active account has this login.")})
        services.member_add(
            actor=request.user,
            inspection=inspection,
            role=data["role"],
            title=data["title"],
            body_name=data["body_name"],
            user=user,
        )

    return _submit(request, inspection, "member", form, save, _("The member has been added."))


@require_POST
@login_required
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    return _submit(
        request,
        inspection,
        "extend",
        ExtendForm(request.POST),
        lambda data: services.inspection_extend(
            actor=request.user, inspection=inspection, days=data["days"]
        ),
        _("The time limit has been extended."),
    )


@require_POST
@login_required
def session_file_add(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    session = Session.objects.filter(inspection=inspection, pk=session_pk).first()
    if session is None:
        raise Http404(_("No such session."))
    form = SessionFileForm(request.POST, request.FILES)
    return _submit(
        request,
        inspection,
        "file",
        form,
        lambda data: services.session_file_add(
            actor=request.user, session=session, upload=data["file"], title=data["title"]
        ),
        _("The file has been attached to the session."),
    )


_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": FORMATS["docx"],
    ".jpg": "image/jpeg",
    ".png": "image/png",
}


@login_required
def session_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A session's file, to whoever sees the inspection."""
    inspection = _inspection(request, pk)
    item = SessionFile.objects.filter(session__inspection=inspection, pk=file_pk).first()
    if item is None:
        raise Http404(_("No such file."))
    name = item.file.name.rsplit("/", 1)[-1]
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=ext not in (".jpg", ".png"),
        filename=name,
        content_type=_CONTENT_TYPES.get(ext, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@login_required
def outline_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    return _submit(
        request,
        inspection,
        "outline",
        OutlineSectionForm(request.POST),
        lambda data: services.outline_section_add(
            actor=request.user, inspection=inspection, **data
        ),
        _("The section has been added to the outline."),
    )


@require_POST
@login_required
def outline_remove(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    section = OutlineSection.objects.filter(inspection=inspection, pk=section_pk).first()
    if section is None:
        raise Http404(_("No such section."))
    try:
        services.outline_section_remove(actor=request.user, section=section)
    except RecordErrors as exc:
        messages.error(request, " ".join(exc.errors.values()))
        return redirect("inspections:detail", pk=inspection.pk)
    return _done(request, inspection, _("The section has been removed from the outline."))


@require_POST
@login_required
def outline_send(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _run(request, pk)
    return _submit(
        request,
        inspection,
        "send",
        OutlineSendForm(request.POST),
        lambda data: services.outline_send(
            actor=request.user, inspection=inspection, due_on=data["due_on"]
        ),
        _("The outline has been sent: each body inspected has a pre-filled draft to complete."),
    )


def _self_report(request, pk: int, report_pk: int) -> SelfReport:
    inspection = _inspection(request, pk)
    report = next(
        (r for r in selectors.self_reports_for(request.user, inspection) if r.pk == report_pk),
        None,
    )
    if report is None:
        raise Http404(_("No such report in your reach."))
    return report


def _report_page(request, report: SelfReport, *, errors=None, texts=None, status=200):
    inspection = report.inspection
    sections = list(report.sections.all())
    for section in sections:
        if texts is not None and section.pk in texts:
            section.text = texts[section.pk]
    context = {
        "inspection": inspection,
        "report": report,
        "sections": sections,
        "states": dict(SelfReportStatus.choices),
        "may_edit": report.editable and selectors.may_edit_self_report(request.user, report),
        "may_submit": report.editable and selectors.may_submit_self_report(request.user, report),
        "may_return": report.status == SelfReportStatus.SUBMITTED
        and selectors.user_may_run(request.user, inspection),
        "return_form": ReturnForm(),
        "errors": errors or [],
    }
    return render(request, "inspections/self_report.html", context, status=status)


@login_required
def self_report(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    """A body's self-inspection report: edited and submitted by the body, read (and returned
    for completion) by the delegation."""
    report = _self_report(request, pk, report_pk)
    if request.method != "POST":
        return _report_page(request, report)
    submit = request.POST.get("action") == "submit"
    if submit and not selectors.may_submit_self_report(request.user, report):
        raise PermissionDenied(_("Only the body's approvers or managers submit its report."))
    texts = {}
    for section in report.sections.all():
        key = f"section-{section.pk}"
        if key in request.POST:
            texts[section.pk] = request.POST[key].replace("\r\n", "\n")[:50_000]
    try:
        services.self_report_save(actor=request.user, report=report, texts=texts)
        if submit:
            services.self_report_submit(actor=request.user, report=report)
            messages.success(request, _("The report has been submitted to the delegation."))
        else:
            messages.success(request, _("The draft has been saved."))
    except RecordErrors as exc:
        return _report_page(
            request, report, errors=list(exc.errors.values()), texts=texts, status=400
        )
    return redirect(reverse("inspections:self_report", args=[report.inspection_id, report.pk]))


@require_POST
@login_required
def self_report_return(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    report = _self_report(request, pk, report_pk)
    if not selectors.user_may_run(request.user, report.inspection):
        raise PermissionDenied(_("Only the delegation returns a report."))
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise RecordErrors({"reason": _("Say what the report should complete.")})
        services.self_report_return(
            actor=request.user, report=report, reason=form.cleaned_data["reason"]
        )
    except RecordErrors as exc:
        return _report_page(request, report, errors=list(exc.errors.values()), status=400)
    messages.success(request, _("The report has been returned to the body."))
    return redirect(reverse("inspections:self_report", args=[report.inspection_id, report.pk]))


@login_required
def self_report_file(request: HttpRequest, pk: int, report_pk: int, fmt: str) -> HttpResponse:
    report = _self_report(request, pk, report_pk)
    if fmt not in ("docx", "pdf", "xlsx"):
        raise Http404
    document = self_report_document(report)
    response = HttpResponse(write(document, fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{document.file_stem}.{fmt}"'
    return response
