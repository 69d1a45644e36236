"""Documents of an inspection, in the Party's layout when the issuing body is a Party body, the
State's otherwise:

- the conclusion notice (thông báo kết luận), written from the inspection's records: what was
  inspected and when, the sessions held, the findings, and the recommendations with the
  responsible body and the deadline;
- each inspected body's self-inspection report: a draft pre-filled from antq's data (the
  results report of the body's area over the period), as the body edited it, with the table
  by unit and the chart computed from the data."""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils import timezone

from antq.accounts.models import Body
from antq.directives.models import Assignment, Document, DocumentLink, LinkKind
from antq.directives.selectors import judge_assignments
from antq.directives.status import Status
from antq.indicators.periods import Period, period_of
from antq.inspections.models import FindingKind, Inspection, Prefill, SelfReport
from antq.reports import words
from antq.reports.content import (
    Chart,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
)
from antq.reports.letterheads import body_letterhead, is_party
from antq.reports.results import ReportError, period_phrase, results_report


def conclusion_notice(inspection: Inspection) -> OfficialDocument:
    """The notice of an inspection whose conclusion has been issued (ValueError otherwise)."""
    notice = inspection.conclusion
    if notice is None:
        raise ValueError("the conclusion notice has not been issued")
    body = inspection.inspecting_body
    day = notice.issued_on or timezone.localdate()
    subjects = list(inspection.subjects.order_by("issued_on"))
    bodies = list(inspection.inspected_bodies.order_by("name"))
    sessions = list(inspection.sessions.select_related("body"))
    subject_phrase = ", ".join(f"{d.get_kind_display()} số {d.symbol}" for d in subjects)
    report = OfficialDocument(
        letterhead=body_letterhead(body, f"Số {notice.symbol}", day),
        kind_title="THÔNG BÁO",
        subject=f"Kết luận của Đoàn kiểm tra {body.name} về {inspection.title[0].lower()}"
        f"{inspection.title[1:]}",
        file_stem=f"thong-bao-ket-luan-{notice.symbol.replace('/', '-')}",
    )
    blocks = report.blocks
    decision = (
        f"Thực hiện Quyết định số {inspection.decision.symbol}"
        f" ngày {inspection.decision.issued_on:%d/%m/%Y}, "
        if inspection.decision and inspection.decision.issued_on
        else ""
    )
    blocks.append(
        Paragraph(
            f"{decision}Đoàn kiểm tra của {body.name} đã kiểm tra việc thực hiện {subject_phrase}"
            f" tại {'; '.join(b.name for b in bodies)}, thời kỳ từ "
            f"{inspection.period_start:%d/%m/%Y} đến {inspection.period_end:%d/%m/%Y}."
        )
    )
    if sessions:
        held = "; ".join(
            f"ngày {timezone.localtime(s.held_at):%d/%m/%Y} với {s.body.name}" for s in sessions
        )
        blocks.append(Paragraph(f"Đoàn kiểm tra đã làm việc {held}."))
    blocks.append(
        Paragraph(
            f"Trên cơ sở báo cáo của các tổ chức được kiểm tra và kết quả làm việc, {body.name} "
            "thông báo kết luận như sau:"
        )
    )
    findings = list(inspection.findings.all())
    sections = (
        ("I. ƯU ĐIỂM", [f for f in findings if f.kind == FindingKind.STRENGTH]),
        (
            "II. HẠN CHẾ, NGUYÊN NHÂN",
            [f for f in findings if f.kind in (FindingKind.SHORTCOMING, FindingKind.CAUSE)],
        ),
    )
    for title, items in sections:
        blocks.append(Heading(title))
        if items:
            blocks += [Paragraph(f"- {f.text.rstrip('.')}.") for f in items]
        else:
            blocks.append(Paragraph("(Không ghi nhận.)", italic=True))
    blocks.append(Heading("III. KIẾN NGHỊ"))
    recommendations = list(inspection.recommendations.select_related("task__lead_body"))
    if not recommendations:
        blocks.append(Paragraph("(Chưa có kiến nghị.)", italic=True))
    for n, rec in enumerate(recommendations, start=1):
        due = f"; thời hạn: {rec.task.due_on:%d/%m/%Y}" if rec.task.due_on else ""
        blocks.append(
            Paragraph(
                f"{n}. {rec.task.content or rec.task.title} (Cơ quan chịu trách nhiệm: "
                f"{rec.task.lead_body.name}{due}.)"
            )
        )
    report.signature = Signature("T/M ĐOÀN KIỂM TRA", "TRƯỞNG ĐOÀN")
    report.recipients = [f"{b.name}," for b in bodies] + [f"Lưu {body.name}."]
    return report


# --- self-inspection reports -----------------------------------------------------------------

SUBHEADING = re.compile(r"^(\d{1,2}|[a-zđ])[.)] \S")  # “1. Công tác tuyên truyền”, “a) …”


def inspection_periods(inspection: Inspection) -> tuple[Period, Period]:
    """The periods the inspection covers: whole years (2019 … 2022) when it covers whole
    years, months otherwise (7/2025 … 11/2026)."""
    start, end = inspection.period_start, inspection.period_end
    whole_years = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    kind = "year" if whole_years else "month"
    return period_of(start, kind), period_of(end, kind)


def _as_text(blocks: list) -> str:
    """Headings and paragraphs as the body's officials edit them: one paragraph per line
    group, numbered sub-headings on their own line; tables and charts are left to the
    document (they are written from the data when it is generated)."""
    out = []
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            out.append(block.text)
    return "\n\n".join(out)


def _sections(report: OfficialDocument) -> dict[str, list]:
    """The blocks under each top-level heading (“I.”, “II.” …) of a generated report."""
    found: dict[str, list] = {}
    current = None
    for block in report.blocks:
        if isinstance(block, Heading) and block.level == 1:
            current = block.text.split(".", 1)[0]
            found[current] = []
        elif current is not None:
            found[current].append(block)
    return found


def results_for(inspection: Inspection, body: Body) -> OfficialDocument | None:
    """The results report of the first document inspected, for the body's area over the
    inspection's period (None when the inspection has no subject document)."""
    subject = inspection.subjects.order_by("issued_on", "pk").first()
    if subject is None:
        return None
    start, end = inspection_periods(inspection)
    return results_report(document=subject, area=body.area, start=start, end=end)


def self_report_draft(inspection: Inspection, body: Body) -> dict[str, str]:
    """The pre-filled text of each kind of section for `body`: {Prefill value: text}."""
    try:
        report = results_for(inspection, body)
    except ReportError as exc:
        note = f"(Hệ thống chưa lập được số liệu tự động: {exc})"
        return {Prefill.LEADERSHIP: note, Prefill.RESULTS: note}
    if report is None:
        return {}
    sections = _sections(report)
    leadership = _as_text(sections.get("I", []))
    own = _own_tasks(inspection, body)
    return {
        Prefill.LEADERSHIP: f"{leadership}\n\n{own}" if own else leadership,
        Prefill.RESULTS: _as_text(sections.get("II", [])),
    }


def _own_tasks(inspection: Inspection, body: Body) -> str:
    """How the tasks given to the body itself under the documents inspected (and the plans
    implementing them) stood at the end of the period, or today if that is sooner."""
    subjects = list(inspection.subjects.all())
    plans = DocumentLink.objects.filter(target__in=subjects, kind=LinkKind.IMPLEMENTS)
    on = min(inspection.period_end, timezone.localdate())
    assignments = list(
        Assignment.objects.filter(
            Q(task__plan__in=subjects) | Q(task__plan__in=plans.values("source")),
            body=body,
            sent_on__lte=on,
        ).select_related("task", "task__plan")
    )
    if not assignments:
        return ""
    statuses = [v.status for v in judge_assignments(assignments, on)]
    done = sum(s in (Status.DONE, Status.DONE_LATE) for s in statuses)
    late = sum(s == Status.OVERDUE for s in statuses)
    going = len(statuses) - done - late
    symbols = ", ".join(sorted({a.task.plan.symbol for a in assignments}))
    text = (
        f"{body.name} được giao {words.count(len(assignments), 'nhiệm vụ', exact=True)} "
        f"(theo {symbols}). Đến ngày {on:%d/%m/%Y}, đã hoàn thành {done}, đang thực hiện hoặc "
        f"chưa đến hạn {going}"
    )
    return text + (f", quá hạn {late}." if late else ", không có nhiệm vụ quá hạn.")


def self_report_document(report: SelfReport) -> OfficialDocument:
    """The body's self-inspection report as an official document: its sections as edited,
    with the table by unit and the chart computed from the data under the results."""
    inspection = report.inspection
    body = report.body
    day = report.submitted_on or timezone.localdate()
    subject = inspection.subjects.order_by("issued_on", "pk").first()
    start, end = inspection_periods(inspection)
    try:
        data = results_for(inspection, body)
    except ReportError:
        data = None
    layout_party = is_party(body)
    # the symbol's last part as the body writes it on its own documents (“TU” of 100-KH/TU)
    last = Document.objects.filter(issuer=body).order_by("-issued_on", "-pk").first()
    suffix = last.symbol.rsplit("/", 1)[1] if last and "/" in last.symbol else ""
    blank = "\u00a0" * 8  # the number is written in when the report is signed
    number = f"Số{blank}-BC/{suffix}" if suffix else f"Số{blank}-BC"
    what = f"{subject.get_kind_display()} số {subject.symbol}" if subject else inspection.title
    period = period_phrase(start, end)
    document = OfficialDocument(
        letterhead=body_letterhead(body, number, day),
        kind_title="BÁO CÁO",
        subject=f"Kết quả tự kiểm tra việc thực hiện {what}, {period}",
        file_stem=f"bao-cao-tu-kiem-tra-{inspection.pk}-{body.code}",
    )
    blocks = document.blocks
    decision = (
        f"Quyết định số {inspection.decision.symbol} của {inspection.inspecting_body.name} và "
        if inspection.decision
        else ""
    )
    blocks.append(
        Paragraph(
            f"Thực hiện {decision}Đề cương của Đoàn kiểm tra, {body.name} báo cáo kết quả tự "
            f"kiểm tra việc thực hiện {what}, {period} như sau:"
        )
    )
    for section in report.sections.all():
        blocks.append(Heading(section.heading))
        text = section.text.strip()
        if not text:
            blocks.append(Paragraph("(Chưa có nội dung.)", italic=True))
        for part in re.split(r"\n\s*\n|\n", text):
            part = part.strip()
            if not part:
                continue
            if SUBHEADING.match(part) and len(part) < 120 and not part.endswith("."):
                blocks.append(Heading(part, level=2))
            else:
                blocks.append(Paragraph(part))
        if section.prefill == Prefill.RESULTS and data is not None:
            extra = [b for b in data.blocks if isinstance(b, Table | Chart)]
            blocks += extra
            document.annex += [b for b in extra if isinstance(b, Table)]
    if data is not None:
        document.figures = data.figures
        document.has_data = data.has_data
    if layout_party:
        document.signature = Signature("T/M BAN THƯỜNG VỤ", "BÍ THƯ")
    else:
        document.signature = Signature(f"T/M {body.name.upper()}", "THỦ TRƯỞNG")
    document.recipients = [
        f"Đoàn kiểm tra của {inspection.inspecting_body.name} (để báo cáo),",
        f"Lưu {body.name}.",
    ]
    return document
