"""The reminder letter (công văn đôn đốc) on a plan's overdue tasks: written from the judged
assignments (rows, deadlines, days overdue, last reports), in the Party's layout for a Party
issuer and the State's otherwise, as a công văn (the "V/v" under the number, "Kính gửi"); to
one body or all; refused when nothing is overdue; offered on the plan's page only to those who
may manage the issuer; written from the shell."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from docx.enum.text import WD_ALIGN_PARAGRAPH

from antq.accounts.models import Body, BodyKind, Role, User
from antq.accounts.services import body_save, membership_grant, user_create
from antq.directives.models import Assignment, Document, DocumentKind, Recurrence, Task
from antq.directives.selectors import judge_assignments
from antq.directives.services import (
    document_create,
    plan_send,
    progress_report_create,
    task_create,
)
from antq.directives.status import Status
from antq.reports.reminders import reminder_letter
from antq.reports.results import ReportError
from antq.reports.writers import write
from tests.conftest import BEFORE, PASSWORD, area

pytestmark = pytest.mark.django_db
D = dt.date
ON = D(2019, 7, 15)  # six weeks after the first deadline (31/05/2019)


@dataclass
class Plans:
    party: Document  # 100-KH/TU of Tỉnh ủy Lạng Sơn
    state: Document  # 50/KH-UBND of Ủy ban nhân dân tỉnh Lạng Sơn
    build: Task  # of 100-KH/TU, due 31/05/2019
    tinh_uy: Body
    tuyen_giao: Body  # did its share on time
    police_committee: Body  # reported progress, never completion
    van_lang: Body  # never reported; ended with the district level on 30/06/2025
    ubnd: Body
    police: Body  # did the State plan's task
    justice: Body  # did not
    manager: User  # manager, Tỉnh ủy
    viewer: User  # viewer, Tỉnh ủy: sees the plan, manages nothing
    elsewhere: User  # manager, Tỉnh ủy Cao Bằng: does not see Lạng Sơn's plan


@pytest.fixture
def plans(db) -> Plans:
    lang_son = area("20", BEFORE)
    tinh_uy = body_save(
        code="t-tu", name="Tỉnh ủy Lạng Sơn", kind=BodyKind.PARTY_COMMITTEE, area=lang_son
    )
    tuyen_giao = body_save(
        code="t-btg",
        name="Ban Tuyên giáo Tỉnh ủy Lạng Sơn",
        kind=BodyKind.PARTY_BOARD,
        area=lang_son,
        parent=tinh_uy,
    )
    police_committee = body_save(
        code="t-duca",
        name="Đảng ủy Công an tỉnh Lạng Sơn",
        kind=BodyKind.PARTY_COMMITTEE,
        area=lang_son,
        parent=tinh_uy,
    )
    van_lang = body_save(
        code="t-hu-vl",
        name="Huyện ủy Văn Lãng",
        kind=BodyKind.PARTY_COMMITTEE,
        area=area("182", BEFORE),
        parent=tinh_uy,
        valid_to=D(2025, 6, 30),
    )
    party = document_create(
        actor=None,
        kind=DocumentKind.PLAN,
        symbol="100-KH/TU",
        issuer=tinh_uy,
        issued_on=D(2019, 3, 22),
        term="XVI",
        subject="Về tiếp tục thực hiện Chỉ thị số 09-CT/TW của Ban Bí thư khóa XI",
    )
    build = task_create(
        plan=party,
        actor=None,
        lead_body=tinh_uy,  # the issuer's own share: never urged by its own letter
        for_all_recipients=True,
        due_on=D(2019, 5, 31),
        title="Xây dựng kế hoạch thực hiện",
    )
    yearly = task_create(
        plan=party,
        actor=None,
        lead_body=tinh_uy,
        for_all_recipients=True,
        recurrence=Recurrence.YEARLY,
        title="Báo cáo kết quả hằng năm",
    )
    task_create(
        plan=party,
        actor=None,
        lead_body=tinh_uy,
        for_all_recipients=True,
        recurrence=Recurrence.REGULAR,
        title="Theo dõi, đôn đốc thường xuyên",
    )
    plan_send(
        plan=party,
        bodies=[tuyen_giao, police_committee, van_lang],
        sent_on=D(2019, 3, 22),
        actor=None,
    )

    def report(task, body, day, completed=True):
        progress_report_create(
            assignment=task.assignments.get(body=body),
            text="Đã thực hiện" if completed else "Đang xây dựng dự thảo",
            completed=completed,
            reported_on=day,
            actor=None,
        )

    report(build, tuyen_giao, D(2019, 5, 20))
    report(build, police_committee, D(2019, 5, 25), completed=False)
    for year in range(2019, 2025):
        report(yearly, tuyen_giao, D(year, 12, 10))

    ubnd = body_save(
        code="t-ubnd",
        name="Ủy ban nhân dân tỉnh Lạng Sơn",
        kind=BodyKind.PEOPLES_COMMITTEE,
        area=lang_son,
    )
    police = body_save(
        code="t-ca", name="Công an tỉnh Lạng Sơn", kind=BodyKind.POLICE, area=lang_son
    )
    justice = body_save(
        code="t-stp", name="Sở Tư pháp tỉnh Lạng Sơn", kind=BodyKind.OTHER, area=lang_son
    )
    state = document_create(
        actor=None,
        kind=DocumentKind.PLAN,
        symbol="50/KH-UBND",
        issuer=ubnd,
        issued_on=D(2024, 1, 10),
        subject="Tuyên truyền, phổ biến pháp luật về an ninh, trật tự năm 2024",
    )
    disseminate = task_create(
        plan=state,
        actor=None,
        lead_body=ubnd,
        for_all_recipients=True,
        due_on=D(2024, 6, 30),
        title="Tổ chức hội nghị phổ biến pháp luật",
    )
    plan_send(plan=state, bodies=[police, justice], sent_on=D(2024, 1, 10), actor=None)
    report(disseminate, police, D(2024, 6, 20))
    report(disseminate, ubnd, D(2024, 6, 28))

    def person(username: str, body: Body, role: str) -> User:
        user = user_create(username=username, password=PASSWORD, full_name=username.title())
        membership_grant(user=user, body=body, role=role, valid_from=D(2019, 1, 1))
        return user

    cao_bang = body_save(
        code="t-tu-cb", name="Tỉnh ủy Cao Bằng", kind=BodyKind.PARTY_COMMITTEE, area=area("04")
    )
    return Plans(
        party=party,
        state=state,
        build=build,
        tinh_uy=tinh_uy,
        tuyen_giao=tuyen_giao,
        police_committee=police_committee,
        van_lang=van_lang,
        ubnd=ubnd,
        police=police,
        justice=justice,
        manager=person("tinhuy", tinh_uy, Role.MANAGER),
        viewer=person("xem", tinh_uy, Role.VIEWER),
        elsewhere=person("caobang", cao_bang, Role.MANAGER),
    )


def _texts(letter) -> str:
    return " ".join(getattr(b, "text", "") for b in letter.blocks)


def _read_docx(letter):
    from docx import Document as read_docx

    return read_docx(io.BytesIO(write(letter, "docx")))


def test_the_rows_are_the_overdue_assignments_as_judged(plans):
    letter = reminder_letter(plans.party, on=ON)
    assignments = list(Assignment.objects.filter(task__plan=plans.party))
    judged = [
        v
        for v in judge_assignments(assignments, ON)
        if v.status == Status.OVERDUE and v.assignment.body != plans.tinh_uy
    ]
    [table] = letter.annex
    assert len(table.rows) == len(judged) == 2
    assert {(row[1], row[2]) for row in table.rows} == {
        (v.assignment.task.title, v.assignment.body.name) for v in judged
    }
    assert table.columns == [
        "TT",
        "Nhiệm vụ",
        "Đơn vị chủ trì",
        "Thời hạn",
        "Số ngày quá hạn",
        "Báo cáo gần nhất",
    ]
    # Vietnamese order (Đ after H would be wrong: đ comes right after d)
    assert table.rows == [
        [
            "1",
            "Xây dựng kế hoạch thực hiện",
            "Đảng ủy Công an tỉnh Lạng Sơn",
            "31/05/2019",
            "45",  # 31/05 → 15/07/2019
            "25/05/2019 (đang thực hiện)",
        ],
        [
            "2",
            "Xây dựng kế hoạch thực hiện",
            "Huyện ủy Văn Lãng",
            "31/05/2019",
            "45",
            "Chưa báo cáo",
        ],
    ]
    assert letter.addressees == ["Đảng ủy Công an tỉnh Lạng Sơn", "Huyện ủy Văn Lãng"]
    text = _texts(letter)
    assert text.startswith(
        "Thực hiện Kế hoạch số 100-KH/TU, ngày 22/03/2019 của Tỉnh ủy Lạng Sơn (khóa XVI) về tiếp "
        "tục thực hiện Chỉ thị số 09-CT/TW"
    )
    assert (
        "Đến ngày 15/07/2019, các nhiệm vụ sau đã quá thời hạn nhưng chưa có báo cáo hoàn thành"
        in text
    )
    assert "(2 lượt giao của 2 cơ quan, đơn vị):" in text
    assert "Đề nghị các cơ quan, đơn vị nêu trên khẩn trương thực hiện" in text
    assert "trước ngày 22/07/2019" in text  # a week after the letter by default


def test_a_yearly_task_counts_from_the_end_of_the_year_missed_and_ended_bodies_get_no_letter(
    plans,
):
    on = D(2026, 3, 1)
    letter = reminder_letter(plans.party, on=on, reply_by=D(2026, 3, 20))
    rows = {(row[2], row[1]): row for row in letter.annex[0].rows}
    assert set(rows) == {
        ("Ban Tuyên giáo Tỉnh ủy Lạng Sơn", "Báo cáo kết quả hằng năm"),  # 2025 not reported
        ("Đảng ủy Công an tỉnh Lạng Sơn", "Báo cáo kết quả hằng năm"),
        ("Đảng ủy Công an tỉnh Lạng Sơn", "Xây dựng kế hoạch thực hiện"),
    }
    yearly = rows[("Ban Tuyên giáo Tỉnh ủy Lạng Sơn", "Báo cáo kết quả hằng năm")]
    assert yearly[3:] == ["31/12/2025", "60", "10/12/2024"]
    late = rows[("Đảng ủy Công an tỉnh Lạng Sơn", "Xây dựng kế hoạch thực hiện")]
    assert (on - D(2019, 5, 31)).days == 2466 and late[4] == "2.466"  # dots group thousands
    assert "Huyện ủy Văn Lãng" not in letter.addressees  # the district level ended in 2025
    assert "trước ngày 20/03/2026" in _texts(letter)


def test_a_party_issuer_writes_in_the_partys_layout_as_a_cong_van(plans):
    letter = reminder_letter(plans.party, on=ON)
    head = letter.letterhead
    assert (head.layout, head.superior, head.issuer) == (
        "party",
        "ĐẢNG BỘ TỈNH LẠNG SƠN",
        "TỈNH ỦY",  # 36-HD/VPTW: the committee without the place named above it
    )
    assert head.number_symbol == "Số\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-CV/TU"
    assert head.place_date == "Lạng Sơn, ngày 15 tháng 7 năm 2019"
    assert (letter.kind_title, letter.subject) == ("", "V/v đôn đốc thực hiện nhiệm vụ quá hạn")
    assert (letter.signature.on_behalf, letter.signature.position) == (
        "T/L BAN THƯỜNG VỤ",
        "CHÁNH VĂN PHÒNG",
    )
    assert letter.recipients == ["Như trên;", "Lưu Văn phòng Tỉnh ủy Lạng Sơn."]

    doc = _read_docx(letter)
    left, right = doc.tables[0].rows[0].cells
    lines = [p.text for p in left.paragraphs]
    assert lines == [
        "ĐẢNG BỘ TỈNH LẠNG SƠN",
        head.issuer,
        "*",
        head.number_symbol,
        "V/v đôn đốc thực hiện nhiệm vụ quá hạn",  # under the number, not a centred title
    ]
    summary = left.paragraphs[-1]
    assert summary.alignment == WD_ALIGN_PARAGRAPH.CENTER and summary.runs[0].font.size.pt == 12
    assert [p.text for p in right.paragraphs if p.text] == [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Lạng Sơn, ngày 15 tháng 7 năm 2019",
    ]
    texts = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" not in texts and "-----" not in texts
    label, names = doc.tables[1].rows[0].cells  # "Kính gửi:" beside the list of addressees
    assert label.text == "Kính gửi:"
    assert [p.text for p in names.paragraphs] == [
        "- Đảng ủy Công an tỉnh Lạng Sơn;",
        "- Huyện ủy Văn Lãng.",
    ]
    body = next(p for p in doc.paragraphs if p.text.startswith("Thực hiện Kế hoạch"))
    assert body.runs[0].font.size.pt == 14
    cells = [c for t in doc.tables for row in t.rows for c in row.cells]
    paragraphs = doc.paragraphs + [p for c in cells for p in c.paragraphs]
    assert {r.font.name for p in paragraphs for r in p.runs if r.text} == {"Times New Roman"}
    table = doc.tables[2]
    assert [c.text for c in table.rows[0].cells][4] == "Số ngày quá hạn"
    assert len(table.rows) == 1 + 2
    assert [c.text for c in table.rows[2].cells] == letter.annex[0].rows[1]
    closing = doc.tables[-1].rows[0].cells
    assert [p.text for p in closing[0].paragraphs] == [
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu Văn phòng Tỉnh ủy Lạng Sơn.",
    ]
    assert [p.text for p in closing[1].paragraphs][:2] == ["T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"]


def test_a_state_bodys_plan_gets_the_states_layout(plans):
    letter = reminder_letter(plans.state, on=D(2024, 8, 1))
    head = letter.letterhead
    assert (head.layout, head.issuer) == ("state", "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN")
    assert head.number_symbol == "Số:\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/UBND"
    assert (letter.signature.on_behalf, letter.signature.position) == (
        "T/M ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
        "THỦ TRƯỞNG",
    )
    assert letter.recipients == ["Như trên;", "Lưu: VT."]
    # Công an tỉnh reported on time and the issuer's own share is not urged: one row left
    assert letter.addressees == ["Sở Tư pháp tỉnh Lạng Sơn"]
    assert letter.annex[0].rows == [
        [
            "1",
            "Tổ chức hội nghị phổ biến pháp luật",
            "Sở Tư pháp tỉnh Lạng Sơn",
            "30/06/2024",
            "32",
            "Chưa báo cáo",
        ]
    ]
    doc = _read_docx(letter)
    right = [p.text for p in doc.tables[0].rows[0].cells[1].paragraphs]
    assert right == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lạng Sơn, ngày 01 tháng 8 năm 2024",
    ]
    left = [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs]
    assert left[-2:] == [head.number_symbol, "V/v đôn đốc thực hiện nhiệm vụ quá hạn"]
    text = _texts(letter)
    assert "Đến ngày 01/08/2024, nhiệm vụ sau đã quá thời hạn" in text
    assert "báo cáo kết quả về Ủy ban nhân dân tỉnh Lạng Sơn trước ngày 08/08/2024" in text


def test_a_letter_to_one_body_names_it_and_lists_only_its_tasks(plans):
    letter = reminder_letter(plans.party, body=plans.police_committee, on=ON)
    assert letter.addressees == ["Đảng ủy Công an tỉnh Lạng Sơn"]
    assert [row[2] for row in letter.annex[0].rows] == ["Đảng ủy Công an tỉnh Lạng Sơn"]
    assert "Đề nghị Đảng ủy Công an tỉnh Lạng Sơn khẩn trương" in _texts(letter)
    doc = _read_docx(letter)
    greeting = next(p for p in doc.paragraphs if p.text.startswith("Kính gửi"))
    assert greeting.text == "Kính gửi: Đảng ủy Công an tỉnh Lạng Sơn."
    assert greeting.alignment == WD_ALIGN_PARAGRAPH.CENTER
    pdf = write(letter, "pdf")
    assert _pdf_title(pdf) == "Công văn V/v đôn đốc thực hiện nhiệm vụ quá hạn"


def test_nothing_overdue_is_refused_with_the_reason(plans):
    with pytest.raises(ReportError, match="không có nhiệm vụ nào quá hạn"):
        reminder_letter(plans.party, on=D(2019, 5, 1))  # before the first deadline
    with pytest.raises(ReportError, match="không có nhiệm vụ nào của Ban Tuyên giáo"):
        reminder_letter(plans.party, body=plans.tuyen_giao, on=ON)  # did its share on time
    with pytest.raises(ReportError, match="không được giao nhiệm vụ nào"):
        reminder_letter(plans.party, body=plans.justice, on=ON)
    with pytest.raises(ReportError, match="phải sau ngày lập công văn"):
        reminder_letter(plans.party, on=ON, reply_by=ON)


def test_the_plans_page_offers_the_letter_to_its_manager(plans):
    c = Client()
    c.force_login(plans.manager)
    page = c.get(f"/documents/{plans.party.pk}/").content.decode()
    assert 'data-testid="reminder-links"' in page
    assert f'href="/reports/reminder/{plans.party.pk}.pdf"' in page
    r = c.get(f"/reports/reminder/{plans.party.pk}.docx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert r["Content-Disposition"].startswith('attachment; filename="cong-van-don-doc-100-KH-TU-')
    r = c.get(f"/reports/reminder/{plans.party.pk}.pdf", {"body": plans.police_committee.pk})
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert c.get(f"/reports/reminder/{plans.party.pk}.pdf", {"body": "x"}).status_code == 404
    assert c.get(f"/reports/reminder/{plans.party.pk}.xls").status_code == 404


def test_with_nothing_overdue_the_page_says_so(plans):
    admin = User.objects.create_superuser("root", "root@example.vn", PASSWORD)
    c = Client()
    c.force_login(admin)
    url = f"/reports/reminder/{plans.state.pk}.pdf"
    assert 'data-testid="reminder-links"' in c.get(f"/documents/{plans.state.pk}/").content.decode()
    r = c.get(url, {"body": plans.police.pk}, follow=True)  # Công an tỉnh did its part
    assert r.redirect_chain == [(f"/documents/{plans.state.pk}/", 302)]
    assert "không có nhiệm vụ nào của Công an tỉnh Lạng Sơn quá hạn" in r.content.decode()
    progress_report_create(
        assignment=plans.justice.assignments.get(),
        text="Đã tổ chức hội nghị",
        completed=True,
        reported_on=D(2024, 9, 1),
        actor=None,
    )
    page = c.get(f"/documents/{plans.state.pk}/").content.decode()
    assert 'data-testid="reminder-links"' not in page
    html = c.get(url, follow=True).content.decode()
    assert "Kế hoạch số 50/KH-UBND không có nhiệm vụ nào quá hạn" in html


def test_a_viewer_of_the_plan_is_refused_and_an_outsider_does_not_find_it(plans):
    url = f"/reports/reminder/{plans.party.pk}.pdf"
    viewer = Client()
    viewer.force_login(plans.viewer)
    page = viewer.get(f"/documents/{plans.party.pk}/")
    assert page.status_code == 200 and 'data-testid="reminder-links"' not in page.content.decode()
    assert viewer.get(url).status_code == 403
    elsewhere = Client()
    elsewhere.force_login(plans.elsewhere)  # manages Cao Bằng's committee, not Lạng Sơn's
    assert elsewhere.get(f"/documents/{plans.party.pk}/").status_code == 404
    assert elsewhere.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


def test_the_command_writes_the_letter(plans, tmp_path):
    out = tmp_path / "cv.docx"
    stdout = io.StringIO()
    call_command(
        "report",
        "reminder",
        "--document",
        "100-KH/TU",
        "--on",
        "15/07/2019",
        "--format",
        "docx",
        "--out",
        str(out),
        stdout=stdout,
    )
    assert f"Đã ghi {out}" in stdout.getvalue()
    from docx import Document as read_docx

    doc = read_docx(str(out))
    assert "Lạng Sơn, ngày 15 tháng 7 năm 2019" in [
        p.text for p in doc.tables[0].rows[0].cells[1].paragraphs
    ]
    assert [c.text for c in doc.tables[2].rows[1].cells][2:5] == [
        "Đảng ủy Công an tỉnh Lạng Sơn",
        "31/05/2019",
        "45",
    ]
    pdf = tmp_path / "cv.pdf"
    call_command(
        "report",
        "reminder",
        "--document",
        "100-KH/TU",
        "--body",
        "t-hu-vl",
        "--on",
        "2019-07-15",
        "--format",
        "pdf",
        "--out",
        str(pdf),
        stdout=io.StringIO(),
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert b"+LiberationSerif-Bold" in data and data.count(b"/FontFile2") >= 2
    assert _pdf_title(data) == "Công văn V/v đôn đốc thực hiện nhiệm vụ quá hạn"
    xlsx = tmp_path / "cv.xlsx"
    call_command(
        "report",
        "reminder",
        "--document",
        "100-KH/TU",
        "--on",
        "15/07/2019",
        "--format",
        "xlsx",
        "--out",
        str(xlsx),
        stdout=io.StringIO(),
    )
    from openpyxl import load_workbook

    ws = load_workbook(xlsx).worksheets[0]
    assert [ws.cell(4, j).value for j in range(1, 7)][4] == "Số ngày quá hạn"
    assert ws.cell(5, 3).value == "Đảng ủy Công an tỉnh Lạng Sơn" and ws.cell(5, 5).value == 45


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--document", "99-KH/TU"], "Không có văn bản 99-KH/TU"),
        (["--document", "100-KH/TU", "--body", "khong-co"], "Không có cơ quan, đơn vị mã"),
        (["--document", "100-KH/TU", "--on", "31/02/2019"], "--on: ngày không hợp lệ"),
        (["--document", "100-KH/TU", "--on", "01/05/2019"], "không có nhiệm vụ nào quá hạn"),
    ],
)
def test_the_command_explains_what_is_wrong(plans, tmp_path, argv, message):
    out = tmp_path / "cv.docx"
    with pytest.raises(CommandError, match=message):
        call_command("report", "reminder", *argv, "--out", str(out))
    assert not out.exists()


def _pdf_title(pdf: bytes) -> str:
    """The document title reportlab writes in the PDF's information dictionary (UTF-16)."""
    match = re.search(rb"/Title \((.*?)(?<!\\)\)", pdf, re.S)

    def unescape(m: re.Match) -> bytes:
        code = m.group(1)
        return bytes([int(code, 8)]) if code[:1].isdigit() else code

    return re.sub(rb"\\([0-7]{1,3}|.)", unescape, match.group(1), flags=re.S).decode("utf-16")
