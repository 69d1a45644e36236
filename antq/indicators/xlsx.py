"""Excel (.xlsx) entry templates, their import, and downloads of analytics results.

The entry template (:func:`template_workbook`) is one sheet "Số liệu" with a row per reporting
unit × indicator × period and the columns::

    Mã chỉ tiêu | Tên chỉ tiêu | Mã địa bàn | Tên địa bàn | Kỳ | Giá trị | Ghi chú

and a sheet "Hướng dẫn" (instructions). The header names are the file format: the importer
(:func:`read_workbook`) finds the header row by these names, so they are fixed Vietnamese text
and not translated. Only the value and comment cells are unlocked. The sheet protection has no
password: it guards against editing a code by accident, it is not a security control (anyone
can lift it in Excel), and the importer trusts nothing in the file: every code is checked
again on import.

Import is all or nothing (:func:`import_workbook`): every problem is reported, each prefixed by
the cell it concerns ("Số liệu!F9: …"), and nothing is saved unless there is none.

Values in the "Giá trị" column may be numbers or text. Text is read the Vietnamese way:

* a comma is the decimal separator: ``4,5`` is 4.5 (and ``1,234`` is 1.234, not 1234);
* a dot followed by groups of exactly three digits is a thousands separator:
  ``1.234`` and ``1.234.567`` are 1234 and 1234567, ``1.234,5`` is 1234.5;
* any other dot is a decimal point (``1.5`` is 1.5, ``1.23`` is 1.23);
* spaces (also non-breaking ones) are ignored: ``1 234`` is 1234;
* ``1,234,567`` (English thousands) is not read as a number and is reported.

Ranges, whole numbers, units and area codes are checked by
:func:`antq.indicators.services.values_save`, as for every other way values come in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from antq.areas.models import Area, Level
from antq.areas.selectors import area_subtree
from antq.core.spreadsheets import MAX_BYTES, SPACES, WorkbookRefused, check_xlsx, load_xlsx
from antq.core.spreadsheets import norm as _norm
from antq.core.spreadsheets import put_text as _put_text
from antq.core.spreadsheets import styles as _styles
from antq.core.spreadsheets import workbook_bytes as _save
from antq.indicators.engine import Result
from antq.indicators.models import (
    DataSet,
    Indicator,
    Submission,
    TimeAggregation,
    ValueSource,
    ValueType,
)
from antq.indicators.periods import Period, PeriodError, parse_period
from antq.indicators.selectors import out_of_scope
from antq.indicators.services import ValueErrors, ValueInput, values_save

__all__ = [
    "DATA_SHEET",
    "HEADERS",
    "HELP_SHEET",
    "MAX_BYTES",
    "MAX_TEMPLATE_ROWS",
    "import_workbook",
    "read_workbook",
    "results_workbook",
    "template_workbook",
]

DATA_SHEET = "Số liệu"
HELP_SHEET = "Hướng dẫn"

# (field, header, width): the order and names of the template's columns.
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("indicator", "Mã chỉ tiêu", 26),
    ("indicator_name", "Tên chỉ tiêu", 60),
    ("area", "Mã địa bàn", 12),
    ("area_name", "Tên địa bàn", 28),
    ("period", "Kỳ", 10),
    ("value", "Giá trị", 16),
    ("comment", "Ghi chú", 40),
)
HEADERS = {name: header for name, header, _width in COLUMNS}
REQUIRED = ("indicator", "area", "period", "value")
ENTRY = ("value", "comment")  # the only unlocked columns

# Header texts the importer accepts for each column (compared after NFC, case folding and
# collapsing spaces). The English names are those of the CSV import (antq import-values).
_ALIASES = {
    "indicator": ("mã chỉ tiêu", "indicator"),
    "indicator_name": ("tên chỉ tiêu",),
    "area": ("mã địa bàn", "area"),
    "area_name": ("tên địa bàn",),
    "period": ("kỳ", "kỳ báo cáo", "period"),
    "value": ("giá trị", "value"),
    "comment": ("ghi chú", "comment"),
}

HEADER_SEARCH_ROWS = 50  # the header row is looked for in this many rows from the top
MAX_TEMPLATE_ROWS = 200_000
COMMENT_MAX = 500  # DataValue.comment
VALUE_LIMIT = Decimal("9999999999999999")  # DataValue.value: 20 digits, 4 of them decimals

_UNIT_VI = {"vnd": "đồng", "percent": "%"}  # shown after the indicator's name in a template
_LEVEL_VI = {
    "province": "cấp tỉnh",
    "district": "cấp huyện",
    "commune": "cấp xã",
    "village": "thôn, tổ dân phố",
}

_VI_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+")
_VI_THOUSANDS_DECIMAL = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+,\d+")
_VI_DECIMAL = re.compile(r"[+-]?\d*,\d+")


# --- small helpers ------------------------------------------------------------------------------


def _check_container(data: bytes, filename: str) -> None:
    try:
        check_xlsx(data)
    except WorkbookRefused as exc:
        raise _refuse(filename, str(exc)) from None


def _load(data: bytes, filename: str, *, data_only: bool):
    try:
        return load_xlsx(data, data_only=data_only)
    except WorkbookRefused as exc:
        raise _refuse(filename, str(exc)) from None


def _period_span(periods: list[Period]) -> str:
    if len(periods) == 1:
        return periods[0].label_vi()
    contiguous = all(b - a == 1 for a, b in pairwise(periods))
    if contiguous:
        return f"{periods[0].label_vi()} – {periods[-1].label_vi()} ({len(periods)} kỳ)"
    return ", ".join(p.label_vi() for p in periods)


def _height(*texts: tuple[str, float], line: float = 15.0) -> float | None:
    """A row height (points) that shows wrapped texts whole, each (text, column width).

    Excel sizes rows with wrapped text when it edits them, but not always on opening a file
    it did not write, and LibreOffice keeps the default height when printing; so it is set
    from an estimate (about 1.25 characters of Calibri 11 per unit of column width)."""
    lines = max(
        (
            sum(-(-max(len(part), 1) // max(int(width * 1.25), 1)) for part in text.split("\n"))
            for text, width in texts
        ),
        default=1,
    )
    return line * lines if lines > 1 else None


def _number_format(indicator: Indicator) -> str:
    return "#,##0" if indicator.value_type == ValueType.INTEGER else "#,##0.00##"


def _runs(rows: list[int]) -> str:
    """'F7:F9 F12' from [7, 8, 9, 12]: the rows as few ranges as possible (column F)."""
    parts, start, prev = [], None, None
    for row in sorted(rows):
        if start is None:
            start = prev = row
        elif row == prev + 1:
            prev = row
        else:
            parts.append((start, prev))
            start = prev = row
    if start is not None:
        parts.append((start, prev))
    return " ".join(f"F{a}" if a == b else f"F{a}:F{b}" for a, b in parts)


# --- the entry template ---------------------------------------------------------------------


def _reporting_units(data_set: DataSet, area: Area, periods: list[Period]) -> list[tuple]:
    """(unit, period) pairs: for each period, the area's units at the data set's level that
    exist on the period's first day (the area itself if it is at that level).

    Each period is resolved on its own map, so a template that spans a reorganisation (the
    2025 reform) lists the units as they stood in each period; codes are reused across it."""
    units: dict[int, Area] = {}
    valid: dict[int, list[Period]] = {}
    by_day: dict[dt.date, list[Area]] = {}
    for period in periods:
        day = period.start(data_set.calendar)
        if day not in by_day:
            by_day[day] = list(
                area_subtree(area, day, level=data_set.level, include_self=True).order_by("code")
            )
        for unit in by_day[day]:
            units.setdefault(unit.pk, unit)
            valid.setdefault(unit.pk, []).append(period)
    ordered = sorted(units.values(), key=lambda u: (u.code, u.valid_from))
    return [(unit, period) for unit in ordered for period in valid[unit.pk]]


def template_workbook(data_set: DataSet, area: Area, periods: Iterable[Period | str]) -> bytes:
    """An .xlsx entry template of ``data_set`` for the reporting units under ``area``.

    One row per reporting unit × indicator × period, ordered by unit, then period, then
    indicator (as on the paper form of one unit for one period). The reporting units are the
    area's descendants at ``data_set.level`` (or the area itself at that level) that exist
    on each period's first day in the data set's calendar (so a template across the 2025
    reform lists the old units for the periods before it and the new ones after). Periods
    may be given as codes. Raises ``ValueError`` (a translated message; ``PeriodError`` for a
    bad code) for periods of another type than the data set's, no periods, no indicators,
    no reporting units or more than MAX_TEMPLATE_ROWS rows.

    Value cells get the indicator's number format ("#,##0", or "#,##0.00##" for decimals)
    and an Excel validation (whole or decimal number within the indicator's range), which
    only helps the person typing: the importer checks everything again.
    """
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    periods = sorted({p if isinstance(p, Period) else parse_period(p) for p in periods})
    if not periods:
        raise ValueError(_("Choose at least one period."))
    wrong = [p.code for p in periods if p.type != data_set.period_type]
    if wrong:
        raise ValueError(
            _("This form is reported by %(type)s, not by “%(period)s”.")
            % {"type": data_set.get_period_type_display().lower(), "period": wrong[0]}
        )
    indicators = list(data_set.indicators.order_by("code"))
    if not indicators:
        raise ValueError(_("The data set has no indicators."))
    pairs = _reporting_units(data_set, area, periods)
    if not pairs:
        raise ValueError(
            _("%(area)s has no reporting unit of this data set in the chosen periods.")
            % {"area": area.name}
        )
    count = len(pairs) * len(indicators)
    if count > MAX_TEMPLATE_ROWS:
        raise ValueError(
            _(
                "The template would have %(count)d rows (at most %(max)d): choose a smaller area or fewer periods."
            )
            % {"count": count, "max": MAX_TEMPLATE_ROWS}
        )

    s = _styles()
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    wb.properties.title = f"{data_set.name} — {area.name}"
    wb.properties.creator = "antq"
    wb.properties.keywords = f"antq-template {data_set.code}"

    units = len({unit.pk for unit, _p in pairs})
    level = _LEVEL_VI.get(data_set.level, data_set.level)
    title_lines = [
        (f"Biểu nhập số liệu: {data_set.name}", s["title"]),
        (f"Mã biểu: {data_set.code}", s["subtitle"]),
        (f"Địa bàn: {area.name} ({area.code}) — {units} đơn vị báo cáo {level}", s["subtitle"]),
        (f"Kỳ báo cáo: {_period_span(periods)}", s["subtitle"]),
        (
            "Chỉ nhập vào cột “Giá trị” (và “Ghi chú” nếu cần); không sửa các cột khác. "
            "Xem trang “Hướng dẫn”.",
            s["note"],
        ),
    ]
    for n, (text, font) in enumerate(title_lines, start=1):
        cell = ws.cell(row=n, column=1)
        _put_text(cell, text)
        cell.font = font
    header_row = len(title_lines) + 2
    first = header_row + 1

    for col, (_name, header, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=header_row, column=col, value=header)
        cell.font, cell.fill, cell.border = s["header_font"], s["header_fill"], s["border"]
        cell.alignment = s["center"]
        ws.column_dimensions[cell.column_letter].width = width
    ws.row_dimensions[header_row].height = 30

    formats = {i.code: _number_format(i) for i in indicators}
    names = {
        i.code: f"{i.name} ({_UNIT_VI[i.unit]})" if i.unit in _UNIT_VI else i.name
        for i in indicators
    }
    value_col, comment_col = 6, 7
    unlocked = _unlocked()
    validation_rows: dict[tuple, list[int]] = {}
    row = first
    cal = data_set.calendar
    for unit, period in pairs:
        for indicator in indicators:
            if indicator.is_derived_for(period.end(cal)):
                continue  # counted from a registry: nothing to type
            texts = (indicator.code, names[indicator.code], unit.code, unit.name, period.code)
            for col, text in enumerate(texts, start=1):
                cell = ws.cell(row=row, column=col)
                _put_text(cell, text)
                cell.border = s["border"]
                cell.alignment = s["wrap"] if col in (2, 4) else s["top"]
                if col in (1, 3, 5):
                    cell.number_format = "@"
            value = ws.cell(row=row, column=value_col)
            value.number_format = formats[indicator.code]
            value.alignment = s["top"]
            comment = ws.cell(row=row, column=comment_col)
            comment.number_format = "@"
            comment.alignment = s["wrap"]
            for cell in (value, comment):
                cell.protection = unlocked
                cell.fill = s["entry_fill"]
                cell.border = s["border"]
            height = _height((names[indicator.code], 60), (unit.name, 28))
            if height:
                ws.row_dimensions[row].height = height
            key = (indicator.value_type, indicator.min_value, indicator.max_value)
            validation_rows.setdefault(key, []).append(row)
            row += 1
    last = row - 1

    for (value_type, low, high), rows in validation_rows.items():
        dv = _value_validation(DataValidation, value_type, low, high)
        dv.sqref = _runs(rows)
        ws.add_data_validation(dv)
    comments = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(COMMENT_MAX),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Ghi chú quá dài",
        error=f"Ghi chú dài tối đa {COMMENT_MAX} ký tự.",
    )
    comments.sqref = f"G{first}:G{last}"
    ws.add_data_validation(comments)

    ws.freeze_panes = ws.cell(row=first, column=1)
    ws.auto_filter.ref = f"A{header_row}:G{last}"
    _protect(ws)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    _help_sheet(wb.create_sheet(HELP_SHEET), s, data_set, first)
    return _save(wb)


def _unlocked():
    from openpyxl.styles import Protection

    return Protection(locked=False)


def _protect(ws) -> None:
    """Protect the sheet against accidental edits, without a password (not a security
    control: the importer checks every code again). Resizing columns, filtering and
    selecting stay allowed."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.sort = True


def _value_validation(DataValidation, value_type: str, low, high):
    kind = "whole" if value_type == ValueType.INTEGER else "decimal"
    low = low if low is not None else -VALUE_LIMIT
    high = high if high is not None else VALUE_LIMIT

    def num(d: Decimal) -> str:
        return format(d.normalize(), "f")

    what = "số nguyên" if kind == "whole" else "số"
    return DataValidation(
        type=kind,
        operator="between",
        formula1=num(Decimal(low)),
        formula2=num(Decimal(high)),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Giá trị không hợp lệ",
        error=f"Nhập một {what} từ {num(Decimal(low))} đến {num(Decimal(high))}.",
    )


def _help_sheet(ws, s, data_set: DataSet, first_row: int) -> None:
    rows = [
        ("Hướng dẫn nhập số liệu bằng tệp Excel", None),
        (f"Biểu: {data_set.name} (mã {data_set.code})", None),
        ("", None),
        ("Cột", "Ý nghĩa"),
        ("Mã chỉ tiêu", "Mã của chỉ tiêu trong danh mục. Không sửa."),
        ("Tên chỉ tiêu", "Tên đầy đủ của chỉ tiêu, để đọc; đơn vị tính ghi trong ngoặc nếu có."),
        ("Mã địa bàn", "Mã đơn vị hành chính theo danh mục của Nhà nước. Không sửa."),
        ("Tên địa bàn", "Tên đơn vị báo cáo, để đọc."),
        ("Kỳ", "Mã kỳ báo cáo: 2022 (năm), 2022S1 (6 tháng), 2022Q3 (quý), 202207 (tháng)."),
        (
            "Giá trị",
            "Số liệu của chỉ tiêu, cho địa bàn và kỳ trên dòng. Để trống nếu không báo cáo. "
            "Dấu phẩy là dấu thập phân (4,5); dấu chấm ngăn cách hàng nghìn (1.234).",
        ),
        ("Ghi chú", f"Giải thích nếu cần (tối đa {COMMENT_MAX} ký tự); cần có giá trị đi kèm."),
        ("", None),
        ("Lưu ý", None),
        (
            "1.",
            "Chỉ nhập vào hai cột Giá trị và Ghi chú. Không đổi mã chỉ tiêu, mã địa bàn, kỳ; "
            "không đổi tên trang “Số liệu” và dòng tiêu đề cột.",
        ),
        (
            "2.",
            "Trang tính được khóa (không đặt mật khẩu) chỉ để tránh sửa nhầm các cột mã; "
            "khi nhập, hệ thống kiểm tra lại toàn bộ số liệu.",
        ),
        (
            "3.",
            "Tệp được nhập theo nguyên tắc tất cả hoặc không: nếu có bất kỳ lỗi nào thì không "
            "số liệu nào được lưu. Mỗi lỗi được báo kèm ô, theo trang, cột và dòng, "
            f"ví dụ “{DATA_SHEET}!F{first_row}: …”. Sửa các ô đó rồi nhập lại cả tệp.",
        ),
        (
            "4.",
            "Giá trị đã có sẽ được thay bằng giá trị trong tệp; mọi thay đổi được ghi lại "
            "(ai, khi nào, từ giá trị nào). Dòng để trống giá trị không làm thay đổi số liệu đã có.",
        ),
        ("5.", "Lưu tệp ở định dạng Excel (.xlsx) trước khi nhập."),
    ]
    for n, (a, b) in enumerate(rows, start=1):
        ca = ws.cell(row=n, column=1)
        _put_text(ca, a)
        ca.alignment = s["top"]
        if b is not None:
            cb = ws.cell(row=n, column=2)
            _put_text(cb, b)
            cb.alignment = s["wrap"]
            height = _height((b, 90))
            if height:
                ws.row_dimensions[n].height = height
        if n == 1:
            ca.font = s["title"]
        elif a in ("Cột", "Lưu ý") or b == "Ý nghĩa":
            ca.font = s["total_font"]
            if b is not None:
                ws.cell(row=n, column=2).font = s["total_font"]
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 90
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _protect(ws)


# --- reading an uploaded template -------------------------------------------------------------


@dataclass
class _Line:
    """One filled row of the sheet: its value input and where each of its cells is."""

    item: ValueInput
    row: int
    cells: dict[str, str] = field(default_factory=dict)  # field -> "Số liệu!C9"
    period: Period | None = None


class _Problems:
    """Problems sorted by where they are in the sheet (row, then column)."""

    def __init__(self) -> None:
        self._items: list[tuple[int, int, str]] = []

    def add(self, row: int, col: int, message: str) -> None:
        self._items.append((row, col, message))

    def __bool__(self) -> bool:
        return bool(self._items)

    def messages(self) -> list[str]:
        return [m for _r, _c, m in sorted(self._items, key=lambda t: (t[0], t[1]))]


def _refuse(filename: str, message: str) -> ValueErrors:
    return ValueErrors([f"{filename}: {message}"])


def _find_header(ws, limit: int = HEADER_SEARCH_ROWS):
    """(row number, {field: column index}, missing fields) of the first row that names at
    least two of the required columns; None if there is none in the first ``limit`` rows."""
    wanted = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
    for number, cells in enumerate(ws.iter_rows(max_row=limit, values_only=True), start=1):
        found: dict[str, int] = {}
        for index, value in enumerate(cells):
            if value is None:
                continue
            name = wanted.get(_norm(value))
            if name is not None and name not in found:
                found[name] = index
        if sum(1 for r in REQUIRED if r in found) >= 2:
            return number, found, [r for r in REQUIRED if r not in found]
    return None


def _code_text(value: Any) -> str:
    """A code cell as text: numbers (a code retyped by hand) without a trailing '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return SPACES.sub(" ", str(value)).strip()


def _value_text(value: Any) -> str | None:
    """The value cell as the text values_save reads; None when the cell is empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # reported by values_save as not a number
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel keeps 15 significant digits; 0.1 + 0.2 is 0.3, not 0.30000000000000004.
        return format(Decimal(format(value, ".15g")), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    text = SPACES.sub("", str(value))
    if not text:
        return None
    if _VI_THOUSANDS.fullmatch(text):
        return text.replace(".", "")
    if _VI_THOUSANDS_DECIMAL.fullmatch(text):
        return text.replace(".", "").replace(",", ".")
    if _VI_DECIMAL.fullmatch(text):
        return text.replace(",", ".")
    return text


def _sheet_order(wb) -> list:
    """The data sheet first (by name, tolerant of case and Unicode form), then the others
    except the instructions."""
    data = _norm(DATA_SHEET)
    sheets = [ws for ws in wb.worksheets if _norm(ws.title) == data]
    return sheets + [ws for ws in wb.worksheets if _norm(ws.title) not in (data, _norm(HELP_SHEET))]


def _read(data: bytes, filename: str, progress=None) -> tuple[list[_Line], _Problems]:
    """The filled rows, and the problems of the rows left out; raises ValueErrors at once
    for a file that cannot be used at all."""
    from openpyxl.utils import get_column_letter

    _check_container(data, filename)
    wb = _load(data, filename, data_only=False)
    try:
        sheets = _sheet_order(wb)
        chosen = None
        for ws in sheets:
            found = _find_header(ws)
            if found is not None:
                chosen = (ws, *found)
                break
        if chosen is None:
            has_data_sheet = bool(sheets) and _norm(sheets[0].title) == _norm(DATA_SHEET)
            where = sheets[0].title if has_data_sheet else filename
            columns = ", ".join(HEADERS[r] for r in REQUIRED)
            if has_data_sheet:
                message = _(
                    "no header row (%(columns)s) in the first %(n)d rows; use the template downloaded from the system and do not delete its header row."
                ) % {"columns": columns, "n": HEADER_SEARCH_ROWS}
            else:
                message = _(
                    "there is no sheet “%(sheet)s” with the header row (%(columns)s); use the template downloaded from the system."
                ) % {"sheet": DATA_SHEET, "columns": columns}
            raise ValueErrors([f"{where}: {message}"])
        ws, header_row, columns, missing = chosen
        sheet = ws.title
        if missing:
            raise ValueErrors(
                [
                    f"{sheet}!A{header_row}: "
                    + _("the header row lacks the column(s) %(columns)s.")
                    % {"columns": ", ".join(f"“{HEADERS[m]}”" for m in missing)}
                ]
            )
        letters = {name: get_column_letter(index + 1) for name, index in columns.items()}
        lines, problems, formulas = _read_rows(ws, header_row, columns, letters, progress)
    finally:
        wb.close()
    if formulas:
        _resolve_formulas(data, filename, sheet, lines, formulas, letters, problems)
    return lines, problems


def _read_rows(
    ws, header_row: int, columns: dict[str, int], letters: dict[str, str], progress=None
):
    sheet = ws.title
    last_row = ws.max_row or 0  # from the sheet's dimension, when the file records it
    problems = _Problems()
    lines: list[_Line] = []
    formulas: dict[int, _Line] = {}  # row -> line whose value is a formula
    seen: dict[tuple[str, str, str], int] = {}
    col_no = {name: index + 1 for name, index in columns.items()}

    def at(name: str, row: int) -> str:
        return f"{sheet}!{letters[name]}{row}"

    for row, cells in enumerate(
        ws.iter_rows(min_row=header_row + 1, values_only=False), start=header_row + 1
    ):
        if progress is not None and row % 200 == 0:
            progress(row, max(last_row, row), "read")

        def get(name: str, cells=cells):
            index = columns.get(name)
            if index is None or index >= len(cells):
                return None, None
            cell = cells[index]
            return getattr(cell, "value", None), getattr(cell, "data_type", None)

        raw_value, value_type = get("value")
        raw_comment, _t = get("comment")
        comment = str(raw_comment).strip()[:COMMENT_MAX] if raw_comment is not None else ""
        is_formula = value_type == "f" or (isinstance(raw_value, str) and raw_value.startswith("="))
        value = None if is_formula else _value_text(raw_value)
        if value is None and not is_formula:
            if comment:
                problems.add(
                    row,
                    col_no["value"],
                    f"{at('value', row)}: "
                    + _(
                        "a comment without a value is not saved; enter the value or clear the comment."
                    ),
                )
            continue
        codes = {name: _code_text(get(name)[0]) for name in ("indicator", "area", "period")}
        broken = False
        for name in ("indicator", "area", "period"):
            if not codes[name]:
                broken = True
                problems.add(
                    row,
                    col_no[name],
                    f"{at(name, row)}: "
                    + _("the “%(column)s” cell is empty; the codes of a row must not be changed.")
                    % {"column": HEADERS[name]},
                )
        period = None
        if codes["period"]:
            try:
                period = parse_period(codes["period"])
            except PeriodError:
                broken = True
                problems.add(
                    row,
                    col_no["period"],
                    f"{at('period', row)}: "
                    + _("“%(period)s” is not a period (2022, 2022S1, 2022Q3, 202207)")
                    % {"period": codes["period"][:20]},
                )
        if isinstance(raw_value, dt.date | dt.time):
            broken = True
            problems.add(
                row,
                col_no["value"],
                f"{at('value', row)}: "
                + _("the cell holds a date or time, not a number; enter the value as a number."),
            )
        if broken:
            continue
        key = (codes["indicator"].upper(), codes["area"], period.code)
        if key in seen:
            problems.add(
                row,
                col_no["value"],
                f"{at('value', row)}: "
                + _("row %(row)d already has a value for this indicator, area and period.")
                % {"row": seen[key]},
            )
            continue
        seen[key] = row
        line = _Line(
            item=ValueInput(
                indicator=codes["indicator"],
                area=codes["area"],
                period=period.code,
                value=value or "",
                comment=comment,
                where=at("value", row),
            ),
            row=row,
            cells={name: at(name, row) for name in ("indicator", "area", "period", "value")},
            period=period,
        )
        lines.append(line)
        if is_formula:
            formulas[row] = line
    return lines, problems, formulas


def _resolve_formulas(data, filename, sheet, lines, formulas, letters, problems) -> None:
    """A formula in a value cell counts with the result Excel saved with it."""
    from openpyxl.utils import column_index_from_string

    wb = _load(data, filename, data_only=True)
    try:
        ws = wb[sheet]
        col = column_index_from_string(letters["value"])
        low, high = min(formulas), max(formulas)
        cached = {
            row: cells[0]
            for row, cells in enumerate(
                ws.iter_rows(min_row=low, max_row=high, min_col=col, max_col=col, values_only=True),
                start=low,
            )
        }
    finally:
        wb.close()
    for row, line in formulas.items():
        value = cached.get(row)
        text = None if isinstance(value, dt.date | dt.time) else _value_text(value)
        if text is None:
            problems.add(
                row,
                col,
                f"{line.item.where}: "
                + _(
                    "the formula has no saved result; open the file in Excel, save it and import it again (or enter the number)."
                ),
            )
            lines.remove(line)
        else:
            index = lines.index(line)
            lines[index] = replace(line, item=replace(line.item, value=text))


def read_workbook(data: bytes, filename: str) -> list[ValueInput]:
    """The values filled in an uploaded template, each located at its value cell.

    ``data`` must be an .xlsx by content (the name is only used in messages). The data sheet
    is "Số liệu" (or, failing that, the first other sheet with the header row); the header
    row is found by its column names within the first rows, so rows above it may be added or
    removed. Columns may be in any order; Mã chỉ tiêu, Mã địa bàn, Kỳ and Giá trị are
    required. Rows with an empty value are skipped (so an untouched template reads as []).

    Raises :class:`ValueErrors`, every problem prefixed by the file name or the cell, for:
    a file that is not an .xlsx (or is too large, or damaged); no data sheet or header row;
    missing columns; in a row with a value: an emptied code cell, a period that is not a
    period code, a date in the value cell, a repeated indicator/area/period, a formula
    without a saved result; a comment without a value. Numbers, ranges, indicators and areas
    are checked by values_save (or import_workbook).
    """
    lines, problems = _read(data, filename)
    if problems:
        raise ValueErrors(problems.messages())
    return [line.item for line in lines]


# --- import -----------------------------------------------------------------------------------


def _areas_on(codes: Iterable[str]) -> dict[str, list[Area]]:
    found: dict[str, list[Area]] = {}
    for area in Area.objects.filter(code__in=set(codes)).order_by("code", "valid_from"):
        found.setdefault(area.code, []).append(area)
    return found


def _area_on(candidates: list[Area], day: dt.date) -> Area | None:
    for area in candidates:
        if area.valid_from <= day and (area.valid_to is None or area.valid_to >= day):
            return area
    return None


def _col(cell: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(re.sub(r"\d+$", "", cell.rsplit("!", 1)[1]))


def import_workbook(
    data: bytes,
    filename: str,
    actor: Any,
    reason: str = "",
    *,
    data_set: DataSet | None = None,
    calendar: str = "gregorian",
    progress=None,
) -> dict[str, int]:
    """Read an uploaded template and save its values (source "imported"), all or nothing.

    Returns ``{"read", "created", "updated", "unchanged"}`` ("read": the rows with a value).
    Raises :class:`ValueErrors` with every problem (those of :func:`read_workbook`, of the
    codes and of the values together), sorted by row and column and prefixed by its cell;
    nothing is saved then. A file with no value filled in is refused. Unknown indicator and
    area codes are reported at their own cell, value problems (values_save's) at the value
    cell. When ``actor`` is given (not None), each area must be within the actor's
    scope for data entry (``selectors.out_of_scope``); None means a system import.

    With ``data_set`` (the form the template was made for), its calendar is used, and each
    row must be one of its indicators, periods of its type, a unit at its level, and not in
    a submitted or approved (locked) report. Without it, ``calendar`` dates the periods.
    Entry windows and cross-indicator rules are not checked here.

    ``progress(done, total, stage)``, when given, hears of the rows read (stage "read") and
    of the start of the save (stage "save").
    """
    lines, problems = _read(data, filename, progress)
    if not lines and not problems:
        raise _refuse(
            filename,
            _("no value is filled in; enter the values in the “%(column)s” column.")
            % {"column": HEADERS["value"]},
        )
    if data_set is not None:
        calendar = data_set.calendar
    bad: set[int] = set()

    def report(line: _Line, name: str, message: str) -> None:
        cell = line.cells[name]
        problems.add(line.row, _col(cell), f"{cell}: {message}")
        bad.add(id(line))

    indicators = {
        i.code: i
        for i in Indicator.objects.filter(code__in={ln.item.indicator.upper() for ln in lines})
    }
    allowed = set(data_set.indicators.values_list("code", flat=True)) if data_set else None
    areas = _areas_on(ln.item.area for ln in lines)
    located: dict[int, Area] = {}
    for line in lines:
        item, period = line.item, line.period
        code = item.indicator.upper()
        if code not in indicators:
            report(line, "indicator", _("unknown indicator “%(code)s”") % {"code": code[:64]})
        elif allowed is not None and code not in allowed:
            report(line, "indicator", _("%(code)s is not part of this form.") % {"code": code})
        elif indicators[code].is_derived_for(period.end(calendar)):
            report(
                line,
                "indicator",
                _(
                    "%(code)s is counted from the registry's records for %(period)s; "
                    "change the records, not the figure"
                )
                % {"code": code, "period": period.code},
            )
        if data_set is not None and period.type != data_set.period_type:
            report(
                line,
                "period",
                _("This form is reported by %(type)s, not by “%(period)s”.")
                % {"type": data_set.get_period_type_display().lower(), "period": period.code},
            )
            continue
        day = period.start(calendar)
        area = _area_on(areas.get(item.area, []), day)
        if area is None:
            report(
                line,
                "area",
                _("no area had the code “%(code)s” on %(date)s")
                % {"code": item.area[:20], "date": day.strftime("%d/%m/%Y")},
            )
        elif data_set is not None and area.level != data_set.level:
            report(
                line,
                "area",
                _("%(name)s (%(code)s) is not a reporting unit of this form (%(level)s).")
                % {
                    "name": area.name,
                    "code": area.code,
                    "level": str(dict(Level.choices).get(data_set.level, data_set.level)).lower(),
                },
            )
        else:
            located[id(line)] = area

    if data_set is not None:
        _check_locks(data_set, lines, located, report)

    if actor is not None:
        by_where = {}
        scoped = []
        for line in lines:
            if id(line) in located:
                probe = replace(line.item, where=line.cells["area"])
                by_where[probe.where] = line
                scoped.append(probe)
        for message in out_of_scope(actor, scoped, calendar):
            where = message.split(": ", 1)[0]
            line = by_where.get(where)
            if line is not None:
                problems.add(line.row, _col(where), message)
                bad.add(id(line))

    good = [line for line in lines if id(line) not in bad]
    rows = {line.item.where: line.row for line in good}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    if progress is not None:
        progress(len(lines), len(lines), "save")
    try:
        with transaction.atomic():
            counts = values_save(
                [line.item for line in good],
                actor=actor,
                source=ValueSource.IMPORTED,
                reason=reason,
                calendar=calendar,
            )
            if problems:
                raise ValueErrors([])  # undo the writes: some rows were refused above
    except ValueErrors as exc:
        for message in exc.problems:
            where = message.split(": ", 1)[0]
            problems.add(rows.get(where, 0), _col(where) if "!" in where else 0, message)
    if problems:
        raise ValueErrors(problems.messages())
    return {"read": len(lines), **counts}


def _check_locks(data_set: DataSet, lines: list[_Line], located: dict[int, Area], report) -> None:
    keys = {(located[id(ln)].pk, ln.period.code) for ln in lines if id(ln) in located}
    if not keys:
        return
    locked = set(
        Submission.objects.filter(
            data_set=data_set,
            status__in=("submitted", "approved"),
            area_id__in={a for a, _p in keys},
            period__in={p for _a, p in keys},
        ).values_list("area_id", "period")
    )
    for line in lines:
        area = located.get(id(line))
        if area is not None and (area.pk, line.period.code) in locked:
            report(
                line,
                "value",
                _(
                    "The report has been submitted or approved and is locked; it must be returned before it can be changed."
                ),
            )
            located.pop(id(line))


# --- analytics results ------------------------------------------------------------------------


def _label(period: str | None) -> str:
    if not period:
        return ""
    try:
        p = parse_period(period)
    except PeriodError:
        return period
    return p.label_en() if (get_language() or "vi").startswith("en") else p.label_vi()


def _totals(result: Result, indicators: dict[str, Indicator], by_time: bool, name_of):
    """(label, value or None) per indicator of the result, in the order of its rows."""
    sums: dict[str, Decimal] = {}
    for r in result.rows:
        sums[r.indicator] = sums.get(r.indicator, Decimal(0)) + r.value
    if not sums:
        return [(_("Total"), result.total)]
    single = len(sums) == 1
    out = []
    for code, value in sums.items():
        indicator = indicators.get(code)
        stock = indicator is not None and indicator.time_aggregation == TimeAggregation.LAST
        label = _("Total") if single else _("Total: %(indicator)s") % {"indicator": name_of(code)}
        if stock and by_time:
            out.append((label + " — " + _("a stock is not added up over periods"), None))
        else:
            out.append((label, result.total if single else value))
    return out


def _cell_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def results_workbook(
    result: Result,
    *,
    title: str,
    indicators: dict[str, Indicator],
    area_names: dict[str, str],
) -> bytes:
    """An .xlsx of an analytics result: a title, the table and its total.

    Columns: Indicator, then Area and Period when the result is grouped by them (when any
    row has one), then Value. Names come from ``indicators`` and ``area_names`` (codes when
    missing); periods are labelled in the current language. Values are numbers (integers
    where whole, "#,##0" or "#,##0.0###": Excel shows the separators of the reader's
    locale).

    Below the table, the totals, one row per indicator (units differ, so indicators are not
    added together): the sum of its rows, which for a single indicator is ``result.total``.
    A stock (time aggregation "last") grouped by period has no total, as its values at
    successive periods do not add up; its row says so.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    s = _styles()
    by_area = any(r.area is not None for r in result.rows)
    by_time = any(r.period is not None for r in result.rows)
    heads = [("indicator", _("Indicator"), 60)]
    if by_area:
        heads.append(("area", _("Area"), 30))
    if by_time:
        heads.append(("period", _("Period"), 16))
    heads.append(("value", _("Value"), 18))

    wb = Workbook()
    ws = wb.active
    ws.title = _("Result")[:31]
    wb.properties.title = title[:255]
    wb.properties.creator = "antq"
    _put_text(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = s["title"]
    stamp = timezone.localtime().strftime("%d/%m/%Y %H:%M")
    _put_text(ws.cell(row=2, column=1), _("Exported on %(when)s") % {"when": stamp})
    ws.cell(row=2, column=1).font = s["note"]
    header_row = 4
    for col, (_name, text, width) in enumerate(heads, start=1):
        cell = ws.cell(row=header_row, column=col)
        _put_text(cell, text)
        cell.font, cell.fill, cell.border = s["header_font"], s["header_fill"], s["border"]
        cell.alignment = s["center"]
        ws.column_dimensions[get_column_letter(col)].width = width

    def name_of(code: str) -> str:
        indicator = indicators.get(code)
        if indicator is None:
            return code
        unit = _UNIT_VI.get(indicator.unit)
        return f"{indicator.name} ({unit})" if unit else indicator.name

    row = header_row + 1
    for r in result.rows:
        texts = {
            "indicator": name_of(r.indicator),
            "area": area_names.get(r.area or "", r.area or ""),
            "period": _label(r.period),
        }
        for col, (name, _text, _width) in enumerate(heads, start=1):
            cell = ws.cell(row=row, column=col)
            cell.border = s["border"]
            if name == "value":
                cell.value = _cell_number(r.value)
                cell.number_format = "#,##0" if isinstance(cell.value, int) else "#,##0.0###"
                cell.alignment = s["number"]
            else:
                _put_text(cell, texts[name])
                cell.alignment = s["wrap"]
        height = _height(*((texts[n], w) for n, _t, w in heads if n != "value"))
        if height:
            ws.row_dimensions[row].height = height
        row += 1
    last = row - 1
    for label, value in _totals(result, indicators, by_time, name_of):
        _put_text(ws.cell(row=row, column=1), label)
        ws.cell(row=row, column=1).alignment = s["wrap"]
        if value is not None:
            cell = ws.cell(row=row, column=len(heads), value=_cell_number(value))
            cell.number_format = "#,##0" if isinstance(cell.value, int) else "#,##0.0###"
        for col in range(1, len(heads) + 1):
            cell = ws.cell(row=row, column=col)
            cell.font, cell.border = s["total_font"], s["total_border"]
        height = _height((label, heads[0][2]))
        if height:
            ws.row_dimensions[row].height = height
        row += 1
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if last > header_row:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(heads))}{last}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return _save(wb)
