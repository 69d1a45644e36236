"""A small chain for the directives tests: a central conclusion, a provincial plan sent to two
district committees, and the people of each: a district official, an outsider from the other
district, a provincial manager, a viewer of the province."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from antq.accounts.models import Body, BodyKind, Role, User
from antq.accounts.services import body_save, membership_grant, user_create
from antq.directives.models import Document, DocumentKind, LinkKind, Task
from antq.directives.services import document_create, document_link, plan_send, task_create
from tests.conftest import BEFORE, PASSWORD, area

D = dt.date


@dataclass
class Chain:
    conclusion: Document
    plan: Document
    task_plan: Task
    task_yearly: Task
    tinh_uy: Body
    van_lang: Body
    cao_loc: Body
    district_official: User  # data entry, Huyện ủy Văn Lãng
    outsider: User  # data entry, Huyện ủy Cao Lộc
    manager: User  # manager, Tỉnh ủy
    viewer: User  # viewer, Tỉnh ủy


@pytest.fixture
def chain(db) -> Chain:
    central = body_save(
        code="t-bbt", name="Ban Bí thư", kind=BodyKind.PARTY_STANDING_BOARD, area=area("VN")
    )
    tinh_uy = body_save(
        code="t-tu", name="Tỉnh ủy Lạng Sơn", kind=BodyKind.PARTY_COMMITTEE, area=area("20")
    )
    # District committees kept open-ended here so their officials still hold rights today.
    van_lang = body_save(
        code="t-hu-vl",
        name="Huyện ủy Văn Lãng",
        kind=BodyKind.PARTY_COMMITTEE,
        area=area("182", BEFORE),
        parent=tinh_uy,
    )
    cao_loc = body_save(
        code="t-hu-cl",
        name="Huyện ủy Cao Lộc",
        kind=BodyKind.PARTY_COMMITTEE,
        area=area("183", BEFORE),
        parent=tinh_uy,
    )

    def person(username: str, body: Body, role: str) -> User:
        user = user_create(username=username, password=PASSWORD, full_name=username.title())
        membership_grant(user=user, body=body, role=role, valid_from=D(2019, 1, 1))
        return user

    conclusion = document_create(
        actor=None,
        kind=DocumentKind.CONCLUSION,
        symbol="44-KL/TW",
        issuer=central,
        issued_on=D(2019, 1, 22),
        term="XII",
        subject="Tiếp tục đẩy mạnh thực hiện Chỉ thị 09-CT/TW",
    )
    plan = document_create(
        actor=None,
        kind=DocumentKind.PLAN,
        symbol="100-KH/TU",
        issuer=tinh_uy,
        issued_on=D(2019, 3, 22),
        term="XVI",
        subject="Tiếp tục thực hiện Chỉ thị 09-CT/TW",
    )
    document_link(source=plan, target=conclusion, kind=LinkKind.IMPLEMENTS, actor=None)
    task_plan = task_create(
        plan=plan,
        actor=None,
        lead_body=tinh_uy,
        for_all_recipients=True,
        due_on=D(2019, 5, 31),
        title="Xây dựng kế hoạch thực hiện",
    )
    task_yearly = task_create(
        plan=plan,
        actor=None,
        lead_body=tinh_uy,
        for_all_recipients=True,
        recurrence="yearly",
        title="Báo cáo kết quả hằng năm",
    )
    plan_send(plan=plan, bodies=[van_lang, cao_loc], sent_on=plan.issued_on, actor=None)
    return Chain(
        conclusion=conclusion,
        plan=plan,
        task_plan=task_plan,
        task_yearly=task_yearly,
        tinh_uy=tinh_uy,
        van_lang=van_lang,
        cao_loc=cao_loc,
        district_official=person("vanlang", van_lang, Role.DATA_ENTRY),
        outsider=person("caoloc", cao_loc, Role.DATA_ENTRY),
        manager=person("tinhuy", tinh_uy, Role.MANAGER),
        viewer=person("xem", tinh_uy, Role.VIEWER),
    )


def assignment_of(chain: Chain, body: Body, task: Task | None = None):
    return (task or chain.task_plan).assignments.get(body=body)
