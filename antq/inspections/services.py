"""Every write about inspections: checked (located Vietnamese messages, nothing saved on a
problem), scoped (only those who run the inspection) and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from antq.accounts.models import Body
from antq.areas.models import Area
from antq.core.errors import RecordErrors
from antq.core.services import audit_record, notify
from antq.core.uploads import UnreadableImage, image_without_metadata, sniff
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
    OutlineSection,
    Prefill,
    Recommendation,
    SelfReport,
    SelfReportSection,
    SelfReportStatus,
    Session,
    SessionFile,
)
from antq.inspections.selectors import (
    may_edit_self_report,
    may_submit_self_report,
    settled,
    user_may_run,
)

WARN_DAYS = 7  # the time limit is warned about this many days ahead

# The outline (đề cương) every inspection starts with; the delegation adds to it or removes
# from it until it is sent. Official wording, so Vietnamese whatever the interface language.
OUTLINE = [
    (
        "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN",
        "Việc quán triệt, ban hành văn bản, kế hoạch thực hiện; phân công, giao nhiệm vụ; "
        "kiểm tra, đôn đốc, sơ kết, tổng kết.",
        Prefill.LEADERSHIP,
    ),
    (
        "II. KẾT QUẢ THỰC HIỆN",
        "Kết quả công tác tuyên truyền; xây dựng, nhân rộng mô hình tự quản; phát huy vai trò "
        "của Nhân dân trong phát hiện, tố giác tội phạm; số liệu theo đơn vị.",
        Prefill.RESULTS,
    ),
    (
        "III. ĐÁNH GIÁ CHUNG",
        "Ưu điểm; hạn chế, khuyết điểm; nguyên nhân (khách quan, chủ quan); bài học kinh nghiệm.",
        Prefill.NONE,
    ),
    (
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
        "Nhiệm vụ, giải pháp trọng tâm trong thời gian tới.",
        Prefill.NONE,
    ),
    ("V. KIẾN NGHỊ, ĐỀ XUẤT", "Kiến nghị, đề xuất với cấp trên (nếu có).", Prefill.NONE),
]


def _today() -> dt.date:
    return timezone.localdate()


def _require_run(actor: Any, inspection: Inspection) -> None:
    if actor is not None and not user_may_run(actor, inspection):
        raise PermissionDenied(_("Only the delegation and its body's managers run it."))


def _within_reach(inspecting: Body, area: Area, period_end: dt.date) -> bool:
    """Is the area under the inspecting body's area (or the body's area itself), on the last
    day of the period covered or today?"""
    from antq.areas.selectors import area_is_within

    return any(area_is_within(area, [inspecting.area_id], day) for day in {period_end, _today()})


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
    # An inspection reaches no further than its inspecting body: it would otherwise read, in
    # the self-inspection reports it pre-fills, the figures of units that body may not see.
    if not _within_reach(inspecting_body, area, period_end):
        errors["area"] = _("%(area)s lies outside the reach of %(body)s.") % {
            "area": area.name,
            "body": inspecting_body.name,
        }
    outside = [b.name for b in bodies if not _within_reach(inspecting_body, b.area, period_end)]
    if outside:
        errors["inspected_bodies"] = _("Outside the reach of %(body)s: %(bodies)s.") % {
            "body": inspecting_body.name,
            "bodies": "; ".join(outside),
        }
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
    OutlineSection.objects.bulk_create(
        OutlineSection(inspection=inspection, order=n, heading=h, guidance=g, prefill=p)
        for n, (h, g, p) in enumerate(OUTLINE, start=1)
    )
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


# --- files of the working sessions -----------------------------------------------------------


def _checked_session_file(upload) -> tuple[str, object]:
    """(extension, content) of a PDF, a Word (DOCX) file or a photo (JPEG, PNG: re-encoded
    without its metadata), judged by content and size; RecordErrors otherwise."""
    from antq.directives.services import sniff_document_file

    try:
        return "." + sniff_document_file(upload), upload
    except ValidationError as exc:
        if exc.code != "bad_type":
            raise RecordErrors({"file": " ".join(exc.messages)}) from None
    upload.seek(0)
    found = sniff(upload.read(8))
    upload.seek(0)
    if found is None or found[0] != "photo":
        raise RecordErrors({"file": _("Attach a PDF, a Word (DOCX) file or a photo (JPEG, PNG).")})
    try:
        return found[1], ContentFile(image_without_metadata(upload, found[1]))
    except UnreadableImage:
        raise RecordErrors({"file": _("The photo cannot be read.")}) from None


@transaction.atomic
def session_file_add(*, actor: Any, session: Session, upload, title: str = "") -> SessionFile:
    """Attach a file to a working session (the signed minutes, a report handed over…)."""
    inspection = session.inspection
    _require_run(actor, inspection)
    if upload is None:
        raise RecordErrors({"file": _("Choose a file.")})
    ext, content = _checked_session_file(upload)
    item = SessionFile(
        session=session,
        title=(title or "").strip()[:200] or upload.name[:200],
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    item.file.save(f"{session.pk}-{timezone.now():%Y%m%d%H%M%S%f}{ext}", content, save=False)
    item.save()
    audit_record(actor=actor, action="inspections.session_file", obj=inspection, summary=item.title)
    return item


# --- the outline and the self-inspection reports -------------------------------------------


def _outline_open(inspection: Inspection) -> None:
    if inspection.outline_sent_on:
        raise RecordErrors({"": _("The outline has been sent; it can no longer change.")})


@transaction.atomic
def outline_section_add(
    *, actor: Any, inspection: Inspection, heading: str, guidance: str = "", prefill: str = ""
) -> OutlineSection:
    _require_run(actor, inspection)
    _outline_open(inspection)
    errors = {}
    if not (heading or "").strip():
        errors["heading"] = _("Give the section a heading.")
    if prefill not in Prefill.values:
        errors["prefill"] = _("Choose what is pre-filled.")
    if errors:
        raise RecordErrors(errors)
    last = inspection.outline.order_by("-order").values_list("order", flat=True).first() or 0
    section = OutlineSection.objects.create(
        inspection=inspection,
        order=last + 1,
        heading=heading.strip(),
        guidance=(guidance or "").strip(),
        prefill=prefill,
    )
    audit_record(actor=actor, action="inspections.outline", obj=inspection, summary=heading[:200])
    return section


@transaction.atomic
def outline_section_remove(*, actor: Any, section: OutlineSection) -> None:
    inspection = section.inspection
    _require_run(actor, inspection)
    _outline_open(inspection)
    audit_record(
        actor=actor, action="inspections.outline_removed", obj=inspection, summary=section.heading
    )
    section.delete()


@transaction.atomic
def outline_send(
    *, actor: Any, inspection: Inspection, due_on: dt.date | None, on: dt.date | None = None
) -> list[SelfReport]:
    """Send the outline to the bodies inspected: each gets a draft self-inspection report,
    its sections pre-filled from antq where the outline says so, and a notice."""
    from antq.accounts.selectors import body_memberships
    from antq.inspections.documents import self_report_draft

    _require_run(actor, inspection)
    on = on or _today()
    errors: dict[str, str] = {}
    if inspection.outline_sent_on:
        errors[""] = _("The outline has already been sent.")
    elif inspection.closed_on:
        errors[""] = _("The inspection is closed.")
    sections = list(inspection.outline.all())
    if not sections:
        errors[""] = _("The outline has no section.")
    if due_on is None:
        errors["due_on"] = _("Give the day the reports are due.")
    elif due_on < on:
        errors["due_on"] = _("The reports cannot be due before the outline is sent.")
    if errors:
        raise RecordErrors(errors)
    inspection.outline_sent_on = on
    inspection.self_reports_due_on = due_on
    inspection.save(update_fields=["outline_sent_on", "self_reports_due_on"])
    reports = []
    for body in inspection.inspected_bodies.select_related("area", "parent").order_by("name"):
        draft = self_report_draft(inspection, body)
        report = SelfReport.objects.create(inspection=inspection, body=body)
        SelfReportSection.objects.bulk_create(
            SelfReportSection(
                report=report,
                order=n,
                heading=s.heading,
                guidance=s.guidance,
                prefill=s.prefill,
                text=draft.get(s.prefill, "") if s.prefill else "",
            )
            for n, s in enumerate(sections, start=1)
        )
        reports.append(report)
        for membership in body_memberships(body).select_related("user"):
            notify(
                user=membership.user,
                kind="self_report",
                title=_("Self-inspection report due on %(d)s: %(t)s")
                % {"d": _d(due_on), "t": inspection.title[:150]},
                url=f"/inspections/{inspection.pk}/self-reports/{report.pk}/",
                dedupe_key=f"self_report:{report.pk}:sent",
            )
    audit_record(
        actor=actor,
        action="inspections.outline_sent",
        obj=inspection,
        summary=f"{len(reports)} → {_d(due_on)}",
    )
    return reports


@transaction.atomic
def self_report_save(*, actor: Any, report: SelfReport, texts: dict[int, str]) -> SelfReport:
    """Save the body's edits of its sections ({section id: text})."""
    if actor is not None and not may_edit_self_report(actor, report):
        raise PermissionDenied(_("Only the body's own officials write its report."))
    if not report.editable:
        raise RecordErrors({"": _("The report has been submitted; it can no longer change.")})
    changed = []
    for section in report.sections.all():
        if section.pk in texts and texts[section.pk] != section.text:
            section.text = texts[section.pk]
            changed.append(section)
    SelfReportSection.objects.bulk_update(changed, ["text"])
    report.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        action="inspections.self_report_saved",
        obj=report.inspection,
        summary=f"{report.body.name}: {len(changed)}",
    )
    return report


@transaction.atomic
def self_report_submit(*, actor: Any, report: SelfReport, on: dt.date | None = None) -> SelfReport:
    """Submit the report to the delegation: every section written; by the body's approvers
    or managers."""
    if actor is not None and not may_submit_self_report(actor, report):
        raise PermissionDenied(_("Only the body's approvers or managers submit its report."))
    if not report.editable:
        raise RecordErrors({"": _("The report has already been submitted.")})
    empty = [s.heading for s in report.sections.all() if not s.text.strip()]
    if empty:
        raise RecordErrors(
            {
                "": _("Write every section before submitting. Empty: %(list)s.")
                % {"list": "; ".join(empty)}
            }
        )
    report.status = SelfReportStatus.SUBMITTED
    report.submitted_on = on or _today()
    report.submitted_by = actor if getattr(actor, "pk", None) else None
    report.save(update_fields=["status", "submitted_on", "submitted_by", "updated_at"])
    audit_record(
        actor=actor,
        action="inspections.self_report_submitted",
        obj=report.inspection,
        summary=report.body.name,
    )
    for member in report.inspection.members.exclude(user__isnull=True).select_related("user"):
        notify(
            user=member.user,
            kind="self_report",
            title=_("%(b)s submitted its self-inspection report") % {"b": report.body.name},
            url=f"/inspections/{report.inspection_id}/self-reports/{report.pk}/",
            dedupe_key=f"self_report:{report.pk}:submitted:{report.submitted_on:%Y%m%d}",
        )
    return report


@transaction.atomic
def self_report_return(*, actor: Any, report: SelfReport, reason: str) -> SelfReport:
    """The delegation returns a submitted report for completion, saying what is missing."""
    _require_run(actor, report.inspection)
    if report.status != SelfReportStatus.SUBMITTED:
        raise RecordErrors({"": _("Only a submitted report can be returned.")})
    if not (reason or "").strip():
        raise RecordErrors({"reason": _("Say what the report should complete.")})
    report.status = SelfReportStatus.RETURNED
    report.returned_reason = reason.strip()
    report.save(update_fields=["status", "returned_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="inspections.self_report_returned",
        obj=report.inspection,
        summary=f"{report.body.name}: {reason[:200]}",
    )
    from antq.accounts.selectors import body_memberships

    for membership in body_memberships(report.body).select_related("user"):
        notify(
            user=membership.user,
            kind="self_report",
            title=_("Your self-inspection report was returned: %(r)s") % {"r": reason[:150]},
            url=f"/inspections/{report.inspection_id}/self-reports/{report.pk}/",
            dedupe_key=f"self_report:{report.pk}:returned:{report.updated_at:%Y%m%d%H%M%S}",
        )
    return report
