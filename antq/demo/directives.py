"""The seed's chain of documents: 09-CT/TW → 44-KL/TW → 100-KH/TU → the districts' plans.

09-CT/TW, 44-KL/TW and 100-KH/TU are described as the seed article describes them. The tasks
of 100-KH/TU, the districts' implementing plans (numbers and dates) and the progress reports
of 2019-2022 are ILLUSTRATIVE: built to show a realistic mix of on-time, late and ongoing
work, and marked as such in the data.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from antq.accounts.models import Body, BodyKind
from antq.accounts.services import body_save
from antq.areas.selectors import area_by_code
from antq.directives.models import Assignment, Document, DocumentKind, LinkKind, Recurrence
from antq.directives.services import (
    document_create,
    document_link,
    plan_send,
    progress_report_create,
    task_create,
)

D = dt.date

# District code → (committee body code, symbol suffix of its documents)
DISTRICTS = {
    "178": "ThU",
    "180": "HU",
    "181": "HU",
    "182": "HU",
    "183": "HU",
    "184": "HU",
    "185": "HU",
    "186": "HU",
    "187": "HU",
    "188": "HU",
    "189": "HU",
}


def _doc(symbol: str, **fields) -> Document:
    existing = Document.objects.filter(symbol=symbol, issuer=fields.get("issuer")).first()
    if existing is not None:
        return existing
    return document_create(actor=None, symbol=symbol, **fields)


def _body(code: str) -> Body:
    return Body.objects.get(code=code)


@transaction.atomic
def directives_load() -> Document:
    """Load the chain (idempotent: returns the plan 100-KH/TU)."""
    lang_son = area_by_code("20", D(2022, 1, 1))
    mttq_caucus = body_save(
        code="ls-dang-doan-mttq",
        name="Đảng đoàn Ủy ban MTTQ Việt Nam tỉnh Lạng Sơn",
        kind=BodyKind.PARTY_DELEGATION,
        area=lang_son,
        parent=_body("ls-tinh-uy"),
        valid_from=D(2019, 1, 1),
    )
    secretariat = _body("tw-ban-bi-thu")
    ct09 = _doc(
        "09-CT/TW",
        kind=DocumentKind.DIRECTIVE,
        issuer=secretariat,
        issued_on=D(2011, 12, 1),
        term="XI",
        subject="Về tăng cường sự lãnh đạo của Đảng đối với phong trào toàn dân bảo vệ an ninh "
        "Tổ quốc trong tình hình mới",
    )
    kl44 = _doc(
        "44-KL/TW",
        kind=DocumentKind.CONCLUSION,
        issuer=secretariat,
        issued_on=D(2019, 1, 22),
        term="XII",
        subject="Về tiếp tục đẩy mạnh thực hiện Chỉ thị số 09-CT/TW, ngày 01/12/2011 của Ban Bí thư "
        "(khóa XI) về tăng cường sự lãnh đạo của Đảng đối với phong trào toàn dân bảo vệ an ninh "
        "Tổ quốc trong tình hình mới",
    )
    document_link(source=kl44, target=ct09, kind=LinkKind.CONTINUES, actor=None)
    tinh_uy = _body("ls-tinh-uy")
    plan = Document.objects.filter(symbol="100-KH/TU", issuer=tinh_uy).first()
    if plan is not None:
        return plan
    plan = document_create(
        actor=None,
        symbol="100-KH/TU",
        kind=DocumentKind.PLAN,
        issuer=tinh_uy,
        issued_on=D(2019, 3, 22),
        term="XVI",
        subject="Về tiếp tục thực hiện Chỉ thị số 09-CT/TW của Ban Bí thư khóa XI về tăng cường sự "
        "lãnh đạo của Đảng đối với phong trào toàn dân bảo vệ an ninh Tổ quốc trong tình hình mới",
        full_text=(
            "Thực hiện Kết luận số 44-KL/TW, ngày 22/01/2019 của Ban Bí thư về tiếp tục đẩy mạnh "
            "thực hiện Chỉ thị số 09-CT/TW, ngày 01/12/2011 của Ban Bí thư (khóa XI), Ban Thường vụ "
            "Tỉnh ủy xây dựng Kế hoạch thực hiện như sau. Kế hoạch được triển khai đến các ban đảng, "
            "ban cán sự đảng, đảng đoàn, các huyện ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy; giao "
            "Đảng ủy Công an tỉnh chủ trì, phối hợp với các cơ quan liên quan tham mưu cho Ban Thường "
            "vụ Tỉnh ủy thường xuyên theo dõi, đôn đốc, kiểm tra, giám sát việc triển khai, tổ chức "
            "thực hiện. (Nội dung nhiệm vụ dưới đây là minh họa.)"
        ),
    )
    document_link(source=plan, target=kl44, kind=LinkKind.IMPLEMENTS, actor=None)
    police_committee = _body("ls-dang-uy-cong-an")
    propaganda = _body("ls-ban-tuyen-giao")
    t_study = task_create(
        plan=plan,
        actor=None,
        lead_body=propaganda,
        for_all_recipients=True,
        due_on=D(2019, 6, 30),
        title="Tổ chức quán triệt, tuyên truyền Kết luận số 44-KL/TW và Kế hoạch số 100-KH/TU đến "
        "cán bộ, đảng viên và Nhân dân",
        expected_output="Hội nghị quán triệt; tin, bài tuyên truyền",
    )
    t_plan = task_create(
        plan=plan,
        actor=None,
        lead_body=police_committee,
        for_all_recipients=True,
        due_on=D(2019, 5, 31),
        title="Xây dựng kế hoạch thực hiện Kết luận số 44-KL/TW phù hợp với địa phương, đơn vị",
        expected_output="Kế hoạch thực hiện của cấp ủy, đơn vị",
    )
    task_create(
        plan=plan,
        actor=None,
        lead_body=police_committee,
        recurrence=Recurrence.REGULAR,
        advising_body=police_committee,
        title="Tham mưu Ban Thường vụ Tỉnh ủy theo dõi, đôn đốc, kiểm tra, giám sát việc triển "
        "khai, tổ chức thực hiện",
    )
    t_models = task_create(
        plan=plan,
        actor=None,
        lead_body=_body("ls-cong-an"),
        for_all_recipients=True,
        recurrence=Recurrence.YEARLY,
        coordinating_bodies=[_body("ls-mttq")],
        title="Xây dựng, nhân rộng mô hình “Tự phòng, tự quản, tự bảo vệ, tự hòa giải về an ninh, "
        "trật tự” ở cơ sở",
    )
    t_report = task_create(
        plan=plan,
        actor=None,
        lead_body=police_committee,
        for_all_recipients=True,
        recurrence=Recurrence.YEARLY,
        title="Báo cáo kết quả thực hiện Kế hoạch hằng năm về Ban Thường vụ Tỉnh ủy (qua Đảng ủy "
        "Công an tỉnh)",
    )
    task_create(
        plan=plan,
        actor=None,
        lead_body=police_committee,
        due_on=D(2022, 12, 31),
        title="Tổ chức sơ kết việc thực hiện Kết luận số 44-KL/TW giai đoạn 2019-2022",
        expected_output="Báo cáo sơ kết của Ban Thường vụ Tỉnh ủy",
    )
    recipients = (
        [
            _body(code)
            for code in (
                "ls-ban-tuyen-giao",
                "ls-ban-to-chuc",
                "ls-ban-dan-van",
                "ls-ban-noi-chinh",
                "ls-ban-can-su-ubnd",
                "ls-dang-uy-cong-an",
            )
        ]
        + [mttq_caucus]
        + [_body(f"ls-huyen-uy-{code}") for code in DISTRICTS]
    )
    plan_send(plan=plan, bodies=recipients, sent_on=plan.issued_on, actor=None)
    _progress(plan, t_study, t_plan, t_models, t_report)
    return plan


def _progress(plan: Document, t_study, t_plan, t_models, t_report) -> None:
    """Illustrative reports 2019-2022: most on time, some late, a few missing."""
    rng = random.Random(44)  # noqa: S311 (demo data, not security)
    for a in Assignment.objects.filter(task=t_study).select_related("body"):
        late = rng.random() < 0.15
        day = (
            D(2019, 7, 1) + dt.timedelta(days=rng.randint(5, 40))
            if late
            else D(2019, 4, 1) + dt.timedelta(days=rng.randint(0, 80))
        )
        progress_report_create(
            assignment=a,
            completed=True,
            reported_on=day,
            actor=None,
            text="Đã tổ chức hội nghị quán triệt Kết luận số 44-KL/TW và Kế hoạch số 100-KH/TU; "
            "đăng tải tin, bài trên các phương tiện thông tin.",
        )
    for a in Assignment.objects.filter(task=t_plan).select_related("body", "body__area"):
        district = a.body.code.removeprefix("ls-huyen-uy-")
        late = rng.random() < 0.2
        day = (
            D(2019, 6, 1) + dt.timedelta(days=rng.randint(3, 45))
            if late
            else D(2019, 4, 5) + dt.timedelta(days=rng.randint(0, 50))
        )
        evidence = None
        if district in DISTRICTS:
            evidence = _doc(
                f"{rng.randint(40, 160)}-KH/{DISTRICTS[district]}",
                kind=DocumentKind.PLAN,
                issuer=a.body,
                issued_on=day,
                term="XX" if district != "178" else "XVI",
                is_illustrative=True,
                subject=f"Thực hiện Kết luận số 44-KL/TW của Ban Bí thư và Kế hoạch số 100-KH/TU của "
                f"Tỉnh ủy Lạng Sơn trên địa bàn {a.body.area.name}",
            )
        progress_report_create(
            assignment=a,
            completed=True,
            reported_on=day,
            evidence=evidence,
            actor=None,
            text="Đã ban hành kế hoạch thực hiện, phân công nhiệm vụ cụ thể cho các cơ quan, đơn vị.",
        )
    for task in (t_models, t_report):
        for a in Assignment.objects.filter(task=task).select_related("body"):
            for year in (2019, 2020, 2021, 2022):
                if rng.random() < 0.08:
                    continue  # a missed year
                late = rng.random() < 0.1
                day = (
                    D(year + 1, 1, rng.randint(5, 25)) if late else D(year, 12, rng.randint(1, 20))
                )
                progress_report_create(
                    assignment=a,
                    completed=True,
                    reported_on=day,
                    actor=None,
                    text=f"Báo cáo kết quả năm {year}: duy trì, củng cố các mô hình tự quản về an "
                    "ninh, trật tự; phát động phong trào ở cơ sở."
                    if task is t_models
                    else f"Báo cáo kết quả thực hiện Kế hoạch số 100-KH/TU năm {year}.",
                )
