"""The Lạng Sơn demo: the bodies of the seed story and fictitious users, one per role.

Everyone here is fictitious. People in the seed article appear only by title and body.
Idempotent: bodies are matched by code, users by username.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from antq.accounts.models import BodyKind, Role, User
from antq.accounts.services import (
    body_save,
    membership_grant,
    password_change,
    user_create,
    user_unlock,
)
from antq.areas.selectors import area_by_code

DEMO_PASSWORD = "antq@demo2025"  # noqa: S105 (printed on start; demo only)
BEFORE = dt.date(2022, 1, 1)
AFTER = dt.date(2025, 7, 1)
LAST_DAY_OF_DISTRICTS = dt.date(2025, 6, 30)
LAST_DAY_OF_DISTRICT_POLICE = dt.date(2025, 2, 28)  # district-level police ended 1/3/2025
RECORDED_FROM = dt.date(2019, 1, 1)
CENTRAL_FROM = dt.date(2011, 1, 1)

# (code, name, kind, area code, area date, parent code, valid_from, valid_to)
BODIES: list[tuple] = [
    (
        "tw-ban-bi-thu",
        "Ban Bí thư Trung ương Đảng",
        BodyKind.PARTY_STANDING_BOARD,
        "VN",
        BEFORE,
        None,
        CENTRAL_FROM,
        None,
    ),
    (
        "tw-ban-noi-chinh",
        "Ban Nội chính Trung ương",
        BodyKind.PARTY_BOARD,
        "VN",
        BEFORE,
        None,
        CENTRAL_FROM,
        None,
    ),
    (
        "ls-tinh-uy",
        "Tỉnh ủy Lạng Sơn",
        BodyKind.PARTY_COMMITTEE,
        "20",
        BEFORE,
        None,
        RECORDED_FROM,
        None,
    ),
    (
        "ls-btv-tinh-uy",
        "Ban Thường vụ Tỉnh ủy Lạng Sơn",
        BodyKind.PARTY_STANDING_BOARD,
        "20",
        BEFORE,
        "ls-tinh-uy",
        RECORDED_FROM,
        None,
    ),
    (
        "ls-van-phong-tinh-uy",
        "Văn phòng Tỉnh ủy Lạng Sơn",
        BodyKind.OTHER,
        "20",
        BEFORE,
        "ls-tinh-uy",
        RECORDED_FROM,
        None,
    ),
    (
        "ls-ban-noi-chinh",
        "Ban Nội chính Tỉnh ủy Lạng Sơn",
        BodyKind.PARTY_BOARD,
        "20",
        BEFORE,
        "ls-tinh-uy",
        RECORDED_FROM,
        None,
    ),
    (
        "ls-ban-tuyen-giao",
        "Ban Tuyên giáo Tỉnh ủy Lạng Sơn",
        BodyKind.PARTY_BOARD,
        "20",
        BEFORE,
        "ls-tinh-uy",
        RECORDED_FROM,
        None,
    ),
    (
        "ls-ban-to-chuc",
        "Ban Tổ chức Tỉnh ủy Lạng Sơn",
        BodyKind.PARTY_BOARD,
        "20",
        BEFORE,
        "ls-tinh-uy",
        RECORDED_FROM,
        None,
    ),
    (
        "ls-ban-dan-van",
        "Ban Dân vận Tỉnh ủy Lạng Sơn",
        BodyKind.PARTY_BOARD,
        "20",
        BEFORE,
        "ls-tinh-uy",
        RECORDED_FROM,
        None,
    ),
    (
        "ls-dang-uy-cong-an",
        "Đảng ủy Công an tỉnh Lạng Sơn",
        BodyKind.PARTY_COMMITTEE,
        "20",
        BEFORE,
        "ls-tinh-uy",
        RECORDED_FROM,
        None,
    ),
    (
        "ls-ban-can-su-ubnd",
        "Ban cán sự đảng UBND tỉnh Lạng Sơn",
        BodyKind.PARTY_CAUCUS,
        "20",
        BEFORE,
        "ls-tinh-uy",
        RECORDED_FROM,
        None,
    ),
    (
        "ls-cong-an",
        "Công an tỉnh Lạng Sơn",
        BodyKind.POLICE,
        "20",
        BEFORE,
        None,
        RECORDED_FROM,
        None,
    ),
    (
        "ls-cong-an-pv05",
        "Phòng Xây dựng phong trào toàn dân bảo vệ ANTQ (PV05), Công an tỉnh Lạng Sơn",
        BodyKind.POLICE,
        "20",
        BEFORE,
        "ls-cong-an",
        RECORDED_FROM,
        None,
    ),
    (
        "ls-ubnd",
        "Ủy ban nhân dân tỉnh Lạng Sơn",
        BodyKind.PEOPLES_COMMITTEE,
        "20",
        BEFORE,
        None,
        RECORDED_FROM,
        None,
    ),
    (
        "ls-mttq",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lạng Sơn",
        BodyKind.FATHERLAND_FRONT,
        "20",
        BEFORE,
        None,
        RECORDED_FROM,
        None,
    ),
    (
        "ls-tinh-doan",
        "Tỉnh đoàn Lạng Sơn",
        BodyKind.MASS_ORGANISATION,
        "20",
        BEFORE,
        None,
        RECORDED_FROM,
        None,
    ),
]

# The 11 district-level Party committees, until the district level ended on 30/6/2025.
DISTRICT_COMMITTEES = [
    ("178", "Thành ủy Lạng Sơn"),
    ("180", "Huyện ủy Tràng Định"),
    ("181", "Huyện ủy Bình Gia"),
    ("182", "Huyện ủy Văn Lãng"),
    ("183", "Huyện ủy Cao Lộc"),
    ("184", "Huyện ủy Văn Quan"),
    ("185", "Huyện ủy Bắc Sơn"),
    ("186", "Huyện ủy Hữu Lũng"),
    ("187", "Huyện ủy Chi Lăng"),
    ("188", "Huyện ủy Lộc Bình"),
    ("189", "Huyện ủy Đình Lập"),
]

# Police of a handful of demo communes, before the reform and after it.
COMMUNE_POLICE = [
    (
        "ls-ca-tt-na-sam",
        "Công an thị trấn Na Sầm",
        "06124",
        BEFORE,
        RECORDED_FROM,
        LAST_DAY_OF_DISTRICTS,
    ),
    (
        "ls-ca-xa-hoang-viet",
        "Công an xã Hoàng Việt",
        "06157",
        BEFORE,
        RECORDED_FROM,
        LAST_DAY_OF_DISTRICTS,
    ),
    ("ls-ca-xa-tan-my", "Công an xã Tân Mỹ", "06172", BEFORE, RECORDED_FROM, LAST_DAY_OF_DISTRICTS),
    (
        "ls-ca-p-vinh-trai",
        "Công an phường Vĩnh Trại",
        "05977",
        BEFORE,
        RECORDED_FROM,
        LAST_DAY_OF_DISTRICTS,
    ),
    ("ls-ca-xa-na-sam", "Công an xã Na Sầm", "06124", AFTER, AFTER, None),
    ("ls-ca-xa-hoang-van-thu", "Công an xã Hoàng Văn Thụ", "06172", AFTER, AFTER, None),
    ("ls-ca-p-dong-kinh", "Công an phường Đông Kinh", "05977", AFTER, AFTER, None),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    title: str
    body: str
    role: str
    superuser: bool = False
    # Further roles in the same body (the commune police officers also handle tips).
    extra_roles: tuple[str, ...] = ()


USERS = [
    DemoUser(
        "quantri",
        "Đặng Quốc Bảo",
        "Quản trị hệ thống",
        "ls-van-phong-tinh-uy",
        Role.ADMINISTRATOR,
        superuser=True,
    ),
    DemoUser(
        "vanphong",
        "Lê Thu Trang",
        "Chuyên viên Văn phòng Tỉnh ủy",
        "ls-van-phong-tinh-uy",
        Role.MANAGER,
    ),
    DemoUser(
        "pv05",
        "Hoàng Minh Đức",
        "Phó Trưởng phòng PV05, Công an tỉnh",
        "ls-cong-an-pv05",
        Role.APPROVER,
    ),
    DemoUser(
        "nasam",
        "Vi Thị Hạnh",
        "Cán bộ Công an xã Na Sầm",
        "ls-ca-xa-na-sam",
        Role.DATA_ENTRY,
        extra_roles=(Role.TIP_HANDLER,),
    ),
    DemoUser(
        "hoangvanthu",
        "Lộc Văn Sơn",
        "Cán bộ Công an xã Hoàng Văn Thụ",
        "ls-ca-xa-hoang-van-thu",
        Role.DATA_ENTRY,
        extra_roles=(Role.TIP_HANDLER,),
    ),
    DemoUser(
        "noichinh",
        "Triệu Văn Nam",
        "Chuyên viên Ban Nội chính Tỉnh ủy",
        "ls-ban-noi-chinh",
        Role.VIEWER,
    ),
    DemoUser(
        "doankiemtra",
        "Phạm Thanh Hải",
        "Chuyên viên Ban Nội chính Trung ương",
        "tw-ban-noi-chinh",
        Role.VIEWER,
    ),
]


@transaction.atomic
def demo_load() -> list[DemoUser]:
    for code, name, kind, area_code, on, parent, valid_from, valid_to in BODIES:
        body_save(
            code=code,
            name=name,
            kind=kind,
            area=area_by_code(area_code, on),
            parent=_body(parent),
            valid_from=valid_from,
            valid_to=valid_to,
        )
    for area_code, name in DISTRICT_COMMITTEES:
        body_save(
            code=f"ls-huyen-uy-{area_code}",
            name=name,
            kind=BodyKind.PARTY_COMMITTEE,
            area=area_by_code(area_code, BEFORE),
            parent=_body("ls-tinh-uy"),
            valid_from=RECORDED_FROM,
            valid_to=LAST_DAY_OF_DISTRICTS,
        )
    body_save(
        code="ls-ca-huyen-182",
        name="Công an huyện Văn Lãng",
        kind=BodyKind.POLICE,
        area=area_by_code("182", BEFORE),
        parent=_body("ls-cong-an"),
        valid_from=RECORDED_FROM,
        valid_to=LAST_DAY_OF_DISTRICT_POLICE,
    )
    for code, name, area_code, on, valid_from, valid_to in COMMUNE_POLICE:
        body_save(
            code=code,
            name=name,
            kind=BodyKind.POLICE,
            area=area_by_code(area_code, on),
            parent=_body("ls-cong-an"),
            valid_from=valid_from,
            valid_to=valid_to,
        )
    for spec in USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = user_create(
                username=spec.username,
                password=DEMO_PASSWORD,
                full_name=spec.full_name,
                title=spec.title,
                is_superuser=spec.superuser,
            )
        else:
            password_change(user=user, new_password=DEMO_PASSWORD)  # the printed logins work
            user_unlock(user=user, actor=None)
        for role in (spec.role, *spec.extra_roles):
            membership_grant(user=user, body=_body(spec.body), role=role, valid_from=RECORDED_FROM)
    return USERS


def _body(code: str | None):
    from antq.accounts.models import Body

    return Body.objects.get(code=code) if code else None
