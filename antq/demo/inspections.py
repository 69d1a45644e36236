"""The seed's inspection: the delegation of the Central Internal Affairs Commission inspects
the implementation of Conclusion 44-KL/TW in Lạng Sơn (2019-2022); sessions with the
Provincial Police Party Committee, the Văn Lãng District Party Committee and, on the afternoon
of 10/3/2023, the Provincial Party Committee; the conclusion with its three recommendations
(propaganda; replicate the models that work; build the core forces), followed up through
2023-2024 and closed.

People appear only by title and body. The decision's and the notice's numbers, the sessions'
hours, the deadlines and the follow-up reports are ILLUSTRATIVE (the article gives none) and
the documents say so.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from antq.accounts.models import Body, User
from antq.areas.selectors import area_by_code
from antq.directives.models import Document, DocumentKind
from antq.directives.services import document_create, progress_report_create
from antq.inspections import services
from antq.inspections.models import FindingKind, Inspection, Level, MemberRole

TITLE = "Kiểm tra kết quả thực hiện Kết luận số 44-KL/TW của Ban Bí thư tại tỉnh Lạng Sơn"
NOTE = "(Số, ngày minh họa.)"

SESSIONS = [
    (
        dt.datetime(2023, 3, 8, 8, 30),
        "ls-dang-uy-cong-an",
        "Trụ sở Công an tỉnh Lạng Sơn",
        "Đại diện Ban Thường vụ Đảng ủy Công an tỉnh; lãnh đạo Công an tỉnh; Phòng PV05.",
        "Nghe báo cáo kết quả tham mưu, theo dõi, đôn đốc thực hiện Kết luận số 44-KL/TW.",
    ),
    (
        dt.datetime(2023, 3, 9, 8, 30),
        "ls-huyen-uy-182",
        "Trụ sở Huyện ủy Văn Lãng",
        "Thường trực Huyện ủy Văn Lãng; lãnh đạo Công an huyện và một số xã, thị trấn.",
        "Nghe báo cáo kết quả thực hiện Kết luận số 44-KL/TW ở huyện biên giới Văn Lãng.",
    ),
    (
        dt.datetime(2023, 3, 10, 14, 0),
        "ls-tinh-uy",
        "Trụ sở Tỉnh ủy Lạng Sơn",
        "Phó Bí thư Thường trực Tỉnh ủy, Trưởng Đoàn đại biểu Quốc hội tỉnh; Ủy viên Ban Thường "
        "vụ Tỉnh ủy, Phó Chủ tịch UBND tỉnh; lãnh đạo một số ban, sở, ngành.",
        "Nghe báo cáo kết quả thực hiện Kết luận số 44-KL/TW giai đoạn 2019-2022; trưởng đoàn "
        "phát biểu kết luận buổi làm việc.",
    ),
]
MINUTES = (
    "Báo cáo tại buổi làm việc: Tỉnh ủy ban hành Kế hoạch số 100-KH/TU ngày 22/3/2019; có hơn "
    "6.500 tin, bài, ảnh, phóng sự; xây dựng 66 mô hình tự quản về an ninh, trật tự; Nhân dân "
    "cung cấp hàng nghìn nguồn tin có giá trị, giúp làm rõ hơn 900 vụ phạm pháp hình sự với hơn "
    "1.000 đối tượng, thu hồi tài sản trị giá 4,5 tỷ đồng. Trưởng đoàn ghi nhận, biểu dương kết "
    "quả; nhấn mạnh tầm quan trọng của công tác bảo đảm an ninh, trật tự ở tỉnh biên giới."
)
RECOMMENDATIONS = [
    (
        "Tiếp tục quán triệt, tuyên truyền sâu rộng về phong trào toàn dân bảo vệ an ninh Tổ "
        "quốc để cán bộ, đảng viên và Nhân dân tích cực tham gia.",
        "ls-tinh-uy",
        dt.date(2023, 12, 31),
        [(dt.date(2023, 12, 20), "Đã tổ chức quán triệt, tuyên truyền trong toàn tỉnh.", True)],
    ),
    (
        "Nhân rộng các mô hình tự quản về an ninh, trật tự hoạt động hiệu quả.",
        "ls-dang-uy-cong-an",
        dt.date(2024, 6, 30),
        [
            (dt.date(2023, 10, 5), "Đã rà soát, đánh giá các mô hình đang hoạt động.", False),
            (dt.date(2024, 6, 25), "Đã nhân rộng các mô hình hiệu quả ra các xã biên giới.", True),
        ],
    ),
    (
        "Tập trung xây dựng lực lượng nòng cốt của phong trào ở cơ sở.",
        "ls-dang-uy-cong-an",
        dt.date(2024, 9, 30),
        [
            (
                dt.date(2024, 7, 1),
                "Chuẩn bị thành lập tổ bảo vệ an ninh, trật tự theo Luật 30/2023/QH15.",
                False,
            ),
            (
                dt.date(2024, 11, 15),
                "Đã thành lập và kiện toàn các tổ bảo vệ an ninh, trật tự.",
                True,
            ),
        ],
    ),
]


# What the bodies wrote themselves in their self-inspection reports (ILLUSTRATIVE: the
# article reports the Provincial Party Committee's figures, which antq pre-fills from the data).
WRITTEN = {
    "III": "Ưu điểm: cấp ủy, chính quyền các cấp quan tâm lãnh đạo, chỉ đạo; phong trào được "
    "triển khai sâu rộng, gắn với các phong trào thi đua; nhiều mô hình tự quản hoạt động hiệu "
    "quả.\n\nHạn chế: chất lượng phong trào ở một số địa bàn vùng sâu, vùng xa, biên giới chưa "
    "đồng đều; việc sơ kết, nhân rộng mô hình có nơi chưa kịp thời.\n\nNguyên nhân: địa bàn "
    "rộng, địa hình phức tạp; lực lượng nòng cốt ở cơ sở còn mỏng.",
    "IV": "Tiếp tục quán triệt, tuyên truyền sâu rộng; nhân rộng các mô hình hiệu quả; xây "
    "dựng lực lượng nòng cốt của phong trào ở cơ sở.",
    "V": "Không có kiến nghị khác.",
}
SUBMITTED = {
    "ls-dang-uy-cong-an": dt.date(2023, 3, 3),
    "ls-huyen-uy-182": dt.date(2023, 3, 6),
    "ls-tinh-uy": dt.date(2023, 3, 6),
}


def _self_reports_write(inspection: Inspection, submitted: dict[str, dt.date]) -> None:
    """Each body's own sections written and, where a date is given, the report submitted."""
    for report in inspection.self_reports.select_related("body"):
        texts = {
            s.pk: WRITTEN.get(s.heading.split(".", 1)[0], s.text) if not s.prefill else s.text
            for s in report.sections.all()
        }
        services.self_report_save(actor=None, report=report, texts=texts)
        if report.body.code in submitted:
            services.self_report_submit(actor=None, report=report, on=submitted[report.body.code])


def _body(code: str) -> Body:
    return Body.objects.get(code=code)


OPEN_TITLE = "Kiểm tra việc thực hiện Kế hoạch số 100-KH/TU tại xã Na Sầm (từ 01/7/2025)"


def open_inspection_load() -> None:
    """An inspection under way today (ILLUSTRATIVE): the Provincial Party Committee's
    Internal Affairs Board inspects Plan 100-KH/TU in the new commune of Na Sầm — one session
    held, the conclusion still to come — so the pages show a delegation at work."""
    if Inspection.objects.filter(title=OPEN_TITLE).exists():
        return
    today = timezone.localdate()
    board = _body("ls-ban-noi-chinh")
    inspection = services.inspection_create(
        actor=None,
        title=OPEN_TITLE,
        inspecting_body=board,
        level=Level.PROVINCIAL,
        area=area_by_code("06124", today),
        period_start=dt.date(2025, 7, 1),
        period_end=today,
        starts_on=today - dt.timedelta(days=12),
        subjects=[Document.objects.get(symbol="100-KH/TU")],
        inspected_bodies=[_body("ls-ca-xa-na-sam")],
    )
    member = User.objects.filter(username="noichinh").first()
    services.member_add(
        actor=None,
        inspection=inspection,
        role=MemberRole.HEAD,
        title="Phó Trưởng Ban Nội chính Tỉnh ủy",
        body_name=board.name,
    )
    services.member_add(
        actor=None,
        inspection=inspection,
        role=MemberRole.MEMBER,
        title="Chuyên viên Ban Nội chính Tỉnh ủy",
        body_name=board.name,
        user=member,
    )
    held = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=5), dt.time(8, 30)))
    services.session_save(
        actor=None,
        inspection=inspection,
        held_at=held,
        place="Trụ sở Công an xã Na Sầm",
        body=_body("ls-ca-xa-na-sam"),
        attendees="Trưởng Công an xã; cán bộ phụ trách phong trào.",
        agenda="Nghe báo cáo việc thực hiện Kế hoạch số 100-KH/TU từ 01/7/2025.",
    )
    # The outline went out on the first day; Na Sầm's draft is pre-filled, still to complete.
    services.outline_send(
        actor=None,
        inspection=inspection,
        due_on=today + dt.timedelta(days=4),
        on=today - dt.timedelta(days=12),
    )


@transaction.atomic
def inspection_load() -> bool:
    """Load the seed's inspection (and one under way today) once (False if it is there)."""
    open_inspection_load()
    if Inspection.objects.filter(title=TITLE).exists():
        return False
    delegation = _body("tw-ban-noi-chinh")
    conclusion_44 = Document.objects.get(symbol="44-KL/TW")
    decision = document_create(
        actor=None,
        kind=DocumentKind.DECISION,
        symbol="12-QĐ/BNCTW",
        issuer=delegation,
        issued_on=dt.date(2023, 2, 20),
        subject=f"Về việc thành lập Đoàn kiểm tra thực hiện Kết luận số 44-KL/TW tại tỉnh Lạng "
        f"Sơn. {NOTE}",
        is_illustrative=True,
    )
    inspection = services.inspection_create(
        actor=None,
        title=TITLE,
        inspecting_body=delegation,
        level=Level.CENTRAL,
        area=area_by_code("20", dt.date(2022, 12, 31)),
        period_start=dt.date(2019, 1, 1),
        period_end=dt.date(2022, 12, 31),
        starts_on=dt.date(2023, 2, 27),
        subjects=[conclusion_44],
        inspected_bodies=[
            _body(c) for c in ("ls-dang-uy-cong-an", "ls-huyen-uy-182", "ls-tinh-uy")
        ],
        decision=decision,
    )
    member = User.objects.filter(username="doankiemtra").first()
    for role, title, user in (
        (MemberRole.HEAD, "Phó Trưởng Ban Nội chính Trung ương", None),
        (MemberRole.MEMBER, "Chuyên viên Ban Nội chính Trung ương", member),
        (MemberRole.SECRETARY, "Chuyên viên Ban Nội chính Trung ương (thư ký đoàn)", None),
    ):
        services.member_add(
            actor=None,
            inspection=inspection,
            role=role,
            title=title,
            body_name=delegation.name,
            user=user,
        )
    services.outline_send(
        actor=None, inspection=inspection, due_on=dt.date(2023, 3, 6), on=dt.date(2023, 2, 27)
    )
    _self_reports_write(inspection, SUBMITTED)
    tz = timezone.get_current_timezone()
    for held_at, body, place, attendees, agenda in SESSIONS:
        services.session_save(
            actor=None,
            inspection=inspection,
            held_at=held_at.replace(tzinfo=tz),
            place=place,
            body=_body(body),
            attendees=attendees,
            agenda=agenda,
            minutes=MINUTES if body == "ls-tinh-uy" else "",
        )
    services.finding_add(
        actor=None,
        inspection=inspection,
        kind=FindingKind.STRENGTH,
        text="Cấp ủy, chính quyền, Mặt trận Tổ quốc và các đoàn thể từ tỉnh đến cơ sở lãnh đạo, "
        "chỉ đạo, triển khai thực hiện Kết luận số 44-KL/TW nghiêm túc, hiệu quả, gắn với nhiệm "
        "vụ chính trị; phong trào được triển khai sâu rộng, gắn với các phong trào thi đua.",
    )
    services.conclusion_issue(
        actor=None,
        inspection=inspection,
        symbol="35-TB/BNCTW",
        issued_on=dt.date(2023, 3, 24),
        subject="Kết luận của Đoàn kiểm tra về kết quả thực hiện Kết luận số 44-KL/TW tại tỉnh "
        f"Lạng Sơn. {NOTE}",
        is_illustrative=True,
    )
    for text, body, due_on, reports in RECOMMENDATIONS:
        rec = services.recommendation_add(
            actor=None, inspection=inspection, text=text, body=_body(body), due_on=due_on
        )
        lead = rec.task.assignments.get(is_lead=True)
        for reported_on, report, done in reports:
            progress_report_create(
                assignment=lead, text=report, completed=done, reported_on=reported_on, actor=None
            )
    services.inspection_close(actor=None, inspection=inspection, on=dt.date(2025, 1, 15))
    return True
