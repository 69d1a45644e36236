"""The reminder letter (công văn đôn đốc) on a plan's overdue tasks, written from the data: the
plan's issuer urges the bodies whose assignments are overdue — as judged by
antq.directives.selectors.judge_assignments on the day — to carry them out and report by a
date; one row a task and body with its deadline, days overdue and last progress report.

Bodies that have ceased to exist (the district committees after 30/6/2025) get no letter, nor
does the issuer itself: a body does not write to urge its own work.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q
from django.utils import timezone, translation

from antq.accounts.models import Body, BodyKind, User
from antq.core.vnformat import format_number, sort_key
from antq.directives.models import Assignment, Document, DocumentKind, ProgressReport
from antq.directives.selectors import AssignmentView, judge_assignments, user_may_manage
from antq.directives.status import Status
from antq.reports import words
from antq.reports.content import OfficialDocument, Paragraph, Signature, Table
from antq.reports.letterheads import body_letterhead, is_party
from antq.reports.results import ReportError, _about, _document_phrase, _symbol_suffix

REPLY_DAYS = 7  # the default time given to report back
SUMMARY = "V/v đôn đốc thực hiện nhiệm vụ quá hạn"
COLUMNS = ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Số ngày quá hạn", "Báo cáo gần nhất"]


def user_may_remind(user: User, plan: Document) -> bool:
    """Those who may manage the plan's issuing body (administrators too) write its reminders;
    a plan of an unregistered issuer has no letterhead to write them on."""
    return plan.issuer_id is not None and user_may_manage(user, plan)


def overdue_assignments(
    plan: Document, on: dt.date, *, body: Body | None = None
) -> list[AssignmentView]:
    """The plan's assignments overdue on `on`, of bodies in operation then other than the
    issuer (only `body`'s, if given), by body and deadline."""
    assignments = (
        Assignment.objects.filter(task__plan=plan, sent_on__lte=on, body__valid_from__lte=on)
        .filter(Q(body__valid_to__isnull=True) | Q(body__valid_to__gte=on))
        .exclude(task__recurrence="regular")  # never overdue
        .select_related("task", "body")
        .prefetch_related(
            Prefetch("reports", queryset=ProgressReport.objects.order_by("reported_on", "id"))
        )
    )
    if plan.issuer_id:
        assignments = assignments.exclude(body_id=plan.issuer_id)
    if body is not None:
        assignments = assignments.filter(body=body)
    views = [v for v in judge_assignments(list(assignments), on) if v.status == Status.OVERDUE]
    return sorted(
        views,
        key=lambda v: (
            sort_key(v.assignment.body.name),
            v.judgement.due_on or dt.date.min,
            v.assignment.task.order,
        ),
    )


def reminder_letter(
    plan: Document,
    *,
    body: Body | None = None,
    on: dt.date | None = None,
    reply_by: dt.date | None = None,
) -> OfficialDocument:
    """The letter from the plan's issuer, dated `on` (default today), to the bodies with
    overdue assignments of the plan (or to `body` alone), asking for a report by `reply_by`
    (default a week later). ReportError when there is nothing to urge."""
    on = on or timezone.localdate()
    reply_by = reply_by or on + dt.timedelta(days=REPLY_DAYS)
    with translation.override("vi"):  # "Kế hoạch số …" whatever the reader's language
        return _letter(plan, body, on, reply_by)


def _letter(plan: Document, body: Body | None, on: dt.date, reply_by: dt.date) -> OfficialDocument:
    plan_name = f"{plan.get_kind_display()} số {plan.symbol}"
    issuer = plan.issuer
    if issuer is None:
        raise ReportError(
            f"{plan_name} không có cơ quan ban hành trong hệ thống: không lập được công văn "
            "đôn đốc."
        )
    if reply_by <= on:
        raise ReportError(
            f"Hạn báo cáo ({reply_by:%d/%m/%Y}) phải sau ngày lập công văn ({on:%d/%m/%Y})."
        )
    if body is not None and not plan.tasks.filter(assignments__body=body).exists():
        raise ReportError(f"{body.name} không được giao nhiệm vụ nào của {plan_name}.")
    views = overdue_assignments(plan, on, body=body)
    if not views:
        whom = f" của {body.name}" if body is not None else ""
        raise ReportError(
            f"Đến ngày {on:%d/%m/%Y}, {plan_name} không có nhiệm vụ nào{whom} quá hạn: "
            "không cần công văn đôn đốc."
        )

    party = is_party(issuer)
    letterhead = body_letterhead(issuer, _letter_number(plan.symbol, party=party), on)
    bodies = list(dict.fromkeys(v.assignment.body.name for v in views))
    letter = OfficialDocument(
        letterhead=letterhead,
        kind_title="",
        subject=SUMMARY,
        addressees=bodies,
        file_stem=f"cong-van-don-doc-{plan.symbol.replace('/', '-')}-{on:%Y%m%d}",
    )
    about = f" {_about(plan.subject)}" if plan.subject else ""
    count = ""
    if len(bodies) > 1:
        count = (
            f" ({words.count(len(views), 'lượt giao', exact=True)} của "
            f"{words.count(len(bodies), 'cơ quan, đơn vị', exact=True)})"
        )
    letter.blocks.append(
        Paragraph(
            f"Thực hiện {_document_phrase(plan)}{about}, {issuer.name} đã giao nhiệm vụ cho các "
            "cơ quan, đơn vị và theo dõi việc thực hiện qua báo cáo tiến độ. Đến ngày "
            f"{on:%d/%m/%Y}, {'các nhiệm vụ' if len(views) > 1 else 'nhiệm vụ'} sau đã quá thời "
            f"hạn nhưng chưa có báo cáo hoàn thành{count}:"
        )
    )
    table = _overdue_table(views, on)
    letter.blocks.append(table)
    letter.annex.append(table)
    # A Party committee's letters are signed for its standing board by the head of its office.
    committee = party and issuer.kind == BodyKind.PARTY_COMMITTEE
    whom = bodies[0] if len(bodies) == 1 else "các cơ quan, đơn vị nêu trên"
    to = f"Ban Thường vụ {issuer.name} (qua Văn phòng {issuer.name})" if committee else issuer.name
    letter.blocks.append(
        Paragraph(
            f"Đề nghị {whom} khẩn trương thực hiện và báo cáo kết quả về {to} trước ngày "
            f"{reply_by:%d/%m/%Y}; nhiệm vụ chưa hoàn thành được thì báo cáo rõ lý do, khó khăn, "
            "vướng mắc và thời gian hoàn thành."
        )
    )
    if committee:
        letter.signature = Signature("T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG")
    else:
        letter.signature = Signature(f"T/M {letterhead.issuer}", "THỦ TRƯỞNG")
    if committee:
        kept = f"Lưu Văn phòng {issuer.name}."
    else:
        kept = f"Lưu {issuer.name}." if party else "Lưu: VT."  # VT: the issuer's văn thư
    letter.recipients = ["Như trên;", kept]
    return letter


def _letter_number(symbol: str, *, party: bool) -> str:
    """The letter's number and symbol, the number left blank for signing: “Số        -CV/TU”
    after a Party plan “100-KH/TU” (Hướng dẫn 36-HD/VPTW); “Số:        /UBND” after a State
    plan “50/KH-UBND” (Nghị định 30/2020/NĐ-CP: a công văn's symbol names only its issuer)."""
    blank = "\u00a0" * 8
    if party:
        suffix = _symbol_suffix(symbol)
        return f"Số{blank}-CV/{suffix}" if suffix else f"Số{blank}-CV"
    codes = symbol.rsplit("/", 1)[-1] if "/" in symbol else ""
    kind, _, issuer = codes.partition("-")
    issuer = issuer if issuer and kind in DocumentKind.values else codes
    return f"Số:{blank}/{issuer}" if issuer else f"Số:{blank}"


def _overdue_table(views: list[AssignmentView], on: dt.date) -> Table:
    rows = []
    for n, v in enumerate(views, start=1):
        due = v.judgement.due_on
        rows.append(
            [
                str(n),
                v.assignment.task.title,
                v.assignment.body.name,
                f"{due:%d/%m/%Y}" if due else "—",
                format_number((on - due).days) if due else "—",
                _last_report(v),
            ]
        )
    return Table(
        title=f"Nhiệm vụ quá hạn đến ngày {on:%d/%m/%Y}",
        columns=COLUMNS,
        rows=rows,
        numeric_from=4,
        widths=[1.1, 5.0, 3.4, 2.5, 1.9, 2.6],
        align="cllcrc",
    )


def _last_report(view: AssignmentView) -> str:
    report = view.last_report
    if report is None:
        return "Chưa báo cáo"
    return f"{report.reported_on:%d/%m/%Y}" + ("" if report.completed else " (đang thực hiện)")
