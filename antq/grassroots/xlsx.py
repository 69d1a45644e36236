"""Excel (.xlsx) of the grassroots registries: downloads of the filtered lists, and the media
items template with its all-or-nothing import. No request needed: commands can use them.

The media template is one sheet "Tin bài" whose first row is the header::

    Ngày đăng | Loại | Tiêu đề | Cơ quan báo chí | Cấp | Mã địa bàn | Đường dẫn

The header names are the file format (fixed Vietnamese, not translated; a hint in brackets
after a name, "Ngày đăng (dd/mm/yyyy)", is allowed). Types and levels are read from their
Vietnamese labels or their codes, in any case; dates from real Excel dates or dd/mm/yyyy
text; the area code on the map of the publication date. Every problem is located as
"Dòng 12, cột A (Ngày đăng): …", and nothing is saved unless there is none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from antq.areas.models import LEVEL_RANK, Area

# The shared workbook helpers of the indicators' spreadsheets (styles, text cells, the check
# that an upload is an .xlsx at all), so every antq workbook looks and refuses alike.
from antq.core.spreadsheets import WorkbookRefused, check_xlsx, load_xlsx
from antq.core.spreadsheets import norm as _norm
from antq.core.spreadsheets import put_text as _put_text
from antq.core.spreadsheets import styles as _styles
from antq.core.spreadsheets import workbook_bytes as _save
from antq.core.vnformat import parse_date
from antq.grassroots import services
from antq.grassroots.models import (
    EventKind,
    MediaItem,
    MediaKind,
    MemberRole,
    ModelStatus,
    MovementEvent,
    OutletLevel,
    SecurityTeam,
    SelfManagementModel,
)
from antq.grassroots.selectors import model_types
from antq.grassroots.services import ImportErrors

__all__ = [
    "HEADER_ROW",
    "MEDIA_COLUMNS",
    "MEDIA_SHEET",
    "events_workbook",
    "media_import_workbook",
    "media_template_workbook",
    "media_workbook",
    "models_workbook",
    "read_media_workbook",
    "teams_workbook",
]

# Vietnamese labels of the choices, fixed in the files whatever the interface language.
STATUS_VI = {
    ModelStatus.OPERATING: "Đang hoạt động",
    ModelStatus.PAUSED: "Tạm dừng",
    ModelStatus.DISSOLVED: "Giải thể",
}
KIND_VI = {
    MediaKind.NEWS: "tin",
    MediaKind.ARTICLE: "bài",
    MediaKind.PHOTO: "ảnh",
    MediaKind.REPORT: "phóng sự",
    MediaKind.VIDEO: "video",
}
LEVEL_VI = {OutletLevel.CENTRAL: "Trung ương", OutletLevel.LOCAL: "Địa phương"}
ROLE_VI = {
    MemberRole.LEADER: "Tổ trưởng",
    MemberRole.DEPUTY: "Tổ phó",
    MemberRole.MEMBER: "Tổ viên",
}
EVENT_VI = {
    EventKind.LAUNCH: "Phát động phong trào",
    EventKind.NGAY_HOI: "Ngày hội toàn dân bảo vệ an ninh Tổ quốc",
    EventKind.MEETING: "Họp dân",
}

HEADER_ROW = 5  # of the list downloads: title, filters, date, a blank row, then the header
DATE_FORMAT = "DD/MM/YYYY"


# --- downloads of the lists ----------------------------------------------------------------


def _list_workbook(
    *, sheet: str, title: str, filters: str, columns: list[tuple[str, float]], rows: Iterable[list]
) -> bytes:
    """A title, the filters, the export date, then a table: the header (Vietnamese) and one
    row per record; dates are real dates (dd/mm/yyyy), counts are numbers."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    s = _styles()
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    wb.properties.title = title[:255]
    wb.properties.creator = "antq"
    stamp = timezone.localtime().strftime("%H:%M %d/%m/%Y")
    for row, (text, font) in enumerate(
        ((title, s["title"]), (filters, s["subtitle"]), (f"Xuất lúc {stamp}", s["note"])), start=1
    ):
        _put_text(ws.cell(row=row, column=1), text)
        ws.cell(row=row, column=1).font = font
    heads = [("STT", 6), *columns]
    for col, (text, width) in enumerate(heads, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col)
        _put_text(cell, text)
        cell.font, cell.fill, cell.border = s["header_font"], s["header_fill"], s["border"]
        cell.alignment = s["center"]
        ws.column_dimensions[get_column_letter(col)].width = width
    row = HEADER_ROW
    for n, values in enumerate(rows, start=1):
        row = HEADER_ROW + n
        for col, value in enumerate([n, *values], start=1):
            cell = ws.cell(row=row, column=col)
            cell.border = s["border"]
            if isinstance(value, dt.date):
                cell.value, cell.number_format, cell.alignment = value, DATE_FORMAT, s["top"]
            elif isinstance(value, int):
                cell.value, cell.number_format, cell.alignment = value, "#,##0", s["number"]
            elif isinstance(value, float):
                cell.value, cell.number_format, cell.alignment = value, "#,##0.00", s["number"]
            else:
                _put_text(cell, "" if value is None else str(value))
                cell.alignment = s["wrap"]
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    if row > HEADER_ROW:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(heads))}{row}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return _save(wb)


_FILTER_LABELS = {
    "area": "Địa bàn",
    "type": "Loại mô hình",
    "status": "Tình trạng",
    "kind": "Loại",
    "level": "Cấp",
    "q": "Từ khóa",
    "founded_from": "Thành lập từ ngày",
    "founded_to": "Thành lập đến ngày",
    "date_from": "Từ ngày",
    "date_to": "Đến ngày",
}


def filters_text(filters: dict[str, Any], labels: dict[str, dict] | None = None) -> str:
    """“Địa bàn: Xã Na Sầm (06124); Từ ngày: 01/01/2025”, or “Tất cả” with no filter."""
    parts = []
    for key, value in filters.items():
        if value in (None, "") or key not in _FILTER_LABELS:
            continue
        if isinstance(value, Area):
            value = f"{value.name} ({value.code})"
        elif isinstance(value, dt.date):
            value = value.strftime("%d/%m/%Y")
        elif labels and key in labels:
            value = labels[key].get(value, value)
        parts.append(f"{_FILTER_LABELS[key]}: {value}")
    return "Bộ lọc: " + ("; ".join(parts) if parts else "tất cả bản ghi trong phạm vi được xem")


def models_workbook(models: Iterable[SelfManagementModel], filters: dict[str, Any]) -> bytes:
    types = {t.code: t.name for t in model_types()}
    rows = []
    for m in models:
        rows.append(
            [
                m.name,
                m.type.name,
                m.area.name,
                m.area.code,
                m.place,
                m.founded_on,
                m.members,
                STATUS_VI.get(m.status, m.status),
                m.replicated_from.name if m.replicated_from_id else "",
                getattr(m, "n_replicas", 0),
                m.host_body.name if m.host_body_id else "",
            ]
        )
    return _list_workbook(
        sheet="Mô hình",
        title="Danh sách mô hình tự phòng, tự quản, tự bảo vệ, tự hòa giải",
        filters=filters_text(filters, {"status": STATUS_VI, "type": types}),
        columns=[
            ("Tên mô hình", 44),
            ("Loại mô hình", 36),
            ("Địa bàn", 24),
            ("Mã địa bàn", 11),
            ("Thôn, tổ dân phố", 22),
            ("Ngày thành lập", 14),
            ("Số thành viên", 11),
            ("Tình trạng hiện nay", 16),
            ("Nhân rộng từ mô hình", 36),
            ("Số mô hình nhân rộng", 12),
            ("Cơ quan chủ trì", 28),
        ],
        rows=rows,
    )


def teams_workbook(teams: Iterable[SecurityTeam], filters: dict[str, Any]) -> bytes:
    """The teams, without their members' names (real people stay on the team's page)."""
    rows = [
        [
            t.name,
            t.area.name,
            t.area.code,
            t.place,
            t.decision_number,
            t.decision_date,
            t.established_on,
            t.dissolved_on,
            getattr(t, "n_members", 0),
        ]
        for t in teams
    ]
    return _list_workbook(
        sheet="Tổ bảo vệ ANTT",
        title="Danh sách tổ bảo vệ an ninh, trật tự ở cơ sở",
        filters=filters_text(filters),
        columns=[
            ("Tên tổ", 40),
            ("Xã, phường", 24),
            ("Mã địa bàn", 11),
            ("Thôn, tổ dân phố", 22),
            ("Số quyết định", 16),
            ("Ngày quyết định", 14),
            ("Ngày thành lập", 14),
            ("Ngày giải thể", 14),
            ("Số thành viên hiện nay", 12),
        ],
        rows=rows,
    )


def media_workbook(items: Iterable[MediaItem], filters: dict[str, Any]) -> bytes:
    """The items in the template's columns (then the area's name), so a download reads
    like the file that was imported."""
    rows = [
        [
            i.published_on,
            KIND_VI.get(i.kind, i.kind),
            i.title,
            i.outlet,
            LEVEL_VI.get(i.outlet_level, i.outlet_level),
            i.area.code,
            i.link,
            i.area.name,
        ]
        for i in items
    ]
    return _list_workbook(
        sheet="Tin bài",
        title="Danh sách tin, bài, ảnh, phóng sự về an ninh, trật tự",
        filters=filters_text(filters, {"kind": KIND_VI, "level": LEVEL_VI}),
        columns=[(header, width) for _f, header, width in MEDIA_COLUMNS] + [("Tên địa bàn", 24)],
        rows=rows,
    )


def events_workbook(events: Iterable[MovementEvent], filters: dict[str, Any]) -> bytes:
    rows = [
        [
            e.held_on,
            EVENT_VI.get(e.kind, e.kind),
            e.title,
            e.area.name,
            e.area.code,
            e.participants,
            e.notes,
        ]
        for e in events
    ]
    return _list_workbook(
        sheet="Sự kiện",
        title="Danh sách sự kiện của phong trào (phát động, Ngày hội, họp dân)",
        filters=filters_text(filters, {"kind": EVENT_VI}),
        columns=[
            ("Ngày", 12),
            ("Loại sự kiện", 30),
            ("Tên sự kiện", 50),
            ("Địa bàn", 24),
            ("Mã địa bàn", 11),
            ("Số người tham dự", 12),
            ("Ghi chú", 40),
        ],
        rows=rows,
    )


# --- the media items template ----------------------------------------------------------------

MEDIA_SHEET = "Tin bài"
HELP_SHEET = "Hướng dẫn"
# (field, header, width): the template's columns, in order.
MEDIA_COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("published_on", "Ngày đăng", 13),
    ("kind", "Loại", 11),
    ("title", "Tiêu đề", 60),
    ("outlet", "Cơ quan báo chí", 32),
    ("outlet_level", "Cấp", 13),
    ("area", "Mã địa bàn", 12),
    ("link", "Đường dẫn", 40),
)
TEMPLATE_ROWS = 2000  # rows prepared with the type and level lists and the date format
MAX_ROWS = 50_000


def media_template_workbook() -> bytes:
    """The empty template: the header, lists for the type and level, the date and code
    formats, and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    s = _styles()
    wb = Workbook()
    ws = wb.active
    ws.title = MEDIA_SHEET
    wb.properties.title = "Mẫu nhập tin, bài, ảnh, phóng sự"
    wb.properties.creator = "antq"
    wb.properties.keywords = "antq-template grassroots.media"
    for col, (_f, header, width) in enumerate(MEDIA_COLUMNS, start=1):
        cell = ws.cell(row=1, column=col)
        _put_text(cell, header)
        cell.font, cell.fill, cell.border = s["header_font"], s["header_fill"], s["border"]
        cell.alignment = s["center"]
        ws.column_dimensions[cell.column_letter].width = width
    last = TEMPLATE_ROWS + 1
    for row in range(2, last + 1):
        ws.cell(row=row, column=1).number_format = DATE_FORMAT
        ws.cell(row=row, column=6).number_format = "@"
    for letter, values, title in (
        ("B", list(KIND_VI.values()), "Loại tin, bài"),
        ("E", list(LEVEL_VI.values()), "Cấp cơ quan báo chí"),
    ):
        dv = DataValidation(
            type="list",
            formula1='"' + ",".join(values) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=title,
            error="Chọn một giá trị trong danh sách: " + ", ".join(values) + ".",
        )
        dv.sqref = f"{letter}2:{letter}{last}"
        ws.add_data_validation(dv)
    dates = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="36526",  # 01/01/2000
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="Ngày đăng",
        error="Nhập ngày theo dạng dd/mm/yyyy.",
    )
    dates.sqref = f"A2:A{last}"
    ws.add_data_validation(dates)
    ws.freeze_panes = "A2"

    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.column_dimensions["A"].width = 110
    lines = [
        ("Hướng dẫn nhập tin, bài, ảnh, phóng sự", s["title"]),
        ("", None),
        (
            "Mỗi dòng của trang “Tin bài” là một tin, bài, ảnh, phóng sự hoặc video đã đăng, phát.",
            None,
        ),
        ("Không sửa, xóa hay thêm cột ở dòng tiêu đề (dòng 1).", None),
        (
            "Ngày đăng: ngày đăng, phát, dạng dd/mm/yyyy (ví dụ 19/08/2025); không được sau hôm nay.",
            None,
        ),
        ("Loại: " + ", ".join(KIND_VI.values()) + ".", None),
        ("Tiêu đề: tiêu đề của tin, bài.", None),
        ("Cơ quan báo chí: tên báo, đài, trang thông tin đăng, phát.", None),
        ("Cấp: Trung ương hoặc Địa phương.", None),
        (
            "Mã địa bàn: mã đơn vị hành chính (tỉnh, xã, phường, thôn) mà tin, bài nói về, "
            "theo danh mục tại ngày đăng (ví dụ 06124).",
            None,
        ),
        (
            "Đường dẫn (không bắt buộc): địa chỉ trang web, bắt đầu bằng http:// hoặc https://.",
            None,
        ),
        ("", None),
        (
            "Khi nhập, hệ thống kiểm tra mọi dòng; nếu có lỗi, không dòng nào được lưu và mỗi lỗi "
            "được chỉ rõ dòng, cột.",
            s["note"],
        ),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        cell = help_ws.cell(row=row, column=1)
        _put_text(cell, text)
        cell.alignment = s["wrap"]
        if font is not None:
            cell.font = font
    return _save(wb)


# --- reading a filled template ---------------------------------------------------------------

_HINT = re.compile(r"\s*[(\[].*[)\]]\s*$")  # "Ngày đăng (dd/mm/yyyy)" -> "Ngày đăng"
_WHERE = re.compile(r"^Dòng (\d+)(?:, cột ([A-Z]+))?")


def _header_name(value: Any) -> str:
    return _HINT.sub("", _norm(value)) if value is not None else ""


def _aliases(labels: dict, extra: dict | None = None) -> dict[str, str]:
    """Normalised label, code or other accepted spelling -> code."""
    out: dict[str, str] = {}
    for code, label in labels.items():
        for text in (code, code.replace("_", " "), label, *(extra or {}).get(code, ())):
            out[_norm(text)] = str(code)
    return out


_KINDS = _aliases(KIND_VI)
_LEVELS = _aliases(
    LEVEL_VI,
    {
        OutletLevel.CENTRAL: ("tw", "trung uong", "cấp trung ương"),
        OutletLevel.LOCAL: ("đp", "dia phuong", "cấp địa phương"),
    },
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s+", " ", str(value)).strip()


def _date(value: Any) -> dt.date | None:
    """A date cell: a real date, dd/mm/yyyy text, or an Excel serial number; ValueError."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        if 1 <= value < 2_958_466:  # 01/01/1900 .. 31/12/9999
            day = from_excel(value)
            return day.date() if isinstance(day, dt.datetime) else day
        raise ValueError(value)
    return parse_date(_text(value))


def _area_candidates(codes: set[str]) -> dict[str, list[Area]]:
    out: dict[str, list[Area]] = {}
    for area in Area.objects.filter(code__in=sorted(codes)).order_by("valid_from"):
        out.setdefault(area.code, []).append(area)
    return out


def _area_on(candidates: list[Area], day: dt.date) -> Area | None:
    valid = [a for a in candidates if a.is_valid_on(day)]
    return min(valid, key=lambda a: LEVEL_RANK.get(a.level, 9)) if valid else None


def _header_problem(cells: list[Any]) -> str | None:
    """One located problem naming the expected header, or None when the row is right."""
    expected = [header for _f, header, _w in MEDIA_COLUMNS]
    found = [_header_name(v) for v in cells]
    if found == [_norm(h) for h in expected]:
        return None
    wanted = {_norm(h) for h in expected}
    missing = [f"“{h}”" for h in expected if _norm(h) not in found]
    extra = [
        f"“{_text(v)}”" for v, name in zip(cells, found, strict=True) if name and name not in wanted
    ]
    details = []
    if missing:
        details.append(_("missing %(names)s") % {"names": ", ".join(missing)})
    if extra:
        details.append(_("not expected %(names)s") % {"names": ", ".join(extra)})
    if not details:
        details.append(_("the columns are not in order"))
    return "Dòng 1: " + _(
        "the header row must be “%(header)s” (%(details)s); use the template downloaded from the system."
    ) % {"header": " | ".join(expected), "details": "; ".join(details)}


def read_media_workbook(
    data: bytes, filename: str
) -> tuple[list[tuple[str, dict[str, Any]]], list[str], bool]:
    """The filled rows as media_import expects them ((where, data), data["_columns"] naming
    each field's column), the problems found reading them, and whether the header is right.
    Raises ImportErrors at once for a file that cannot be read at all."""
    from openpyxl.utils import get_column_letter

    try:
        check_xlsx(data)
        wb = load_xlsx(data, data_only=True)
    except WorkbookRefused as exc:
        raise ImportErrors([f"{filename}: {exc}"]) from None
    try:
        names = {_norm(ws.title): ws for ws in wb.worksheets}
        ws = names.get(_norm(MEDIA_SHEET)) or wb.worksheets[0]
        lines = list(ws.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    finally:
        wb.close()
    problems: list[str] = []
    cells = list(lines[0] if lines else ())
    while cells and not _header_name(cells[-1]):
        cells.pop()
    header = [_header_name(v) for v in cells]
    header_problem = _header_problem(cells)
    if header_problem:
        problems.append(header_problem)
    position = {_norm(h): i for i, h in enumerate(header) if h}
    columns: dict[str, tuple[int, str]] = {}  # field -> (index, ", cột A (Ngày đăng)")
    for field, name, _w in MEDIA_COLUMNS:
        index = position.get(_norm(name))
        if index is not None:
            columns[field] = (index, f", cột {get_column_letter(index + 1)} ({name})")

    raw: list[tuple[int, dict[str, Any]]] = []
    for number, cells in enumerate(lines[1:], start=2):
        values = {f: cells[i] if i < len(cells) else None for f, (i, _c) in columns.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells or ()):
            continue
        raw.append((number, values))
    if len(raw) > MAX_ROWS:
        raise ImportErrors(
            [
                f"{filename}: "
                + _("the file has more than %(n)s rows; split it.")
                % {"n": f"{MAX_ROWS:,}".replace(",", ".")}
            ]
        )

    codes: set[str] = set()
    for _n, values in raw:
        code = _text(values.get("area"))
        if code:
            codes |= {code, code.zfill(5)} if code.isdigit() else {code}
    candidates = _area_candidates(codes)
    today = timezone.localdate()
    rows: list[tuple[str, dict[str, Any]]] = []
    for number, values in raw:
        where = f"Dòng {number}"
        located = {f: c for f, (_i, c) in columns.items()}

        def problem(field: str, message: str, where=where, located=located) -> None:
            problems.append(f"{where}{located.get(field, '')}: {message}")

        item: dict[str, Any] = {
            "title": _text(values.get("title")),
            "outlet": _text(values.get("outlet")),
            "link": _text(values.get("link")),
            "published_on": None,
            "kind": None,
            "outlet_level": None,
            "area": None,
            "_columns": located,
        }
        if "published_on" in columns and values.get("published_on") not in (None, ""):
            try:
                item["published_on"] = _date(values["published_on"])
            except (ValueError, OverflowError):
                problem(
                    "published_on",
                    _("“%(value)s” is not a date (dd/mm/yyyy).")
                    % {"value": _text(values["published_on"])[:40]},
                )
        for field, known, message in (
            ("kind", _KINDS, _("“%(value)s” is not a type of item; use one of: %(labels)s.")),
            (
                "outlet_level",
                _LEVELS,
                _("“%(value)s” is not an outlet level; use one of: %(labels)s."),
            ),
        ):
            text = _text(values.get(field))
            if text:
                item[field] = known.get(_norm(text))
                if item[field] is None:
                    labels = KIND_VI if field == "kind" else LEVEL_VI
                    problem(
                        field, message % {"value": text[:40], "labels": ", ".join(labels.values())}
                    )
        code = _text(values.get("area"))
        if code:
            day = item["published_on"] or today
            options = [code, code.zfill(5)] if code.isdigit() else [code]
            item["area"] = next(
                (a for c in options if (a := _area_on(candidates.get(c, []), day))), None
            )
            if item["area"] is None:
                problem(
                    "area",
                    _("No area had the code “%(code)s” on %(date)s.")
                    % {"code": code[:20], "date": day.strftime("%d/%m/%Y")},
                )
        rows.append((where, item))
    return rows, problems, header_problem is None


def _order(problem: str) -> tuple[int, int]:
    match = _WHERE.match(problem)
    if not match:
        return (0, 0)
    letters = match.group(2) or ""
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return (int(match.group(1)), col)


def media_import_workbook(*, actor: Any, data: bytes, filename: str) -> int:
    """Import a filled media template, all or nothing; returns how many items were created.
    Raises ImportErrors listing every problem (the file's, then each row's by column)."""
    rows, problems, header_ok = read_media_workbook(data, filename)
    if not rows and not problems:
        raise ImportErrors([f"{filename}: " + _("the file has no rows to import.")])
    if not header_ok:
        raise ImportErrors(sorted(problems, key=_order))
    reported = {p.split(": ", 1)[0] for p in problems}
    try:
        with transaction.atomic():
            created = services.media_import(actor=actor, rows=rows, reason=filename[:200])
            if problems:  # never reached (a problem leaves a required field empty): be sure
                raise ImportErrors([])
    except ImportErrors as exc:
        # A field already reported as unreadable is not reported again as missing.
        more = [p for p in exc.problems if p.split(": ", 1)[0] not in reported]
        raise ImportErrors(sorted(problems + more, key=_order)) from None
    return created


# --- the annual assessment and the recognitions ---------------------------------------------

CLASS_VI = {"xuat_sac": "Xuất sắc", "kha": "Khá", "trung_binh": "Trung bình", "yeu": "Yếu"}
ASSESSMENT_STATUS_VI = {
    "draft": "Đang tự đánh giá",
    "submitted": "Đã gửi, chờ thẩm định",
    "reviewed": "Đã thẩm định",
}
RECOGNITION_VI = {
    "registered": "Đã đăng ký",
    "recognised": "Được công nhận",
    "not_recognised": "Không được công nhận",
}


def assessments_workbook(assessments: Iterable, year: int, area_text: str) -> bytes:
    rows = [
        [
            a.area.name,
            a.area.code,
            ASSESSMENT_STATUS_VI.get(a.status, a.status),
            float(a.self_total),
            "" if a.review_total is None else float(a.review_total),
            CLASS_VI.get(a.classification, ""),
            a.review_note,
        ]
        for a in assessments
    ]
    return _list_workbook(
        sheet=f"Đánh giá {year}",
        title=f"Kết quả đánh giá phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year}",
        filters=f"Địa bàn: {area_text}",
        columns=[
            ("Xã, phường", 28),
            ("Mã", 9),
            ("Tình trạng", 22),
            ("Điểm tự chấm", 12),
            ("Điểm thẩm định", 12),
            ("Xếp loại", 12),
            ("Nhận xét", 40),
        ],
        rows=rows,
    )


def recognitions_workbook(records: Iterable, year: int, area_text: str) -> bytes:
    rows = [
        [
            r.area.name,
            r.area.code,
            r.registered_on,
            RECOGNITION_VI.get(r.result, r.result),
            r.decided_on,
            r.decision_number,
            r.note,
        ]
        for r in records
    ]
    return _list_workbook(
        sheet=f"An toàn ANTT {year}",
        title=f"Đăng ký và công nhận “An toàn về an ninh, trật tự” năm {year}",
        filters=f"Địa bàn: {area_text}",
        columns=[
            ("Địa bàn", 28),
            ("Mã", 9),
            ("Ngày đăng ký", 13),
            ("Kết quả", 22),
            ("Ngày quyết định", 13),
            ("Số quyết định", 16),
            ("Ghi chú", 40),
        ],
        rows=rows,
    )
