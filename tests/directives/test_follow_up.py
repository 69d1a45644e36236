"""Scope of plans and assignments, derived statuses on the pages, reminders."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command

from antq.core.models import Notification
from antq.directives.models import ProgressReport
from antq.directives.selectors import assignments_visible_to, documents_visible_to, plan_dashboard
from antq.directives.services import progress_report_create
from antq.directives.status import Status
from tests.directives.conftest import assignment_of

pytestmark = pytest.mark.django_db
D = dt.date


def report(client, assignment, **data):
    payload = {
        "reported_on": "27/04/2019",
        "text": "Đã ban hành kế hoạch",
        "completed": "on",
        **data,
    }
    return client.post(f"/documents/assignments/{assignment.pk}/", payload)


def test_a_district_official_sees_only_its_own_assignments(chain):
    mine = set(assignments_visible_to(chain.district_official).values_list("body__code", flat=True))
    assert mine == {"t-hu-vl"}
    everyone = set(assignments_visible_to(chain.manager).values_list("body__code", flat=True))
    assert everyone == {"t-tu", "t-hu-vl", "t-hu-cl"}


def test_a_district_official_reports_on_its_own_assignment(client, chain):
    client.force_login(chain.district_official)
    assignment = assignment_of(chain, chain.van_lang)
    response = report(client, assignment)
    assert response.status_code == 302
    assert ProgressReport.objects.filter(assignment=assignment, completed=True).count() == 1


def test_another_districts_assignment_is_not_found_and_cannot_be_reported(client, chain):
    client.force_login(chain.outsider)
    assignment = assignment_of(chain, chain.van_lang)
    assert client.get(f"/documents/assignments/{assignment.pk}/").status_code == 404
    assert report(client, assignment).status_code == 404
    assert not ProgressReport.objects.exists()


def test_a_provincial_viewer_sees_but_cannot_report(client, chain):
    client.force_login(chain.viewer)
    assignment = assignment_of(chain, chain.van_lang)
    page = client.get(f"/documents/assignments/{assignment.pk}/")
    assert page.status_code == 200 and 'data-testid="report-form"' not in page.content.decode()
    assert report(client, assignment).status_code == 403
    assert not ProgressReport.objects.exists()


def test_a_report_in_the_future_or_before_the_assignment_is_refused(client, chain):
    client.force_login(chain.district_official)
    assignment = assignment_of(chain, chain.van_lang)
    assert report(client, assignment, reported_on="01/01/2019").status_code == 400
    assert report(client, assignment, reported_on="01/01/2099").status_code == 400
    assert report(client, assignment, text="").status_code == 400
    assert not ProgressReport.objects.exists()


def test_statuses_are_derived_from_dates_and_reports(chain):
    progress_report_create(
        assignment=assignment_of(chain, chain.van_lang),
        text="Xong",
        completed=True,
        reported_on=D(2019, 5, 20),
        actor=None,
    )
    progress_report_create(
        assignment=assignment_of(chain, chain.cao_loc),
        text="Xong muộn",
        completed=True,
        reported_on=D(2019, 6, 10),
        actor=None,
    )
    rows = {r.body.code: r for r in plan_dashboard(chain.manager, chain.plan, as_of=D(2019, 7, 1))}
    assert rows["t-hu-vl"].counts[Status.DONE] == 1
    assert rows["t-hu-cl"].counts[Status.DONE_LATE] == 1
    assert rows["t-tu"].counts[Status.OVERDUE] == 1  # the lead body never reported
    before = {
        r.body.code: r for r in plan_dashboard(chain.manager, chain.plan, as_of=D(2019, 5, 1))
    }
    assert before["t-hu-cl"].counts[Status.NOT_STARTED] == 2


def test_the_plan_dashboard_page_shows_the_counts_and_the_chart(client, chain):
    client.force_login(chain.manager)
    response = client.get(f"/documents/{chain.plan.pk}/progress/?as_of=01/07/2019")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="total-overdue">3<' in html  # 3 bodies missed the deadline
    assert "<svg" in html and 'class="seg-overdue"' in html
    assert client.get(f"/documents/{chain.plan.pk}/progress/?as_of=99/99/2019").status_code == 400


def test_overdue_and_my_tasks_pages(client, chain):
    client.force_login(chain.district_official)
    html = client.get("/documents/tasks/mine/").content.decode()
    assert "Xây dựng kế hoạch thực hiện" in html and "Huyện ủy Cao Lộc" not in html
    overdue = client.get("/documents/tasks/overdue/?as_of=01/07/2019").content.decode()
    assert "Huyện ủy Văn Lãng" in overdue and "Huyện ủy Cao Lộc" not in overdue


def test_remind_notifies_due_and_overdue_work_once(chain, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    chain.district_official.email = "vanlang@example.vn"
    chain.district_official.save()
    out = io.StringIO()
    call_command("remind", "--today", "2019-05-25", "--days", "7", stdout=out)
    assert "3 nhiệm vụ sắp đến hạn" in out.getvalue()
    notice = Notification.objects.get(user=chain.district_official)
    assert notice.kind == "due_soon" and "31/05/2019" in notice.title
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["vanlang@example.vn"]
    call_command("remind", "--today", "2019-05-25", stdout=io.StringIO())
    assert Notification.objects.filter(user=chain.district_official).count() == 1
    out = io.StringIO()
    call_command("remind", "--today", "2019-06-10", stdout=out)
    assert "3 nhiệm vụ quá hạn" in out.getvalue()
    assert Notification.objects.filter(user=chain.district_official, kind="overdue").count() == 1


def test_remind_refuses_a_bad_date():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("remind", "--today", "hôm qua")


def test_documents_of_another_district_are_hidden(chain):
    from antq.directives.models import DocumentKind
    from antq.directives.services import document_create

    other = document_create(
        actor=None,
        kind=DocumentKind.PLAN,
        symbol="45-KH/HU",
        issuer=chain.cao_loc,
        issued_on=D(2019, 5, 2),
        subject="Kế hoạch của Huyện ủy Cao Lộc",
    )
    visible = set(documents_visible_to(chain.district_official))
    assert chain.conclusion in visible and chain.plan in visible and other not in visible
    assert other in set(documents_visible_to(chain.manager))


def test_a_file_is_served_only_to_readers_of_the_document(client, chain, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from antq.directives.models import DocumentKind
    from antq.directives.services import document_create

    settings.MEDIA_ROOT = tmp_path
    doc = document_create(
        actor=None,
        kind=DocumentKind.PLAN,
        symbol="45-KH/HU",
        issuer=chain.cao_loc,
        issued_on=D(2019, 5, 2),
        subject="Kế hoạch",
        file=SimpleUploadedFile("kh.pdf", b"%PDF-1.4 x"),
    )
    client.force_login(chain.outsider)
    response = client.get(f"/documents/{doc.pk}/file/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(chain.district_official)
    assert client.get(f"/documents/{doc.pk}/file/").status_code == 404
    assert client.get(f"/documents/{doc.pk}/").status_code == 404


def test_reminders_appear_on_the_notices_page_until_read(client, chain):
    call_command("remind", "--today", "2019-05-25", stdout=io.StringIO())
    client.force_login(chain.district_official)
    html = client.get("/").content.decode()
    assert (
        'data-testid="notifications-link">Thông báo <span class="badge text-bg-warning">1<' in html
    )
    page = client.get("/notifications/").content.decode()
    assert "Xây dựng kế hoạch thực hiện" in page
    client.post("/notifications/")
    assert "badge text-bg-warning" not in client.get("/").content.decode()
    client.force_login(chain.outsider)  # notices are personal: Cao Lộc sees only its own
    other = client.get("/notifications/").content.decode()
    assert "Huyện ủy Cao Lộc" in other and "Huyện ủy Văn Lãng" not in other


def test_hot_pages_do_not_query_per_row(client, chain):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from antq.accounts.services import body_save
    from antq.directives.services import plan_send

    client.force_login(chain.manager)
    pages = [
        f"/documents/{chain.plan.pk}/progress/",
        f"/documents/{chain.plan.pk}/",
        "/documents/tasks/overdue/",
        "/documents/",
    ]

    def counts():
        out = []
        for url in pages:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    before = counts()
    extra = [
        body_save(code=f"t-extra-{i}", name=f"Ban {i}", kind="party_board", area=chain.tinh_uy.area)
        for i in range(10)
    ]
    plan_send(plan=chain.plan, bodies=extra, sent_on=chain.plan.issued_on, actor=None)
    assert counts() == before  # 3 bodies or 13: the same queries
    assert max(before) <= 21  # the document page judges the plan's assignments (overdue?)
