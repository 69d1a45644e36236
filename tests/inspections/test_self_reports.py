"""The outline and the self-inspection reports (drafts pre-filled from the data, edited,
submitted, returned), files of the working sessions, and setting up an inspection, adding
members and extending the time limit from the pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from docx import Document as read_docx

from antq.accounts.models import BodyKind, Role
from antq.accounts.services import body_save, membership_grant, user_create
from antq.core.errors import RecordErrors
from antq.core.models import AuditEvent, Notification
from antq.directives.models import DocumentKind
from antq.directives.services import document_create, task_create
from antq.indicators.periods import parse_period
from antq.indicators.services import ValueInput, catalogue_install, values_save
from antq.inspections import services
from antq.inspections.documents import self_report_document
from antq.inspections.models import Inspection, Level, MemberRole, SelfReportStatus
from antq.reports.docx import docx_bytes
from antq.reports.results import results_report
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(people):
    catalogue_install()
    board = body_save(
        code="t-ban-noi-chinh",
        name="Ban Nội chính Tỉnh ủy Lạng Sơn",
        kind=BodyKind.PARTY_BOARD,
        area=people.province_police.area,
    )
    head = user_create(username="truongdoan", password=PASSWORD, full_name="Trưởng đoàn")
    membership_grant(user=head, body=board, role=Role.MANAGER, valid_from=dt.date(2019, 1, 1))
    approver = user_create(username="truongcaxa", password=PASSWORD, full_name="Trưởng Công an")
    membership_grant(
        user=approver, body=people.na_sam, role=Role.APPROVER, valid_from=dt.date(2025, 7, 1)
    )
    plan = document_create(
        actor=None,
        kind=DocumentKind.PLAN,
        symbol="100-KH/TU",
        issuer_name="Tỉnh ủy Lạng Sơn",
        issued_on=dt.date(2019, 3, 22),
    )
    # Na Sầm's figures of the period, as its registries count them
    values_save(
        [
            ValueInput("MEDIA_ITEMS", "06124", "202508", "12"),
            ValueInput("MEDIA_ITEMS", "06124", "202603", "9"),
            ValueInput("TIPS_RECEIVED", "06124", "202509", "7"),
        ],
        actor=None,
        source="derived",
    )
    today = timezone.localdate()
    inspection = services.inspection_create(
        actor=head,
        title="Kiểm tra thực hiện Kế hoạch 100-KH/TU",
        inspecting_body=board,
        level=Level.PROVINCIAL,
        area=people.na_sam.area,
        period_start=dt.date(2025, 7, 1),
        period_end=today,
        starts_on=today - dt.timedelta(days=3),
        subjects=[plan],
        inspected_bodies=[people.na_sam],
    )
    return {
        "inspection": inspection,
        "head": head,
        "approver": approver,
        "plan": plan,
        "people": people,
        "today": today,
        "board": board,
    }


def _send(setup):
    return services.outline_send(
        actor=setup["head"],
        inspection=setup["inspection"],
        due_on=setup["today"] + dt.timedelta(days=7),
    )


def test_an_inspection_starts_with_the_standard_outline_the_delegation_can_change(setup):
    inspection, head = setup["inspection"], setup["head"]
    headings = [s.heading for s in inspection.outline.all()]
    assert headings[0].startswith("I. CÔNG TÁC LÃNH ĐẠO") and len(headings) == 5
    with pytest.raises(RecordErrors) as exc:
        services.outline_section_add(actor=head, inspection=inspection, heading=" ")
    assert "heading" in exc.value.errors
    with pytest.raises(PermissionDenied):  # the inspected body does not write the outline
        services.outline_section_add(
            actor=setup["people"].official, inspection=inspection, heading="VI. KHÁC"
        )
    extra = services.outline_section_add(
        actor=head, inspection=inspection, heading="VI. CÔNG TÁC PHỐI HỢP", guidance="Phối hợp"
    )
    services.outline_section_remove(actor=head, section=inspection.outline.get(order=5))
    assert [s.heading for s in inspection.outline.all()][-1] == "VI. CÔNG TÁC PHỐI HỢP"
    with pytest.raises(RecordErrors) as exc:  # due before it is sent
        services.outline_send(
            actor=head, inspection=inspection, due_on=setup["today"] - dt.timedelta(days=1)
        )
    assert "due_on" in exc.value.errors
    assert not inspection.self_reports.exists()
    _send(setup)
    with pytest.raises(RecordErrors):  # frozen once sent
        services.outline_section_remove(actor=head, section=extra)
    with pytest.raises(RecordErrors):
        _send(setup)


def test_each_body_inspected_gets_a_draft_pre_filled_from_the_data(setup):
    na_sam, yesterday = setup["people"].na_sam, setup["today"] - dt.timedelta(days=1)
    task_create(plan=setup["plan"], title="Xây dựng mô hình", lead_body=na_sam, actor=None)
    task_create(
        plan=setup["plan"], title="Báo cáo sơ kết", lead_body=na_sam, actor=None, due_on=yesterday
    )
    (report,) = _send(setup)
    assert report.body == setup["people"].na_sam and report.status == SelfReportStatus.DRAFT
    sections = {s.prefill: s for s in report.sections.all()}
    results = sections["results"].text
    # the same prose the results report writes for the commune over the months covered
    expected = results_report(
        document=setup["plan"],
        area=setup["people"].na_sam.area,
        start=parse_period("202507"),
        end=parse_period(f"{setup['today']:%Y%m}"),
    )
    assert expected.figures["MEDIA_ITEMS"] == 21 and expected.figures["TIPS_RECEIVED"] == 7
    assert "21 tin, bài" in results and "7 nguồn tin" in results
    leadership = sections["leadership"].text
    assert "xã Na Sầm" in leadership  # in a sentence, in lower case
    # the tasks given to the body itself under the plan inspected, as they stand
    assert "Công an xã Na Sầm được giao 2 nhiệm vụ (theo 100-KH/TU)" in leadership
    assert "chưa đến hạn 1, quá hạn 1." in leadership
    assert sections[""].text == ""  # the assessment is the body's to write
    # the body's officials were told
    official = setup["people"].official
    notice = Notification.objects.get(user=official, kind="self_report")
    assert f"/self-reports/{report.pk}/" in notice.url


def test_the_body_edits_and_submits_and_the_delegation_returns_it(setup):
    (report,) = _send(setup)
    official, approver, head = setup["people"].official, setup["approver"], setup["head"]
    outsider = setup["people"].outsider
    sections = list(report.sections.all())
    with pytest.raises(PermissionDenied):  # another commune
        services.self_report_save(actor=outsider, report=report, texts={sections[0].pk: "x"})
    with pytest.raises(PermissionDenied):  # the delegation does not write the body's report
        services.self_report_save(actor=head, report=report, texts={sections[0].pk: "x"})
    with pytest.raises(PermissionDenied):  # data entry writes but does not submit
        services.self_report_submit(actor=official, report=report)
    with pytest.raises(RecordErrors) as exc:  # empty sections
        services.self_report_submit(actor=approver, report=report)
    assert "III. ĐÁNH GIÁ CHUNG" in exc.value.errors[""]
    texts = {s.pk: s.text or f"Nội dung mục {s.order}." for s in sections}
    services.self_report_save(actor=official, report=report, texts=texts)
    services.self_report_submit(actor=approver, report=report)
    report.refresh_from_db()
    assert report.status == SelfReportStatus.SUBMITTED and report.submitted_by == approver
    with pytest.raises(RecordErrors):  # submitted: no more edits
        services.self_report_save(actor=official, report=report, texts={sections[0].pk: "y"})
    assert Notification.objects.filter(user=head, kind="self_report").count() == 0  # no account
    with pytest.raises(PermissionDenied):
        services.self_report_return(actor=official, report=report, reason="Bổ sung")
    with pytest.raises(RecordErrors):
        services.self_report_return(actor=head, report=report, reason=" ")
    services.self_report_return(actor=head, report=report, reason="Bổ sung số liệu mô hình")
    report.refresh_from_db()
    assert report.status == SelfReportStatus.RETURNED and report.editable
    assert AuditEvent.objects.filter(action="inspections.self_report_returned").exists()


def test_the_self_report_document_follows_the_bodys_layout_and_the_data(setup):
    (report,) = _send(setup)
    texts = {s.pk: s.text or "1. Ưu điểm\nĐã làm tốt." for s in report.sections.all()}
    services.self_report_save(actor=setup["people"].official, report=report, texts=texts)
    document = self_report_document(report)
    # a police body is a State body: the State's letterhead
    assert document.letterhead.layout == "state"
    assert document.letterhead.issuer == "CÔNG AN XÃ NA SẦM"
    assert document.subject.startswith("Kết quả tự kiểm tra việc thực hiện Kế hoạch số 100-KH/TU")
    assert document.figures["MEDIA_ITEMS"] == 21
    levels = [(b.text, b.level) for b in document.blocks if b.__class__.__name__ == "Heading"]
    assert ("1. Ưu điểm", 2) in levels and levels[0][0].startswith("I. ")
    doc = read_docx(io.BytesIO(docx_bytes(document)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "21 tin, bài" in text
    # the State's name fits on one line of the letterhead's right column (grid and cell)
    from docx.shared import Cm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from antq.reports import pdf
    from antq.reports.content import STATE_NAME

    head = doc.tables[0]
    for width in (head.columns[1].width, head.rows[0].cells[1].width):  # grid and cell
        assert abs(width - Cm(10)) < Cm(0.01)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head.rows[0].cells[1].text
    pdf._register()
    assert stringWidth(STATE_NAME, f"{pdf.SERIF}-Bold", 12) < Cm(10 - 0.6).pt  # less padding
    heading = next(p for p in doc.paragraphs if p.text.startswith("III. ĐÁNH GIÁ"))
    assert heading.runs[0].font.name == "Times New Roman" and heading.runs[0].font.bold


def test_the_self_report_pages(setup, client: Client):
    (report,) = _send(setup)
    inspection = setup["inspection"]
    url = f"/inspections/{inspection.pk}/self-reports/{report.pk}/"
    client.force_login(setup["people"].outsider)
    assert client.get(url).status_code == 404  # another commune's officer
    client.force_login(setup["people"].official)
    page = client.get(url)
    assert page.status_code == 200 and "21 tin, bài" in page.content.decode()
    sections = list(report.sections.all())
    data = {f"section-{s.pk}": s.text for s in sections}
    data[f"section-{sections[2].pk}"] = "Ưu điểm: đã làm tốt."
    assert client.post(url, {**data, "action": "save"}).status_code == 302
    assert report.sections.get(pk=sections[2].pk).text == "Ưu điểm: đã làm tốt."
    # submitting needs an approver; the official's attempt changes nothing
    assert client.post(url, {**data, "action": "submit"}).status_code == 403
    client.force_login(setup["approver"])
    answer = client.post(url, {**data, "action": "submit"})
    assert answer.status_code == 400 and "IV. PHƯƠNG HƯỚNG" in answer.content.decode()
    report.refresh_from_db()
    assert report.status == SelfReportStatus.DRAFT
    for s in sections:
        data[f"section-{s.pk}"] = data[f"section-{s.pk}"] or "Đã thực hiện."
    assert client.post(url, {**data, "action": "submit"}).status_code == 302
    report.refresh_from_db()
    assert report.status == SelfReportStatus.SUBMITTED
    file = client.get(f"/inspections/{inspection.pk}/self-reports/{report.pk}.docx")
    assert file.status_code == 200 and file.content[:2] == b"PK"
    assert (
        client.get(f"/inspections/{inspection.pk}/self-reports/{report.pk}.pdf").content[:5]
        == b"%PDF-"
    )
    client.force_login(setup["head"])
    detail = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "Công an xã Na Sầm" in detail and 'data-testid="self-report-state"' in detail
    answer = client.post(url.rstrip("/") + "/return", {"reason": ""})
    assert answer.status_code == 400
    assert client.post(url.rstrip("/") + "/return", {"reason": "Bổ sung"}).status_code == 302
    report.refresh_from_db()
    assert report.status == SelfReportStatus.RETURNED


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF\n")


def test_files_are_attached_to_sessions_and_judged_by_content(setup, client: Client):
    inspection, head = setup["inspection"], setup["head"]
    held = timezone.make_aware(dt.datetime.combine(setup["today"], dt.time(9)))
    session = services.session_save(
        actor=head, inspection=inspection, held_at=held, place="Trụ sở", body=setup["people"].na_sam
    )
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(RecordErrors) as exc:
        services.session_file_add(actor=head, session=session, upload=fake)
    assert "file" in exc.value.errors
    with pytest.raises(PermissionDenied):
        services.session_file_add(actor=setup["people"].official, session=session, upload=_pdf())
    assert not session.files.exists()
    client.force_login(head)
    url = f"/inspections/{inspection.pk}/sessions/{session.pk}/files"
    answer = client.post(url, {"title": "Biên bản làm việc", "file": _pdf()})
    assert answer.status_code == 302
    item = session.files.get()
    assert item.title == "Biên bản làm việc" and item.file.name.endswith(".pdf")
    download = client.get(f"/inspections/{inspection.pk}/files/{item.pk}")
    assert download.status_code == 200 and b"".join(download.streaming_content)[:5] == b"%PDF-"
    assert download["X-Content-Type-Options"] == "nosniff"
    bad = client.post(url, {"title": "x", "file": SimpleUploadedFile("a.pdf", b"hello")})
    assert bad.status_code == 400 and session.files.count() == 1
    client.force_login(setup["people"].outsider)  # cannot see the inspection
    assert client.get(f"/inspections/{inspection.pk}/files/{item.pk}").status_code == 404


def test_setting_up_an_inspection_adding_members_and_extending_from_the_pages(
    setup, client: Client
):
    people, head, board = setup["people"], setup["head"], setup["board"]
    client.force_login(people.official)  # manages nothing
    assert client.get("/inspections/new").status_code == 403
    client.force_login(head)
    assert client.get("/inspections/new").status_code == 200
    form = {
        "title": "Kiểm tra Công an xã Na Sầm",
        "inspecting_body": board.pk,
        "level": "provincial",
        "subjects": [setup["plan"].pk],
        "inspected_bodies": [people.na_sam.pk],
        "area": "06124",
        "period_start": "01/07/2025",
        "period_end": "30/06/2025",
        "starts_on": f"{setup['today']:%d/%m/%Y}",
    }
    answer = client.post("/inspections/new", form)
    assert answer.status_code == 400 and Inspection.objects.count() == 1
    assert "01/07/2025" in answer.content.decode()  # the period's order, in Vietnamese dates
    answer = client.post("/inspections/new", {**form, "inspecting_body": people.na_sam.pk})
    assert answer.status_code == 400  # not a body the user manages
    answer = client.post("/inspections/new", {**form, "period_end": "31/10/2026"})
    assert answer.status_code == 302
    inspection = Inspection.objects.latest("pk")
    assert inspection.area.code == "06124" and inspection.outline.count() == 5
    base = f"/inspections/{inspection.pk}"
    bad = client.post(f"{base}/members", {"role": "thanh_vien", "title": "X", "username": "nobody"})
    assert bad.status_code == 400 and not inspection.members.exists()
    ok = client.post(
        f"{base}/members",
        {"role": MemberRole.HEAD, "title": "Phó Trưởng Ban", "username": "truongdoan"},
    )
    assert ok.status_code == 302 and inspection.members.get().user == head
    again = client.post(f"{base}/members", {"role": MemberRole.HEAD, "title": "Trưởng Ban"})
    assert again.status_code == 400  # one head
    assert client.post(f"{base}/extend", {"days": "16"}).status_code == 400  # 45 // 3 = 15
    assert client.post(f"{base}/extend", {"days": "15"}).status_code == 302
    inspection.refresh_from_db()
    assert inspection.extension_days == 15
    client.force_login(people.official)
    assert client.post(f"{base}/extend", {"days": "1"}).status_code in (403, 404)


def test_the_api_shows_the_self_reports_each_caller_may_see(setup):
    from antq.accounts.services import token_create

    _send(setup)
    inspection = setup["inspection"]
    c = Client()
    url = f"/api/v1/inspections/{inspection.pk}/"
    head = token_create(user=setup["head"]).key
    body = c.get(url, HTTP_AUTHORIZATION=f"Token {head}").json()
    assert body["outline_sent_on"] == f"{setup['today']:%Y-%m-%d}"
    assert [(r["body"], r["status"]) for r in body["self_reports"]] == [("t-ca-na-sam", "draft")]
    # the inspected commune's officer sees the inspection and the commune's report
    official = token_create(user=setup["people"].official).key
    mine = c.get(url, HTTP_AUTHORIZATION=f"Token {official}").json()
    assert [r["body"] for r in mine["self_reports"]] == ["t-ca-na-sam"]
    outsider = token_create(user=setup["people"].outsider).key
    assert c.get(url, HTTP_AUTHORIZATION=f"Token {outsider}").status_code == 404
