"""Inspections: set-up checks, sessions within the inspection's dates, recommendations as
tasks of the responsible body, the closing rule, time-limit warnings, scope and pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from antq.accounts.models import BodyKind, Role
from antq.accounts.services import body_save, membership_grant, user_create
from antq.core.errors import RecordErrors
from antq.core.models import Notification
from antq.directives.models import DocumentKind
from antq.directives.selectors import my_assignments
from antq.directives.services import document_create, progress_report_create
from antq.inspections import selectors, services
from antq.inspections.models import Inspection, Level, MemberRole
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(people):
    delegation = body_save(
        code="t-bnc-tw",
        name="Ban Nội chính Trung ương",
        kind=BodyKind.PARTY_BOARD,
        area=people.province_police.area,
    )
    committee = body_save(
        code="t-tinh-uy",
        name="Tỉnh ủy Lạng Sơn",
        kind=BodyKind.PARTY_COMMITTEE,
        area=people.province_police.area,
    )
    member = user_create(username="thanhvien", password=PASSWORD, full_name="Thành viên đoàn")
    membership_grant(user=member, body=delegation, role=Role.VIEWER, valid_from=dt.date(2019, 1, 1))
    subject = document_create(
        actor=None,
        kind=DocumentKind.CONCLUSION,
        symbol="44-KL/TW",
        issuer_name="Ban Bí thư",
        issued_on=dt.date(2019, 1, 22),
    )
    today = timezone.localdate()
    inspection = services.inspection_create(
        actor=None,
        title="Kiểm tra thực hiện Kết luận 44-KL/TW",
        inspecting_body=delegation,
        level=Level.PROVINCIAL,
        area=people.province_police.area,
        period_start=dt.date(2019, 1, 1),
        period_end=dt.date(2022, 12, 31),
        starts_on=today - dt.timedelta(days=10),
        subjects=[subject],
        inspected_bodies=[committee, people.province_police],
    )
    services.member_add(
        actor=None, inspection=inspection, role=MemberRole.MEMBER, title="Chuyên viên", user=member
    )
    return {
        "inspection": inspection,
        "member": member,
        "committee": committee,
        "delegation": delegation,
        "people": people,
        "today": today,
    }


def test_an_inspection_period_that_ends_before_it_starts_is_refused(setup):
    with pytest.raises(RecordErrors) as exc:
        services.inspection_create(
            actor=None,
            title="X",
            inspecting_body=setup["delegation"],
            level=Level.CENTRAL,
            area=setup["inspection"].area,
            period_start=dt.date(2022, 1, 1),
            period_end=dt.date(2019, 1, 1),
            starts_on=dt.date(2023, 1, 1),
            inspected_bodies=[setup["committee"]],
        )
    assert "period_end" in exc.value.errors
    with pytest.raises(PermissionDenied):  # a member of no managing body
        services.inspection_create(
            actor=setup["people"].official,
            title="X",
            inspecting_body=setup["delegation"],
            level=Level.CENTRAL,
            area=setup["inspection"].area,
            period_start=dt.date(2019, 1, 1),
            period_end=dt.date(2022, 1, 1),
            starts_on=dt.date(2023, 1, 1),
            inspected_bodies=[setup["committee"]],
        )


def test_sessions_fall_within_the_inspection_and_with_a_body_inspected(setup):
    inspection, member = setup["inspection"], setup["member"]
    tz = timezone.get_current_timezone()
    outside = dt.datetime.combine(inspection.deadline + dt.timedelta(days=1), dt.time(9), tz)
    with pytest.raises(RecordErrors) as exc:
        services.session_save(
            actor=member,
            inspection=inspection,
            held_at=outside,
            place="Trụ sở",
            body=setup["committee"],
        )
    assert "held_at" in exc.value.errors
    inside = dt.datetime.combine(setup["today"], dt.time(14), tz)
    with pytest.raises(RecordErrors) as exc:
        services.session_save(
            actor=member,
            inspection=inspection,
            held_at=inside,
            place="Trụ sở",
            body=setup["delegation"],
        )
    assert "body" in exc.value.errors
    services.session_save(
        actor=member, inspection=inspection, held_at=inside, place="Trụ sở", body=setup["committee"]
    )
    assert services.phase(inspection) == "conduct"
    with pytest.raises(PermissionDenied):
        services.session_save(
            actor=setup["people"].official,
            inspection=inspection,
            held_at=inside,
            place="x",
            body=setup["committee"],
        )


def test_recommendations_become_tasks_and_the_inspection_closes_only_when_settled(setup):
    inspection, member, today = setup["inspection"], setup["member"], setup["today"]
    with pytest.raises(RecordErrors):  # no conclusion yet
        services.recommendation_add(
            actor=member,
            inspection=inspection,
            text="Tuyên truyền",
            body=setup["committee"],
            due_on=None,
        )
    with pytest.raises(RecordErrors):
        services.inspection_close(actor=member, inspection=inspection)
    services.conclusion_issue(
        actor=member, inspection=inspection, symbol="05-TB/BNCTW", issued_on=today
    )
    with pytest.raises(RecordErrors) as exc:
        services.recommendation_add(
            actor=member, inspection=inspection, text="Không có ai", body=None, due_on=None
        )
    assert "body" in exc.value.errors
    first = services.recommendation_add(
        actor=member,
        inspection=inspection,
        text="Tiếp tục tuyên truyền",
        body=setup["committee"],
        due_on=today + dt.timedelta(days=30),
    )
    second = services.recommendation_add(
        actor=member,
        inspection=inspection,
        text="Xây dựng lực lượng nòng cốt",
        body=setup["people"].province_police,
        due_on=None,
    )
    # the responsible body sees the new task among its tasks
    officer = user_create(username="tinhuy", password=PASSWORD, full_name="Cán bộ Tỉnh ủy")
    membership_grant(
        user=officer, body=setup["committee"], role=Role.DATA_ENTRY, valid_from=dt.date(2019, 1, 1)
    )
    assert [v.assignment.task.title for v in my_assignments(officer)] == ["Tiếp tục tuyên truyền"]
    assert selectors.recommendation_state(first, today) == "not_started"
    with pytest.raises(RecordErrors, match="Tiếp tục tuyên truyền"):
        services.inspection_close(actor=member, inspection=inspection)
    progress_report_create(
        assignment=first.task.assignments.get(),
        text="Đã thực hiện",
        completed=True,
        reported_on=today,
        actor=officer,
    )
    with pytest.raises(RecordErrors):  # the second is still open
        services.inspection_close(actor=member, inspection=inspection)
    with pytest.raises(RecordErrors):
        services.recommendation_carry_over(actor=member, recommendation=second, reason=" ")
    services.recommendation_carry_over(
        actor=member, recommendation=second, reason="Chuyển sang kỳ kiểm tra sau"
    )
    services.inspection_close(actor=member, inspection=inspection)
    assert services.phase(inspection) == "closed"
    with pytest.raises(RecordErrors):
        services.recommendation_add(
            actor=member, inspection=inspection, text="Muộn", body=setup["committee"], due_on=None
        )


def test_the_time_limit_is_warned_about_and_extended_by_a_third_at_most(setup):
    inspection, member = setup["inspection"], setup["member"]
    assert inspection.deadline == inspection.starts_on + dt.timedelta(days=45)
    late = inspection.deadline - dt.timedelta(days=3)
    assert services.time_limit_warnings(late) == 1
    assert services.time_limit_warnings(late) == 0  # once
    assert services.time_limit_warnings(inspection.deadline + dt.timedelta(days=1)) == 1
    assert Notification.objects.filter(user=member, kind="inspection_limit").count() == 2
    with pytest.raises(RecordErrors):
        services.inspection_extend(actor=member, inspection=inspection, days=16)
    services.inspection_extend(actor=member, inspection=inspection, days=15)
    assert inspection.deadline == inspection.starts_on + dt.timedelta(days=60)
    with pytest.raises(RecordErrors):
        services.inspection_extend(actor=member, inspection=inspection, days=1)


def test_an_inspection_reaches_no_further_than_its_inspecting_body(setup):
    """A commune's manager may inspect the commune's own bodies, not another commune's: the
    drafts an inspection pre-fills would show that commune's figures to the delegation."""
    from tests.conftest import area

    people, today = setup["people"], setup["today"]
    chief = user_create(username="truongca", password=PASSWORD, full_name="Trưởng Công an xã")
    membership_grant(user=chief, body=people.na_sam, role=Role.MANAGER, valid_from=today)
    asked = {
        "title": "Kiểm tra xã bên",
        "inspecting_body": people.na_sam,
        "level": Level.GRASSROOTS,
        "period_start": dt.date(2025, 7, 1),
        "period_end": today - dt.timedelta(days=1),
        "starts_on": today,
    }
    before = Inspection.objects.count()
    with pytest.raises(RecordErrors) as exc:
        services.inspection_create(
            actor=chief, area=area("06172"), inspected_bodies=[people.hoang_van_thu], **asked
        )
    assert {"area", "inspected_bodies"} <= set(exc.value.errors)
    c = Client()
    c.force_login(chief)
    page = c.post(
        "/inspections/new",
        {
            "title": "Kiểm tra xã bên",
            "inspecting_body": people.na_sam.pk,
            "level": "grassroots",
            "subjects": [setup["inspection"].subjects.get().pk],
            "inspected_bodies": [people.hoang_van_thu.pk],
            "area": "06172",
            "period_start": "2025-07-01",
            "period_end": (today - dt.timedelta(days=1)).isoformat(),
            "starts_on": today.isoformat(),
        },
    )
    assert page.status_code == 400 and Inspection.objects.count() == before
    own = services.inspection_create(
        actor=chief, area=area("06124"), inspected_bodies=[people.na_sam], **asked
    )
    assert own.inspected_bodies.get() == people.na_sam


def test_who_sees_and_runs_an_inspection(setup):
    inspection, people = setup["inspection"], setup["people"]
    assert inspection in selectors.inspections_for(setup["member"])
    assert inspection in selectors.inspections_for(people.manager)  # an inspected body
    assert inspection not in selectors.inspections_for(people.official)
    assert selectors.user_may_run(setup["member"], inspection)
    assert not selectors.user_may_run(people.manager, inspection)
    c = Client()
    c.login(username="official", password=PASSWORD)
    assert c.get(f"/inspections/{inspection.pk}/").status_code == 404
    c.login(username="manager", password=PASSWORD)
    page = c.get(f"/inspections/{inspection.pk}/")
    assert page.status_code == 200 and 'data-testid="session-form"' not in page.content.decode()
    assert (
        c.post(
            f"/inspections/{inspection.pk}/findings", {"kind": "strength", "text": "x"}
        ).status_code
        == 403
    )


def test_a_tip_handler_of_an_inspected_body_sees_neither_its_inspections_nor_its_tasks(setup):
    """Handling the body's tips makes no one an official of the body."""
    inspection, people = setup["inspection"], setup["people"]
    handler = user_create(username="xulytin", password=PASSWORD, full_name="Cán bộ xử lý tin")
    membership_grant(
        user=handler,
        body=people.province_police,
        role=Role.TIP_HANDLER,
        valid_from=dt.date(2019, 1, 1),
    )
    services.conclusion_issue(
        actor=setup["member"], inspection=inspection, symbol="01-TB/BNCTW", issued_on=setup["today"]
    )
    services.recommendation_add(
        actor=setup["member"],
        inspection=inspection,
        text="Xây dựng lực lượng nòng cốt",
        body=people.province_police,
        due_on=None,
    )
    assert inspection not in selectors.inspections_for(handler)
    assert my_assignments(handler) == []
    assert [v.assignment.task.title for v in my_assignments(people.manager)] == [
        "Xây dựng lực lượng nòng cốt"
    ]
    c = Client()
    c.force_login(handler)
    assert c.get(f"/inspections/{inspection.pk}/").status_code == 404
    assert "Xây dựng lực lượng nòng cốt" not in c.get("/documents/tasks/mine/").content.decode()


def test_a_member_records_a_session_and_a_recommendation_from_the_page(setup):
    inspection, today = setup["inspection"], setup["today"]
    c = Client()
    c.login(username="thanhvien", password=PASSWORD)
    page = c.get(f"/inspections/{inspection.pk}/")
    assert (
        page.status_code == 200 and "Kiểm tra thực hiện Kết luận 44-KL/TW" in page.content.decode()
    )
    r = c.post(
        f"/inspections/{inspection.pk}/sessions",
        {
            "day": (inspection.deadline + dt.timedelta(days=2)).strftime("%d/%m/%Y"),
            "time": "14:00",
            "body": setup["committee"].pk,
            "place": "Trụ sở Tỉnh ủy",
        },
    )
    assert r.status_code == 400 and "ngoài thời gian" in r.content.decode()
    r = c.post(
        f"/inspections/{inspection.pk}/sessions",
        {
            "day": today.strftime("%d/%m/%Y"),
            "time": "14:00",
            "body": setup["committee"].pk,
            "place": "Trụ sở Tỉnh ủy",
            "attendees": "Phó Bí thư Thường trực Tỉnh ủy",
        },
    )
    assert r.status_code == 302
    r = c.post(
        f"/inspections/{inspection.pk}/conclusion",
        {
            "symbol": "07-TB/BNCTW",
            "issued_on": today.strftime("%d/%m/%Y"),
        },
    )
    assert r.status_code == 302
    r = c.post(
        f"/inspections/{inspection.pk}/recommendations", {"text": "Nhân rộng mô hình", "body": ""}
    )
    assert r.status_code == 400 and "cơ quan chịu trách nhiệm" in r.content.decode()
    r = c.post(
        f"/inspections/{inspection.pk}/recommendations",
        {
            "text": "Nhân rộng mô hình",
            "body": setup["committee"].pk,
        },
    )
    assert r.status_code == 302
    page = c.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "Nhân rộng mô hình" in page and "Trụ sở Tỉnh ủy" in page
    r = c.post(f"/inspections/{inspection.pk}/close")
    assert r.status_code == 302 and inspection.__class__.objects.get().closed_on is None


def test_the_demo_walks_through_the_seeds_inspection(db):
    from antq.demo.directives import directives_load
    from antq.demo.inspections import inspection_load
    from antq.demo.seed import demo_load
    from antq.inspections.models import Inspection

    demo_load()
    directives_load()
    assert inspection_load() is True
    assert inspection_load() is False  # once
    inspection = Inspection.objects.get(title__startswith="Kiểm tra kết quả thực hiện Kết luận")
    under_way = Inspection.objects.exclude(pk=inspection.pk).get()
    assert under_way.closed_on is None and under_way.conclusion is None
    assert under_way.sessions.count() == 1
    sessions = list(inspection.sessions.select_related("body"))
    assert [s.body.code for s in sessions] == [
        "ls-dang-uy-cong-an",
        "ls-huyen-uy-182",
        "ls-tinh-uy",
    ]
    last = timezone.localtime(sessions[-1].held_at)
    assert (last.date(), last.hour >= 12) == (dt.date(2023, 3, 10), True)  # that afternoon
    recs = list(inspection.recommendations.all())
    assert len(recs) == 3
    assert {selectors.recommendation_state(r, dt.date(2025, 1, 15)) for r in recs} <= {
        "done",
        "done_late",
    }
    assert inspection.closed_on == dt.date(2025, 1, 15)
    assert inspection.conclusion.is_illustrative
    titles = " ".join(m.title for m in inspection.members.all())
    assert "Phó Trưởng Ban Nội chính Trung ương" in titles


def test_the_api_lists_and_shows_inspections_within_reach(setup):
    from antq.accounts.services import token_create

    inspection = setup["inspection"]
    services.conclusion_issue(
        actor=None, inspection=inspection, symbol="08-TB/BNCTW", issued_on=setup["today"]
    )
    services.recommendation_add(
        actor=None, inspection=inspection, text="Tuyên truyền", body=setup["committee"], due_on=None
    )
    c = Client()
    key = token_create(user=setup["member"]).key
    body = c.get("/api/v1/inspections/", HTTP_AUTHORIZATION=f"Token {key}").json()
    assert (
        [r["id"] for r in body["results"]] == [inspection.pk]
        if "results" in body
        else ([r["id"] for r in body] == [inspection.pk])
    )
    detail = c.get(
        f"/api/v1/inspections/{inspection.pk}/", HTTP_AUTHORIZATION=f"Token {key}"
    ).json()
    assert detail["conclusion"] == "08-TB/BNCTW" and detail["subjects"] == ["44-KL/TW"]
    assert detail["recommendations"][0]["state"] == "not_started"
    outsider = token_create(user=setup["people"].official).key
    r = c.get(f"/api/v1/inspections/{inspection.pk}/", HTTP_AUTHORIZATION=f"Token {outsider}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_the_conclusion_notice_is_written_from_the_inspection(setup):
    import io

    from docx import Document as read_docx

    from antq.inspections.documents import conclusion_notice
    from antq.inspections.models import FindingKind

    inspection, member, today = setup["inspection"], setup["member"], setup["today"]
    c = Client()
    c.login(username="thanhvien", password=PASSWORD)
    assert c.get(f"/inspections/{inspection.pk}/notice.docx").status_code == 404  # not yet
    services.finding_add(
        actor=member, inspection=inspection, kind=FindingKind.STRENGTH, text="Triển khai nghiêm túc"
    )
    services.finding_add(
        actor=member,
        inspection=inspection,
        kind=FindingKind.SHORTCOMING,
        text="Một số mô hình hoạt động chưa đều",
    )
    services.conclusion_issue(
        actor=member, inspection=inspection, symbol="09-TB/BNCTW", issued_on=today
    )
    services.recommendation_add(
        actor=member,
        inspection=inspection,
        text="Nhân rộng mô hình",
        body=setup["committee"],
        due_on=today + dt.timedelta(days=90),
    )
    notice = conclusion_notice(inspection)
    assert notice.kind_title == "THÔNG BÁO"
    assert notice.letterhead.number_symbol == "Số 09-TB/BNCTW"
    text = " ".join(getattr(b, "text", "") for b in notice.blocks)
    assert "Kết luận số 44-KL/TW" in text and "Triển khai nghiêm túc" in text
    assert "Một số mô hình hoạt động chưa đều" in text
    assert "1. Nhân rộng mô hình (Cơ quan chịu trách nhiệm: Tỉnh ủy Lạng Sơn; thời hạn: " in text
    r = c.get(f"/inspections/{inspection.pk}/notice.docx")
    assert r.status_code == 200 and r["Content-Disposition"].endswith('.docx"')
    doc = read_docx(io.BytesIO(r.content))
    assert any(p.text == "THÔNG BÁO" for p in doc.paragraphs)
    assert c.get(f"/inspections/{inspection.pk}/notice.pdf").content.startswith(b"%PDF")
    assert c.get(f"/inspections/{inspection.pk}/notice.exe").status_code == 404
    outsider = Client()
    outsider.login(username="official", password=PASSWORD)
    assert outsider.get(f"/inspections/{inspection.pk}/notice.pdf").status_code == 404
