"""The conclusion notice of an inspection (thông báo kết luận), written from the inspection's
records: what was inspected and when, the sessions held, the findings, and the
recommendations with the responsible body and the deadline — in the Party's layout when the
inspecting body is a Party body, the State's otherwise."""

from __future__ import annotations

from django.utils import timezone

from antq.inspections.models import FindingKind, Inspection
from antq.reports.content import (
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
)
from antq.reports.letterheads import body_letterhead


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
