"""The results report on the implementation of a document in an area over a period — every
figure computed from antq's data, never typed.

- The leadership section from the document chain: the plans implementing the document in the
  area and how their tasks stand at the end of the period (antq.directives).
- The results section from the indicators (antq.indicators.engine.analytics, the same answer
  as the analytics API): propaganda, self-management models, the people's tips and the cases
  they helped clear, in official prose (antq.reports.words), a table by the area's units as
  they stood then, and a chart.
- An area and period with no figures get a report that says so, not zeros.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from antq.accounts.models import Body, BodyKind
from antq.areas.models import Area
from antq.areas.selectors import area_by_code
from antq.core.vnformat import format_number, parse_number
from antq.directives.models import Assignment, Document, DocumentLink, LinkKind
from antq.directives.selectors import judge_assignments
from antq.directives.status import Status
from antq.indicators.engine import analytics
from antq.indicators.models import Indicator
from antq.indicators.periods import Period
from antq.reports import words
from antq.reports.content import (
    PARTY,
    STATE,
    Chart,
    Heading,
    Letterhead,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    place_and_date,
)
from antq.reports.letterheads import PARTY_KINDS, short_place


@dataclass(frozen=True)
class Figure:
    code: str
    column: str  # its column in the table by unit
    unit: str  # what is counted, in the prose ('' for money)


FIGURES = [
    Figure("MEDIA_ITEMS", "Tin, bài, ảnh, phóng sự", "tin, bài, ảnh, phóng sự"),
    Figure("SM_MODELS_ACTIVE", "Mô hình tự quản", "mô hình"),
    Figure("TIPS_RECEIVED", "Nguồn tin", "nguồn tin"),
    Figure("TIPS_VALUABLE", "Nguồn tin có giá trị", "nguồn tin có giá trị"),
    Figure("CASES_CLEARED_BY_TIPS", "Vụ làm rõ", "vụ"),
    Figure("SUSPECTS_BY_TIPS", "Đối tượng", "đối tượng"),
    Figure("ASSETS_RECOVERED_VND", "Tài sản thu hồi (triệu đồng)", ""),
]
NO_ASSESSMENT = (
    "(Phần này do cơ quan soạn thảo bổ sung: đánh giá ưu điểm, hạn chế và nguyên nhân; số liệu "
    "ở phần trên do hệ thống tổng hợp, không sửa tay.)"
)


class ReportError(ValueError):
    """The report cannot be made as asked (the message says why, in Vietnamese)."""


def ends_before(start: Period, end: Period) -> bool:
    """Whether `end` comes before `start` (by code within a type, by first day across types)."""
    return end.code < start.code or end.start() < start.start()


def _period_label(period: Period) -> str:
    if period.type == "year":
        return str(period.year)
    label = period.label_vi()
    return label[0].lower() + label[1:]


def period_phrase(start: Period, end: Period) -> str:
    """“giai đoạn 2019 - 2022”, “năm 2022”, “giai đoạn tháng 7/2025 - tháng 11/2026”."""
    if start.code == end.code:
        return f"năm {start.code}" if len(start.code) == 4 else _period_label(start)
    return f"giai đoạn {_period_label(start)} - {_period_label(end)}"


def _document_phrase(doc: Document) -> str:
    """“Kết luận số 44-KL/TW, ngày 22/01/2019 của Ban Bí thư (khóa XII)”."""
    kind = doc.get_kind_display()
    text = f"{kind} số {doc.symbol}"
    if doc.issued_on:
        text += f", ngày {doc.issued_on:%d/%m/%Y}"
    if doc.issuer_label:
        text += f" của {doc.issuer_label}"
        if doc.term:
            text += f" (khóa {doc.term})"
    return text


def _about(subject: str) -> str:
    """“về tiếp tục đẩy mạnh …” from a subject written “Về tiếp tục đẩy mạnh …” or
    “Tiếp tục đẩy mạnh …” (no full stop)."""
    text = subject.strip().rstrip(".")
    if not text:
        return ""
    if text[:3].lower() == "về ":
        text = text[3:]
    return "về " + text[0].lower() + text[1:]


UNIT_WORDS = ("Thành phố", "Tỉnh", "Xã", "Phường", "Thị trấn", "Huyện", "Thị xã", "Quận", "Đặc khu")


def in_text(name: str) -> str:
    """An area's name as written inside a sentence: “tỉnh Lạng Sơn”, “xã Na Sầm”."""
    for word in UNIT_WORDS:
        if name.startswith(word + " "):
            return word.lower() + name[len(word) :]
    return name


def _symbol_suffix(symbol: str) -> str:
    """“TU” of “100-KH/TU”."""
    return symbol.rsplit("/", 1)[1] if "/" in symbol else ""


def _plans(doc: Document, area: Area, on: dt.date) -> list[Document]:
    """Plans (and other documents) implementing `doc` issued by bodies of the area itself."""
    links = DocumentLink.objects.filter(
        target=doc, kind=LinkKind.IMPLEMENTS, source__issuer__area=area
    ).select_related("source", "source__issuer")
    return sorted({link.source for link in links}, key=lambda d: (d.issued_on or on, d.symbol))


def _issuer(plans: list[Document], area: Area) -> Body | None:
    if plans and plans[0].issuer_id:
        return plans[0].issuer
    return (
        Body.objects.filter(area=area, kind=BodyKind.PARTY_COMMITTEE).order_by("pk").first()
        or Body.objects.filter(area=area).order_by("pk").first()
    )


def _letterhead(issuer: Body | None, plans: list[Document], area: Area, day: dt.date):
    name = issuer.name if issuer else area.name
    short = (issuer.short_name or name) if issuer else area.name
    suffix = _symbol_suffix(plans[0].symbol) if plans else ""
    blank = "\u00a0" * 8  # the number is written in when the report is signed
    number = f"Số{blank}-BC/{suffix}" if suffix else f"Số{blank}-BC"
    if issuer is not None and issuer.kind in PARTY_KINDS:
        superior = f"ĐẢNG BỘ {area.name.upper()}"
        issuer_line = _party_short(short, area)
        return Letterhead(
            PARTY, superior, issuer_line, number, place_and_date(short_place(area), day)
        ), issuer_line
    superior = ""
    if issuer is not None and issuer.parent_id:
        superior = issuer.parent.name.upper()
    return Letterhead(
        STATE, superior, name.upper(), number, place_and_date(short_place(area), day)
    ), name.upper()


def _party_short(name: str, area: Area) -> str:
    """“TỈNH ỦY” of “Tỉnh ủy Lạng Sơn” (the issuing committee without its place, as the
    Party's letterhead writes it under the superior's line)."""
    place = short_place(area)
    text = name.replace(place, "").strip(" ,")
    return (text or name).upper()


def _totals(area: Area, start: Period, end: Period, on: dt.date) -> dict:
    """{code: (total, {unit code: value}, values read)} for the figures in the catalogue."""
    out = {}
    for figure in FIGURES:
        indicator = Indicator.objects.filter(code=figure.code).first()
        if indicator is None:
            continue
        # The total asked whole, as the analytics API answers it: by unit, a commune (no units
        # under it) or an area's values of its own would be left out.
        whole = analytics(indicators=[indicator], area=area, start=start, end=end, on=on)
        by_unit = {}
        if area.level != "commune":  # a commune has no units under it to tabulate
            units = analytics(
                indicators=[indicator], area=area, start=start, end=end, on=on, by_area=True
            )
            by_unit = {row.area: row.value for row in units.rows if row.area}
        out[figure.code] = (whole.total, by_unit, whole.values_read)
    return out


def _tasks_sentence(plan: Document, on: dt.date) -> str:
    assignments = list(
        Assignment.objects.filter(task__plan=plan, sent_on__lte=on).select_related("task", "body")
    )
    tasks = {a.task_id for a in assignments}
    if not assignments:
        return f"{plan.get_kind_display()} số {plan.symbol} chưa giao nhiệm vụ nào trong hệ thống."
    statuses = [v.status for v in judge_assignments(assignments, on)]
    done = sum(s in (Status.DONE, Status.DONE_LATE) for s in statuses)
    late = sum(s == Status.OVERDUE for s in statuses)
    going = len(statuses) - done - late
    bodies = len({a.body_id for a in assignments})
    text = (
        f"{plan.get_kind_display()} số {plan.symbol}"
        f"{f' ngày {plan.issued_on:%d/%m/%Y}' if plan.issued_on else ''} giao "
        f"{words.count(len(tasks), 'nhiệm vụ', exact=True)} cho "
        f"{words.count(bodies, 'cơ quan, đơn vị', exact=True)} "
        f"({words.count(len(assignments), 'lượt giao', exact=True)}). Đến ngày {on:%d/%m/%Y}, "
        f"{done} lượt đã hoàn thành ({words.share(done, len(statuses))}), {going} đang thực "
        f"hiện hoặc chưa đến hạn"
    )
    return text + (f", {late} quá hạn." if late else ", không có nhiệm vụ quá hạn.")


def results_report(
    *,
    document: Document,
    area: Area,
    start: Period,
    end: Period,
    issued_on: dt.date | None = None,
) -> OfficialDocument:
    """The results report on `document` in `area` over `start`..`end` (the area's units as
    they stood at the end of the period)."""
    if ends_before(start, end):
        raise ReportError("Kỳ kết thúc trước kỳ bắt đầu.")
    on = end.end()
    if not area.is_valid_on(on):
        raise ReportError(
            f"{area.name} không tồn tại vào ngày {on:%d/%m/%Y}; chọn địa bàn của thời kỳ đó."
        )
    today = issued_on or timezone.localdate()
    plans = _plans(document, area, on)
    issuer = _issuer(plans, area)
    letterhead, issuer_line = _letterhead(issuer, plans, area, today)
    period = period_phrase(start, end)
    doc_phrase = _document_phrase(document)
    report = OfficialDocument(
        letterhead=letterhead,
        kind_title="BÁO CÁO",
        subject=f"Kết quả thực hiện {doc_phrase}, {period}",
        file_stem=f"bao-cao-{document.symbol.replace('/', '-')}-{area.code}-{start.code}-{end.code}",
    )
    blocks = report.blocks
    if document.subject:
        blocks.append(Paragraph(f"{doc_phrase} {_about(document.subject)}.", italic=True))

    blocks.append(Heading("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN"))
    if plans:
        names = "; ".join(
            f"{p.get_kind_display()} số {p.symbol}"
            + (f" ngày {p.issued_on:%d/%m/%Y}" if p.issued_on else "")
            + (f" {_about(p.subject)}" if p.subject else "")
            for p in plans
        )
        blocks.append(
            Paragraph(f"Thực hiện {doc_phrase}, {plans[0].issuer_label} đã ban hành {names}.")
        )
        for plan in plans:
            blocks.append(Paragraph(_tasks_sentence(plan, on)))
    else:
        blocks.append(
            Paragraph(
                f"Chưa có văn bản nào của {in_text(area.name)} thực hiện {doc_phrase} được ghi nhận "
                "trong hệ thống."
            )
        )

    totals = _totals(area, start, end, on)
    read = sum(v[2] for v in totals.values())
    report.has_data = bool(read) and any(v[0] for v in totals.values())
    # A total over no values is no figure, not a zero; a report without data has none.
    if report.has_data:
        report.figures = {code: v[0] for code, v in totals.items() if v[2]}
    blocks.append(Heading("II. KẾT QUẢ THỰC HIỆN"))
    if not report.has_data:
        blocks.append(
            Paragraph(
                f"Không có số liệu: chưa có đơn vị nào của {in_text(area.name)} báo cáo các chỉ tiêu "
                f"của phong trào trong {period}. Báo cáo này không nêu số liệu kết quả; đề "
                "nghị các đơn vị nhập, nộp số liệu trước khi lập báo cáo."
            )
        )
    else:
        _results_prose(blocks, totals, area, on, end)
        table = _unit_table(totals, area, on)
        if table is not None:
            blocks.append(table)
            report.annex.append(table)
            chart = _chart(table, totals)
            if chart is not None:
                blocks.append(chart)

    blocks.append(Heading("III. ĐÁNH GIÁ CHUNG"))
    blocks.append(Paragraph(NO_ASSESSMENT, italic=True))
    blocks.append(Heading("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"))
    blocks.append(Paragraph(NO_ASSESSMENT, italic=True))

    on_behalf = "T/M BAN THƯỜNG VỤ" if letterhead.layout == PARTY else f"T/M {issuer_line}"
    report.signature = Signature(
        on_behalf, "BÍ THƯ" if letterhead.layout == PARTY else "THỦ TRƯỞNG"
    )
    report.recipients = [
        f"{document.issuer_label} (để báo cáo)," if document.issuer_label else "",
        "Các cơ quan, đơn vị liên quan,",
        f"Lưu Văn phòng {issuer.name if issuer else area.name}.",
    ]
    report.recipients = [r for r in report.recipients if r]
    return report


def _value(totals: dict, code: str) -> Decimal | None:
    return totals[code][0] if code in totals and totals[code][2] else None


def _results_prose(blocks: list, totals: dict, area: Area, on: dt.date, end: Period) -> None:
    media = _value(totals, "MEDIA_ITEMS")
    blocks.append(Heading("1. Công tác tuyên truyền", level=2))
    if media:
        blocks.append(
            Paragraph(
                f"Các cơ quan báo chí, cơ quan tuyên truyền đã đăng tải "
                f"{words.count(media, 'tin, bài, ảnh, phóng sự')} về phong trào toàn dân bảo "
                f"vệ an ninh Tổ quốc ({words.count(media, 'tin, bài', exact=True)} được ghi "
                "nhận)."
            )
        )
    else:
        blocks.append(Paragraph("Chưa có số liệu về tin, bài tuyên truyền trong kỳ."))
    models = _value(totals, "SM_MODELS_ACTIVE")
    blocks.append(Heading("2. Xây dựng, nhân rộng mô hình tự quản", level=2))
    if models:
        blocks.append(
            Paragraph(
                f"Đến ngày {on:%d/%m/%Y}, toàn {_level_word(area)} có "
                f"{words.count(models, 'mô hình', exact=True)} tự phòng, tự quản, tự bảo vệ, tự "
                "hòa giải về an ninh, trật tự đang hoạt động."
            )
        )
    else:
        blocks.append(Paragraph("Chưa có số liệu về mô hình tự quản trong kỳ."))
    tips = _value(totals, "TIPS_RECEIVED")
    valuable = _value(totals, "TIPS_VALUABLE")
    cases = _value(totals, "CASES_CLEARED_BY_TIPS")
    suspects = _value(totals, "SUSPECTS_BY_TIPS")
    assets = _value(totals, "ASSETS_RECOVERED_VND")
    blocks.append(
        Heading("3. Phát huy vai trò của Nhân dân trong phát hiện, tố giác tội phạm", level=2)
    )
    if tips:
        text = f"Nhân dân đã cung cấp {words.count(tips, 'nguồn tin', exact=True)}"
        if valuable:
            text += (
                f", trong đó {words.count(valuable, 'nguồn tin có giá trị', exact=True)} "
                f"({words.share(valuable, tips)})"
            )
        text += "."
        if cases:
            text += (
                f" Qua đó, lực lượng Công an đã làm rõ {words.count(cases, 'vụ phạm pháp hình sự')}"
            )
            if suspects:
                text += f", với {words.count(suspects, 'đối tượng')}"
            if assets:
                text += (
                    f", thu hồi tài sản trị giá {words.money(assets)} "
                    f"({words.money_in_words(assets)})"
                )
            text += "."
        blocks.append(Paragraph(text))
    else:
        blocks.append(Paragraph("Chưa có số liệu về nguồn tin của Nhân dân trong kỳ."))


def _level_word(area: Area) -> str:
    return {"province": "tỉnh", "commune": "xã", "district": "huyện", "nation": "quốc"}.get(
        area.level, "địa bàn"
    )


def _unit_table(totals: dict, area: Area, on: dt.date) -> Table | None:
    present = [f for f in FIGURES if f.code in totals and totals[f.code][2]]
    units = sorted({code for f in present for code in totals[f.code][1]})
    if not units or not present:
        return None
    names = {}
    for code in units:
        try:
            names[code] = area_by_code(code, on).name
        except Area.DoesNotExist:
            names[code] = code
    rows = []
    for code in sorted(units, key=lambda c: names[c]):
        rows.append([names[code]] + [_cell(f, totals[f.code][1].get(code)) for f in present])
    total = ["Tổng cộng"] + [_cell(f, totals[f.code][0]) for f in present]
    return Table(
        title=f"Kết quả theo đơn vị hành chính của {in_text(area.name)} (đến {on:%d/%m/%Y})",
        columns=["Đơn vị"] + [f.column for f in present],
        rows=rows,
        total=total,
    )


def _cell(figure: Figure, value: Decimal | None) -> str:
    if value is None:
        return "—"
    if figure.code == "ASSETS_RECOVERED_VND":
        return format_number(Decimal(value) / 1_000_000, 1).rstrip("0").rstrip(",")
    return format_number(value)


def _chart(table: Table, totals: dict) -> Chart | None:
    code = "TIPS_RECEIVED" if "TIPS_RECEIVED" in totals else None
    column = next((i for i, c in enumerate(table.columns) if c == "Nguồn tin"), None)
    if code is None or column is None:
        return None
    bars = []
    for row in table.rows:
        try:
            bars.append((row[0], float(parse_number(row[column]))))
        except (InvalidOperation, ValueError):  # "—": no figure, left out of the chart
            continue
    if not bars:
        return None
    return Chart(title="Nguồn tin do Nhân dân cung cấp theo đơn vị", bars=bars, unit="nguồn tin")
