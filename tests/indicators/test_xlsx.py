"""Excel entry templates and their import (all or nothing, errors by cell), and the Excel
download of an analytics result."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from antq.accounts.selectors import Action, user_can
from antq.areas.selectors import area_by_code, area_subtree
from antq.indicators import xlsx
from antq.indicators.engine import analytics
from antq.indicators.models import DataSet, DataValue, DataValueChange, Indicator, Submission
from antq.indicators.periods import parse_period, periods_between
from antq.indicators.services import ValueErrors, ValueInput, catalogue_install, values_save

pytestmark = pytest.mark.django_db

ON = dt.date(2022, 1, 1)
CODES = ["MEDIA_ITEMS", "TIPS_RECEIVED", "ASSETS_RECOVERED_VND"]
PERIODS = ["202201", "202202", "202203"]
CELL = re.compile(r"^Số liệu![A-G]\d+: ")


@pytest.fixture
def van_lang():
    return area_by_code("182", ON)  # Huyện Văn Lãng, 17 communes in 2022


@pytest.fixture
def data_set():
    catalogue_install()
    ds = DataSet.objects.create(
        code="thu-xlsx", name="Biểu thử nghiệm hằng tháng", period_type="month", level="commune"
    )
    ds.indicators.add(*Indicator.objects.filter(code__in=CODES))
    return ds


@pytest.fixture
def template(data_set, van_lang) -> bytes:
    return xlsx.template_workbook(data_set, van_lang, [parse_period(p) for p in PERIODS])


def header_row(ws) -> int:
    for row in ws.iter_rows(max_row=30):
        if row[0].value == "Mã chỉ tiêu":
            return row[0].row
    raise AssertionError("no header row")


def rows_by_key(ws) -> dict[tuple[str, str, str], int]:
    first = header_row(ws) + 1
    return {
        (r[0].value, r[2].value, r[4].value): r[0].row
        for r in ws.iter_rows(min_row=first)
        if r[0].value
    }


def edit(data: bytes, change) -> bytes:
    """Open the workbook with openpyxl as a user's Excel would, change it, save it."""
    wb = load_workbook(io.BytesIO(data))
    change(wb["Số liệu"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def fill(data: bytes, values: dict[tuple[str, str, str], object], column: str = "F") -> bytes:
    def change(ws):
        rows = rows_by_key(ws)
        for key, value in values.items():
            ws[f"{column}{rows[key]}"] = value

    return edit(data, change)


def refused(data: bytes, filename: str = "so-lieu.xlsx") -> list[str]:
    with pytest.raises(ValueErrors) as caught:
        xlsx.import_workbook(data, filename, actor=None)
    assert not DataValue.objects.exists()
    return caught.value.problems


def test_the_template_has_a_locked_header_and_one_row_per_commune_indicator_and_period(
    template, van_lang
):
    wb = load_workbook(io.BytesIO(template))
    assert wb.sheetnames == ["Số liệu", "Hướng dẫn"]
    ws = wb["Số liệu"]
    head = header_row(ws)
    assert [c.value for c in ws[head]] == [
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Mã địa bàn",
        "Tên địa bàn",
        "Kỳ",
        "Giá trị",
        "Ghi chú",
    ]
    assert all(c.protection.locked for c in ws[head])
    title = " ".join(str(ws.cell(row=r, column=1).value) for r in range(1, head))
    assert "Biểu thử nghiệm hằng tháng" in title and "Huyện Văn Lãng" in title
    assert "Tháng 1/2022" in title and "Tháng 3/2022" in title

    communes = area_subtree(van_lang, ON, level="commune")
    assert communes.count() == 17
    keys = rows_by_key(ws)
    assert len(keys) == ws.max_row - head == 17 * len(CODES) * len(PERIODS)
    assert {area for _i, area, _p in keys} == {c.code for c in communes}
    assert {ind for ind, _a, _p in keys} == set(CODES)
    assert {p for _i, _a, p in keys} == set(PERIODS)
    # codes stay text: "06124" keeps its leading zero
    assert all(isinstance(a, str) and len(a) == 5 for _i, a, _p in keys)

    assert ws.protection.sheet and not ws.protection.password
    assert ws.freeze_panes == f"A{head + 1}"
    for row in ws.iter_rows(min_row=head + 1):
        locked = {c.column_letter: c.protection.locked for c in row}
        assert locked == {"A": True, "B": True, "C": True, "D": True, "E": True} | {
            "F": False,
            "G": False,
        }
    value = ws.cell(row=head + 1, column=6)
    assert value.number_format == "#,##0"
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width

    guide = " ".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value)
    for words in ("Mã chỉ tiêu", "Không sửa", "tất cả hoặc không", "Số liệu!F", "mật khẩu"):
        assert words in guide
    assert wb["Hướng dẫn"].protection.sheet


def test_an_untouched_template_reads_as_no_values_and_importing_it_is_refused(template):
    assert xlsx.read_workbook(template, "mau.xlsx") == []
    (problem,) = refused(template, "mau.xlsx")
    assert problem.startswith("mau.xlsx: ")


def test_filled_values_are_imported_exactly(template, van_lang):
    filled = fill(
        template,
        {
            ("MEDIA_ITEMS", "06124", "202201"): 5,
            ("TIPS_RECEIVED", "06124", "202202"): "1.234",  # Vietnamese thousands
            ("ASSETS_RECOVERED_VND", "06157", "202203"): 2500000,
            ("MEDIA_ITEMS", "06157", "202203"): " 7 ",
        },
    )
    filled = fill(filled, {("MEDIA_ITEMS", "06124", "202201"): "ghi chú thử"}, column="G")
    counts = xlsx.import_workbook(filled, "so-lieu.xlsx", actor=None, reason="nhập từ Excel")
    assert counts == {"read": 4, "created": 4, "updated": 0, "unchanged": 0}
    saved = {
        (v.indicator.code, v.area.code, v.period): v
        for v in DataValue.objects.select_related("indicator", "area")
    }
    assert {k: v.value for k, v in saved.items()} == {
        ("MEDIA_ITEMS", "06124", "202201"): 5,
        ("TIPS_RECEIVED", "06124", "202202"): 1234,
        ("ASSETS_RECOVERED_VND", "06157", "202203"): 2500000,
        ("MEDIA_ITEMS", "06157", "202203"): 7,
    }
    first = saved[("MEDIA_ITEMS", "06124", "202201")]
    assert first.source == "imported" and first.comment == "ghi chú thử"
    assert first.area.name == "Thị trấn Na Sầm"
    assert set(DataValueChange.objects.values_list("reason", flat=True)) == {"nhập từ Excel"}

    # importing the file again with one value changed replaces just that value
    again = fill(filled, {("MEDIA_ITEMS", "06157", "202203"): 8})
    counts = xlsx.import_workbook(again, "so-lieu.xlsx", actor=None)
    assert counts == {"read": 4, "created": 0, "updated": 1, "unchanged": 3}
    assert (
        DataValue.objects.get(
            area__code="06157", period="202203", indicator__code="MEDIA_ITEMS"
        ).value
        == 8
    )


def test_vietnamese_number_text_is_read_as_documented(data_set, van_lang):
    decimal = Indicator.objects.create(code="RATE_TEST", name="Tỷ lệ thử", value_type="decimal")
    data_set.indicators.add(decimal)
    data = xlsx.template_workbook(data_set, van_lang, [parse_period("202201")])
    cases = {
        "4,5": "4.5",
        "1.234": "1234",
        "1.234.567": "1234567",
        "1.234,5": "1234.5",
        "1.5": "1.5",
        "1 234": "1234",
        "-3": "-3",
    }
    communes = sorted(area_subtree(van_lang, ON, level="commune").values_list("code", flat=True))
    values = {
        ("RATE_TEST", code, "202201"): text for code, text in zip(communes, cases, strict=False)
    }
    values[("RATE_TEST", communes[-1], "202201")] = 0.1 + 0.2  # a float from a formula
    items = xlsx.read_workbook(fill(data, values), "so-lieu.xlsx")
    read = {i.area: i.value for i in items}
    for code, text in zip(communes, cases, strict=False):
        assert read[code] == cases[text], text
    assert read[communes[-1]] == "0.3"
    assert all(CELL.match(i.where + ": ") and i.where.startswith("Số liệu!F") for i in items)


@pytest.mark.parametrize(
    ("column", "bad", "expected"),
    [
        ("F", "mười", "“mười” is not a number"),
        ("C", "99999", "no area had the code “99999” on 01/01/2022"),
        ("E", "2022-01", "“2022-01” is not a period"),
        ("E", "202213", "“202213” is not a period"),
        ("A", "NO_SUCH_INDICATOR", "unknown indicator “NO_SUCH_INDICATOR”"),
    ],
)
def test_a_bad_cell_is_reported_at_that_cell_and_nothing_is_saved(template, column, bad, expected):
    key = ("MEDIA_ITEMS", "06124", "202201")

    def change(ws):
        rows = rows_by_key(ws)
        for other in [("TIPS_RECEIVED", "06124", "202201"), key]:
            ws[f"F{rows[other]}"] = 3
        ws[f"{column}{rows[key]}"] = bad

    data = edit(template, change)
    row = rows_by_key(load_workbook(io.BytesIO(template))["Số liệu"])[key]
    with translation.override("en"):
        problems = refused(data)
    assert len(problems) == 1 and problems[0].startswith(f"Số liệu!{column}{row}: {expected}")
    with translation.override("vi"):
        (problem,) = refused(data)
    assert problem.startswith(f"Số liệu!{column}{row}: ")


def test_every_problem_is_reported_at_once_in_sheet_order(template):
    keys = [
        ("MEDIA_ITEMS", "06124", "202201"),
        ("MEDIA_ITEMS", "06124", "202202"),
        ("MEDIA_ITEMS", "06124", "202203"),
        ("TIPS_RECEIVED", "06157", "202201"),
    ]

    def change(ws):
        rows = rows_by_key(ws)
        for key in keys:
            ws[f"F{rows[key]}"] = 1
        ws[f"F{rows[keys[3]]}"] = "mười"
        ws[f"C{rows[keys[2]]}"] = "00000"
        ws[f"E{rows[keys[1]]}"] = "2022/02"
        ws[f"A{rows[keys[0]]}"] = None  # a code cell emptied

    problems = refused(edit(template, change))
    assert len(problems) == 4
    assert all(CELL.match(p) for p in problems)
    cells = [p.split(":", 1)[0] for p in problems]
    rows = [int(re.sub(r"\D", "", c)) for c in cells]
    assert rows == sorted(rows)
    assert [c[len("Số liệu!")] for c in cells] == ["A", "E", "C", "F"]


def test_rows_above_the_header_may_be_added_or_removed(template):
    filled = fill(template, {("MEDIA_ITEMS", "06124", "202201"): 4})

    def shift(ws):
        ws.insert_rows(1, amount=3)
        ws["A1"] = "UBND huyện Văn Lãng"

    items = xlsx.read_workbook(edit(filled, shift), "x.xlsx")
    assert [(i.indicator, i.area, i.period, i.value) for i in items] == [
        ("MEDIA_ITEMS", "06124", "202201", "4")
    ]
    row = rows_by_key(load_workbook(io.BytesIO(template))["Số liệu"])[
        ("MEDIA_ITEMS", "06124", "202201")
    ]
    assert items[0].where == f"Số liệu!F{row + 3}"


def test_a_comment_without_a_value_and_a_repeated_row_are_reported(template):
    def change(ws):
        rows = rows_by_key(ws)
        first = rows[("MEDIA_ITEMS", "06124", "202201")]
        ws[f"G{first}"] = "không có số liệu"
        last = ws.max_row
        for col in "ABCDE":
            ws[f"{col}{last + 1}"] = ws[f"{col}{rows[('MEDIA_ITEMS', '06124', '202202')]}"].value
        ws[f"F{rows[('MEDIA_ITEMS', '06124', '202202')]}"] = 1
        ws[f"F{last + 1}"] = 2

    with translation.override("en"):
        problems = refused(edit(template, change))
    assert len(problems) == 2
    assert "a comment without a value" in problems[0]
    assert "already has a value for this indicator, area and period" in problems[1]


def test_files_that_are_not_xlsx_templates_are_refused_with_a_clear_message(template):
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"
    noise = os.urandom(4096)
    with translation.override("en"):
        assert refused(pdf, "bao-cao.xlsx") == [
            "bao-cao.xlsx: this is a PDF file, not an Excel workbook (.xlsx)."
        ]
        (message,) = refused(noise, "x.xlsx")
        assert message.startswith("x.xlsx: the file is not an Excel workbook (.xlsx)")
        (message,) = refused(b"", "x.xlsx")
        assert "empty" in message
        (message,) = refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + noise, "old.xls")
        assert "Excel 97-2003" in message
        # a zip that is not a workbook (a .docx, say)
        buf = io.BytesIO()
        import zipfile

        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", "<w:document/>")
        (message,) = refused(buf.getvalue(), "van-ban.xlsx")
        assert "not an Excel workbook" in message

        filled = fill(template, {("MEDIA_ITEMS", "06124", "202201"): 4})

        def no_header(ws):
            ws.delete_rows(header_row(ws))

        (message,) = refused(edit(filled, no_header))
        assert message.startswith("Số liệu: no header row (Mã chỉ tiêu, Mã địa bàn, Kỳ, Giá trị)")

        def no_period_column(ws):
            ws.cell(row=header_row(ws), column=5).value = "Thời gian"

        (message,) = refused(edit(filled, no_period_column))
        assert re.match(r"^Số liệu!A\d+: the header row lacks the column\(s\) “Kỳ”", message)

        other = Workbook()
        other.active.title = "Sheet1"
        other.active["A1"] = "hello"
        buf = io.BytesIO()
        other.save(buf)
        (message,) = refused(buf.getvalue(), "khac.xlsx")
        assert message.startswith("khac.xlsx: there is no sheet “Số liệu”")


def test_a_formula_counts_with_its_saved_result_and_is_refused_without_one(template):
    data = fill(template, {("MEDIA_ITEMS", "06124", "202201"): "=2+3"})
    # openpyxl saves no result with the formula, as a file never opened in Excel
    with translation.override("en"):
        (message,) = refused(data)
    assert CELL.match(message) and "formula has no saved result" in message


def test_an_actor_imports_only_within_their_scope(template, people):
    communes = area_subtree(area_by_code("182", ON), ON, level="commune").order_by("code")
    inside = [c for c in communes if user_can(people.official, Action.ENTER, area=c, on=ON)]
    outside = [c for c in communes if c not in inside]
    assert inside and outside
    ok = fill(template, {("MEDIA_ITEMS", inside[0].code, "202201"): 2})
    assert xlsx.import_workbook(ok, "a.xlsx", actor=people.official)["created"] == 1
    DataValue.objects.all().delete()
    bad = fill(ok, {("MEDIA_ITEMS", outside[0].code, "202201"): 3})
    with pytest.raises(ValueErrors) as caught:
        xlsx.import_workbook(bad, "a.xlsx", actor=people.official)
    (problem,) = caught.value.problems
    assert re.match(r"^Số liệu!C\d+: ", problem) and outside[0].code in problem
    assert not DataValue.objects.exists()


def test_with_its_data_set_the_form_and_its_locks_are_checked(template, data_set, van_lang):
    other = Indicator.objects.get(code="LAUNCH_EVENTS")
    district_row = ("MEDIA_ITEMS", "06124", "202201")

    def change(ws):
        rows = rows_by_key(ws)
        ws[f"F{rows[district_row]}"] = 1
        row = rows[("MEDIA_ITEMS", "06124", "202202")]
        ws[f"A{row}"], ws[f"F{row}"] = other.code, 2
        row = rows[("MEDIA_ITEMS", "06157", "202201")]
        ws[f"C{row}"], ws[f"F{row}"] = "182", 3  # the district itself
        row = rows[("MEDIA_ITEMS", "06157", "202202")]
        ws[f"E{row}"], ws[f"F{row}"] = "2022Q1", 4

    Submission.objects.create(
        data_set=data_set, area=area_by_code("06124", ON), period="202201", status="approved"
    )
    with translation.override("en"):
        with pytest.raises(ValueErrors) as caught:
            xlsx.import_workbook(edit(template, change), "f.xlsx", actor=None, data_set=data_set)
    problems = caught.value.problems
    assert len(problems) == 4 and all(CELL.match(p) for p in problems)
    text = "\n".join(problems)
    assert "locked" in text
    assert "LAUNCH_EVENTS is not part of this form" in text
    assert "is not a reporting unit of this form" in text
    assert "not by “2022Q1”" in text
    assert not DataValue.objects.exists()


def test_the_template_refuses_periods_of_another_type(data_set, van_lang):
    with pytest.raises(ValueError):
        xlsx.template_workbook(data_set, van_lang, [parse_period("2022Q1")])
    with pytest.raises(ValueError):
        xlsx.template_workbook(data_set, van_lang, [])


def test_a_template_across_the_2025_reform_lists_each_period_s_own_units(data_set):
    province = area_by_code("20", dt.date(2025, 6, 1))  # Lạng Sơn, on both maps
    periods = periods_between("202506", "202507", "month")
    data = xlsx.template_workbook(data_set, province, periods)
    keys = rows_by_key(load_workbook(io.BytesIO(data))["Số liệu"])
    june = {a for _i, a, p in keys if p == "202506"}
    july = {a for _i, a, p in keys if p == "202507"}
    assert june == set(
        area_subtree(province, dt.date(2025, 6, 1), level="commune").values_list("code", flat=True)
    )
    assert july == set(
        area_subtree(province, dt.date(2025, 7, 1), level="commune").values_list("code", flat=True)
    )
    assert len(july) < len(june)


def test_the_results_workbook_holds_the_numbers(template, van_lang):
    values = {
        ("MEDIA_ITEMS", "06124", "202201"): 5,
        ("MEDIA_ITEMS", "06124", "202202"): 1200,
        ("MEDIA_ITEMS", "06157", "202203"): 7,
        ("ASSETS_RECOVERED_VND", "06157", "202203"): 2500000,
    }
    xlsx.import_workbook(fill(template, values), "s.xlsx", actor=None)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=CODES)}
    result = analytics(
        indicators=list(indicators.values()),
        area=van_lang,
        start=parse_period("202201"),
        end=parse_period("202203"),
        on=ON,
        by_area=True,
        by_time="quarter",
    )
    names = dict(area_subtree(van_lang, ON).values_list("code", "name"))
    with translation.override("en"):
        data = xlsx.results_workbook(
            result, title="Số liệu Văn Lãng quý I/2022", indicators=indicators, area_names=names
        )
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Số liệu Văn Lãng quý I/2022"
    head = next(n for n, r in enumerate(rows) if r[0] == "Indicator")
    assert rows[head] == ("Indicator", "Area", "Period", "Value")
    body, totals = rows[head + 1 : -2], rows[-2:]
    assert len(body) == len(result.rows) == 3
    table = {(r[0], r[1], r[2]): r[3] for r in body}
    media, assets = indicators["MEDIA_ITEMS"].name, "Giá trị tài sản thu hồi (đồng)"
    assert table == {
        (media, "Thị trấn Na Sầm", "Q1 2022"): 1205,
        (media, names["06157"], "Q1 2022"): 7,
        (assets, names["06157"], "Q1 2022"): 2500000,
    }
    assert all(isinstance(r[3], int) for r in body)
    # one total per indicator: counts and đồng are not added together
    assert {(r[0], r[3]) for r in totals} == {
        (f"Total: {media}", 1212),
        (f"Total: {assets}", 2500000),
    }
    cell = ws.cell(row=head + 2, column=4)
    assert cell.data_type == "n" and cell.number_format == "#,##0"

    # grouped by nothing: only the indicator and the value
    total = analytics(
        indicators=[indicators["MEDIA_ITEMS"]],
        area=van_lang,
        start=parse_period("202201"),
        end=parse_period("202203"),
        on=ON,
    )
    with translation.override("en"):
        data = xlsx.results_workbook(total, title="t", indicators=indicators, area_names={})
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    head = next(n for n, r in enumerate(rows) if r[0] == "Indicator")
    assert rows[head][:2] == ("Indicator", "Value")
    assert rows[head + 1][:2] == (media, 1212)
    assert rows[head + 2][:2] == ("Total", total.total) == ("Total", 1212)


def test_a_stock_grouped_by_period_gets_no_total_in_the_results_workbook(data_set, van_lang):
    stock = Indicator.objects.get(code="SM_MODELS_ACTIVE")
    values_save(
        [ValueInput("SM_MODELS_ACTIVE", "06124", p, 3) for p in ("202201", "202202")],
        actor=None,
    )
    result = analytics(
        indicators=[stock],
        area=van_lang,
        start=parse_period("202201"),
        end=parse_period("202202"),
        on=ON,
        by_time="month",
    )
    with translation.override("en"):
        data = xlsx.results_workbook(
            result, title="t", indicators={stock.code: stock}, area_names={}
        )
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert [r[2] for r in rows[-3:-1]] == [3, 3]
    assert rows[-1][0].startswith("Total") and "stock" in rows[-1][0] and rows[-1][2] is None


def test_decimal_values_stay_exact_in_the_results_workbook(data_set, van_lang):
    rate = Indicator.objects.create(code="RATE_TEST", name="Tỷ lệ", value_type="decimal")
    values_save(
        [ValueInput("RATE_TEST", "06124", "202201", "4.25")],
        actor=None,
    )
    result = analytics(
        indicators=[rate],
        area=van_lang,
        start=parse_period("202201"),
        end=parse_period("202201"),
        on=ON,
    )
    data = xlsx.results_workbook(result, title="t", indicators={"RATE_TEST": rate}, area_names={})
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert Decimal(str(rows[-2][1])) == Decimal("4.25")
