"""Data entry, submission, approval and the results pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from antq.accounts.models import Role
from antq.accounts.services import membership_grant, user_create
from antq.core.models import AuditEvent
from antq.indicators.models import DataSet, DataValue, Submission
from antq.indicators.services import catalogue_install, data_sets_install
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
DS = "phong-trao-hang-thang"


@pytest.fixture
def form(people):
    catalogue_install()
    data_sets_install()
    period = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y%m")
    return people, f"/data/entry/{DS}/06124/{period}/", period


def test_an_official_saves_a_cell_without_reloading(client, form):
    people, url, period = form
    client.force_login(people.official)
    response = client.post(
        url, {"v-MEDIA_ITEMS": "4.512", "c-MEDIA_ITEMS": "báo, đài"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and 'data-testid="entry-saved"' in response.content.decode()
    value = DataValue.objects.get(indicator__code="MEDIA_ITEMS", period=period)
    assert value.value == 4512 and value.comment == "báo, đài" and value.source == "entered"
    page = client.get(url).content.decode()
    assert 'value="4512"' in page


def test_a_cross_indicator_rule_is_shown_on_the_cell_and_nothing_is_saved(client, form):
    people, url, _period = form
    client.force_login(people.official)
    response = client.post(
        url, {"v-TIPS_RECEIVED": "3", "v-TIPS_VALUABLE": "5"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert "không được lớn hơn" in response.content.decode()
    assert not DataValue.objects.exists()


def test_a_bad_number_is_refused_in_vietnamese(client, form):
    people, url, _period = form
    client.force_login(people.official)
    response = client.post(url, {"v-MEDIA_ITEMS": "mười"})
    assert response.status_code == 400 and "không phải là số" in response.content.decode()


def test_another_communes_official_cannot_see_or_enter(client, form):
    people, url, _period = form
    client.force_login(people.outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"v-MEDIA_ITEMS": "1"}).status_code == 404
    client.force_login(people.colleague)  # a viewer of the commune
    assert client.get(url).status_code == 200
    assert client.post(url, {"v-MEDIA_ITEMS": "1"}).status_code == 403
    assert not DataValue.objects.exists()


def test_submit_approve_locks_and_return_unlocks(client, form):
    people, url, period = form
    client.force_login(people.official)
    client.post(url, {"v-MEDIA_ITEMS": "7"})
    client.post(url + "submit/")
    sub = Submission.objects.get(period=period)
    assert sub.status == "submitted"
    response = client.post(url, {"v-MEDIA_ITEMS": "8"})
    assert response.status_code == 400  # locked while waiting
    client.force_login(people.manager)
    inbox = client.get("/data/approvals/").content.decode()
    assert "Xã Na Sầm" in inbox
    client.post(f"/data/approvals/{sub.pk}/", {"decision": "return", "reason": ""})
    sub.refresh_from_db()
    assert sub.status == "submitted"  # a return needs a reason
    client.post(
        f"/data/approvals/{sub.pk}/", {"decision": "return", "reason": "Kiểm tra lại số tin bài"}
    )
    sub.refresh_from_db()
    assert sub.status == "returned" and sub.return_reason == "Kiểm tra lại số tin bài"
    client.force_login(people.official)
    assert client.post(url, {"v-MEDIA_ITEMS": "8"}).status_code == 302
    client.post(url + "submit/")
    client.force_login(people.manager)
    client.post(f"/data/approvals/{sub.pk}/", {"decision": "approve"})
    sub.refresh_from_db()
    assert sub.status == "approved"
    assert AuditEvent.objects.filter(action="indicators.approve").exists()
    # approved data is locked for every path, imports included
    from antq.indicators.services import ValueErrors, ValueInput, values_save

    with pytest.raises(ValueErrors) as caught:
        values_save([ValueInput("MEDIA_ITEMS", "06124", period, 9, where="line 2")], actor=None)
    assert "line 2" in caught.value.problems[0]
    assert DataValue.objects.get(period=period).value == 8


def test_an_official_cannot_approve(client, form):
    people, url, period = form
    client.force_login(people.official)
    client.post(url, {"v-MEDIA_ITEMS": "7"})
    client.post(url + "submit/")
    sub = Submission.objects.get(period=period)
    assert client.post(f"/data/approvals/{sub.pk}/", {"decision": "approve"}).status_code == 404
    sub.refresh_from_db()
    assert sub.status == "submitted"


def test_late_entry_needs_an_approver_of_the_level_above(client, form):
    people, _url, _period = form
    url = f"/data/entry/{DS}/06124/202507/"  # long closed
    client.force_login(people.official)
    response = client.post(url, {"v-MEDIA_ITEMS": "1"})
    assert response.status_code == 400 and not DataValue.objects.exists()
    # the commune's own manager may approve nothing of the commune: no late entry either
    commune_manager = user_create(username="truongca", password=PASSWORD)
    membership_grant(
        user=commune_manager, body=people.na_sam, role=Role.MANAGER, valid_from=dt.date(2025, 7, 1)
    )
    client.force_login(commune_manager)
    assert client.post(url, {"v-MEDIA_ITEMS": "1"}).status_code == 400
    assert not DataValue.objects.exists()
    client.force_login(people.manager)  # the provincial police
    assert client.post(url, {"v-MEDIA_ITEMS": "1"}).status_code == 302
    assert DataValue.objects.filter(period="202507").exists()


def test_a_commune_never_approves_or_returns_its_own_report(client, form):
    """The level above approves: an approver of the commune's own body is refused."""
    from antq.indicators.services import submission_decide

    people, url, period = form
    approver = user_create(username="duyet", password=PASSWORD)
    membership_grant(
        user=approver, body=people.na_sam, role=Role.APPROVER, valid_from=dt.date(2025, 7, 1)
    )
    client.force_login(people.official)
    client.post(url, {"v-MEDIA_ITEMS": "7"})
    client.post(url + "submit/")
    sub = Submission.objects.get(period=period)
    client.force_login(approver)
    assert "Xã Na Sầm" not in client.get("/data/approvals/").content.decode()
    for decision in ({"decision": "approve"}, {"decision": "return", "reason": "sai"}):
        assert client.post(f"/data/approvals/{sub.pk}/", decision).status_code == 404
    with pytest.raises(PermissionDenied):
        submission_decide(submission=sub, approve=True, actor=approver)
    sub.refresh_from_db()
    assert sub.status == "submitted"
    assert not AuditEvent.objects.filter(action__in=["indicators.approve", "indicators.return"])
    client.force_login(people.manager)  # the provincial police: the level above
    assert "Xã Na Sầm" in client.get("/data/approvals/").content.decode()
    assert client.post(f"/data/approvals/{sub.pk}/", {"decision": "approve"}).status_code == 302
    sub.refresh_from_db()
    assert sub.status == "approved"


def test_the_results_page_shows_the_totals_in_both_modes(client, form):
    from antq.indicators.services import ValueInput, values_save

    people, _url, _period = form
    values_save(
        [
            ValueInput("MEDIA_ITEMS", "06157", "201903", 5),
            ValueInput("MEDIA_ITEMS", "06172", "202206", 10),
        ],
        actor=None,
    )
    client.force_login(people.manager)
    for mode in ("historic", "current"):
        html = client.get(
            f"/data/results/?indicator=MEDIA_ITEMS&area=20&start=2019&end=2022&mode={mode}"
        ).content.decode()
        assert 'data-testid="dashboard-total">15<' in html
    historic = client.get(
        "/data/results/?indicator=MEDIA_ITEMS&area=20&start=2019&end=2022&mode=historic"
    ).content.decode()
    assert "Huyện Văn Lãng" in historic
    current = client.get(
        "/data/results/?indicator=MEDIA_ITEMS&area=20&start=2019&end=2022&mode=current"
    ).content.decode()
    assert (
        "Xã Na Sầm" in current
        and "Huyện Văn Lãng" not in current.split('data-testid="dashboard-table"')[1]
    )
    # A commune has no units below it: its results are its own row, not an empty table.
    values_save([ValueInput("MEDIA_ITEMS", "06124", "202602", 4)], actor=None)
    commune = client.get(
        "/data/results/?indicator=MEDIA_ITEMS&area=06124&start=202601&end=202603"
    ).content.decode()
    assert 'data-testid="dashboard-total">4<' in commune and "Xã Na Sầm" in commune
    sheet = client.get("/data/results.xlsx?indicator=MEDIA_ITEMS&area=06124&start=2026&end=2026")
    import io

    import openpyxl

    cells = [
        c.value
        for ws in openpyxl.load_workbook(io.BytesIO(sheet.content)).worksheets
        for row in ws.iter_rows()
        for c in row
    ]
    assert sheet.status_code == 200 and "Xã Na Sầm" in cells and 4 in cells
    backwards = client.get("/data/results/?indicator=MEDIA_ITEMS&area=20&start=2022&end=2019")
    assert "Kỳ kết thúc ở trước kỳ bắt đầu." in backwards.content.decode()
    bad = client.get("/data/results/?indicator=MEDIA_ITEMS&area=20&start=2019Q9&end=2022")
    assert bad.status_code == 400 and 'data-testid="dashboard-error"' in bad.content.decode()
    client.force_login(people.official)
    assert (
        client.get("/data/results/?indicator=MEDIA_ITEMS&area=20&start=2019&end=2022").status_code
        == 403
    )


def test_completeness_counts_expected_and_submitted_reports(client, form):
    people, url, period = form
    client.force_login(people.official)
    client.post(url, {"v-MEDIA_ITEMS": "7"})
    client.post(url + "submit/")
    client.force_login(people.manager)
    html = client.get(f"/data/completeness/?ds={DS}&area=20&period={period}").content.decode()
    assert 'data-testid="completeness"' in html and "Xã Na Sầm" in html
    ds = DataSet.objects.get(code=DS)
    from antq.areas.selectors import area_by_code
    from antq.indicators.periods import parse_period
    from antq.indicators.selectors import completeness

    result = completeness(ds, area_by_code("20", timezone.localdate()), parse_period(period))
    due = parse_period(period).end() + dt.timedelta(days=ds.close_days)
    assert (result.expected, result.submitted) == (65, 1)
    assert result.on_time == (1 if timezone.localdate() <= due else 0)


def test_the_history_of_a_value_lists_its_changes(client, form):
    people, url, period = form
    client.force_login(people.official)
    client.post(url, {"v-MEDIA_ITEMS": "7"})
    client.post(url, {"v-MEDIA_ITEMS": "9"})
    html = client.get(f"/data/history/MEDIA_ITEMS/06124/{period}/").content.decode()
    assert html.count("<tr>") >= 3 and ">9<" in html


def _count_from_registry(codes: list[str]) -> None:
    """Mark indicators as counted from a registry since 2019 (as `antq derive --link` does),
    without the registry: the form only reads the counts."""
    from antq.indicators.models import Indicator

    Indicator.objects.filter(code__in=codes).update(
        derived_source="test.count", derived_from=dt.date(2019, 1, 1)
    )


def test_the_entry_form_asks_for_its_counted_cells_once_per_period(client, form):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from antq.indicators.periods import parse_period
    from antq.indicators.services import ValueInput, values_save

    people, url, period = form
    previous = parse_period(period).shift(-1).code
    client.force_login(people.official)
    values_save(
        [
            ValueInput("MEDIA_ITEMS", "06124", period, 7),
            ValueInput("MEDIA_ITEMS", "06124", previous, 5),
            ValueInput("SM_MODELS_ACTIVE", "06124", previous, 3),
        ],
        actor=None,
        source="derived",
    )
    _count_from_registry(["MEDIA_ITEMS", "TIPS_RECEIVED"])
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    _count_from_registry(
        ["MEDIA_ITEMS", "TIPS_RECEIVED", "TIPS_VALUABLE", "SM_MODELS_ACTIVE", "MEDIATIONS"]
    )
    with CaptureQueriesContext(connection) as five:
        page = client.get(url).content.decode()
    # More counted cells, not more queries: one question to the engine per period.
    assert len(five) == len(two)
    assert 'data-testid="counted-MEDIA_ITEMS">7<' in page
    assert 'data-testid="counted-SM_MODELS_ACTIVE">—<' in page  # nothing counted this month
    assert 'name="v-MEDIATIONS"' not in page and 'name="v-MEETINGS_HELD"' in page
    rows = {
        code: page.split(f'for="v-{code}"')[1].split("</tr>")[0]
        for code in ("MEDIA_ITEMS", "SM_MODELS_ACTIVE", "TIPS_RECEIVED")
    }
    assert '<td class="num text-muted">5</td>' in rows["MEDIA_ITEMS"]  # the month before
    assert '<td class="num text-muted">3</td>' in rows["SM_MODELS_ACTIVE"]
    assert '<td class="num text-muted">—</td>' in rows["TIPS_RECEIVED"]


def test_completeness_of_a_province_costs_the_same_queries_as_of_one_commune(client, form):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from antq.areas.selectors import area_by_code
    from antq.indicators.periods import parse_period
    from antq.indicators.selectors import completeness_of

    people, url, period = form
    client.force_login(people.official)
    client.post(url, {"v-MEDIA_ITEMS": "7"})
    client.post(url + "submit/")
    client.force_login(people.manager)
    client.get(f"/data/completeness/?ds={DS}&area=06124&period={period}")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/data/completeness/?ds={DS}&area=06124&period={period}")
    with CaptureQueriesContext(connection) as province:
        html = client.get(f"/data/completeness/?ds={DS}&area=20&period={period}").content.decode()
    assert len(province) == len(one)
    assert html.count("<tr>") == 66  # the heading and the 65 communes
    # Nested areas each count the units under them: the province, a commune of it, another.
    on = parse_period(period).start()
    rows = completeness_of(
        DataSet.objects.get(code=DS),
        [area_by_code("20", on), area_by_code("06124", on), area_by_code("06172", on)],
        parse_period(period),
    )
    assert [(r.area.code, r.expected, r.submitted) for r in rows] == [
        ("20", 65, 1),
        ("06124", 1, 1),
        ("06172", 1, 0),
    ]


def test_a_report_decided_meanwhile_is_not_decided_again(client, form):
    """Two approvers open the inbox; the first approves; the second's return, sent from the
    page loaded before, is refused instead of overturning the approval."""
    from antq.indicators.services import EntryErrors, submission_decide

    people, url, _period = form
    client.force_login(people.official)
    client.post(url, {"v-MEDIA_ITEMS": "7"})
    client.post(url + "submit/")
    stale = Submission.objects.get()
    submission_decide(submission=Submission.objects.get(), approve=True, actor=people.manager)
    assert stale.status == "submitted"  # what the second approver's page showed
    with pytest.raises(EntryErrors):
        submission_decide(submission=stale, approve=False, actor=people.manager, reason="sai")
    assert Submission.objects.get().status == "approved"
    assert AuditEvent.objects.filter(action="indicators.return").count() == 0
    # Through the page: the same refusal, as a message.
    client.force_login(people.manager)
    response = client.post(
        f"/data/approvals/{stale.pk}/", {"decision": "return", "reason": "sai"}, follow=True
    )
    assert "alert-danger" in response.content.decode()
    assert Submission.objects.get().status == "approved"


def test_two_officials_on_the_same_form_do_not_overwrite_each_other(client, form):
    """Each save writes only the cells its user changed since the form was opened; a cell
    both changed is refused with the other's figure, not silently overwritten."""
    from django.test import Client

    people, url, period = form
    other = user_create(username="second", password=PASSWORD, full_name="Second")
    membership_grant(
        user=other, body=people.na_sam, role=Role.DATA_ENTRY, valid_from=dt.date(2025, 7, 1)
    )
    a, b = Client(), Client()
    a.force_login(people.official)
    b.force_login(other)
    a.post(url, {"v-MEDIA_ITEMS": "5"})  # the figure both see when they open the form

    def value(code):
        row = DataValue.objects.filter(indicator__code=code, period=period).first()
        return row.value if row else None

    shown = {
        "o-MEDIA_ITEMS": "5",
        "oc-MEDIA_ITEMS": "",
        "o-TIPS_RECEIVED": "",
        "oc-TIPS_RECEIVED": "",
    }
    saved = a.post(
        url, {**shown, "v-MEDIA_ITEMS": "7", "v-TIPS_RECEIVED": ""}, HTTP_HX_REQUEST="true"
    )
    assert saved.status_code == 200 and value("MEDIA_ITEMS") == 7
    # the answer refreshes what the form counts as shown, so A's next edit is not a conflict
    assert 'id="o-MEDIA_ITEMS" name="o-MEDIA_ITEMS" value="7" hx-swap-oob="true"' in (
        saved.content.decode()
    )
    # B opened the form at 5 and changes only the tips: the 5 still on B's screen is not written
    b.post(url, {**shown, "v-MEDIA_ITEMS": "5", "v-TIPS_RECEIVED": "3"}, HTTP_HX_REQUEST="true")
    assert value("MEDIA_ITEMS") == 7 and value("TIPS_RECEIVED") == 3
    # B now changes the media figure A changed too: refused, with A's figure, nothing saved
    clash = b.post(
        url,
        {**shown, "v-MEDIA_ITEMS": "9", "v-TIPS_RECEIVED": "4", "o-TIPS_RECEIVED": "3"},
        HTTP_HX_REQUEST="true",
    )
    assert clash.status_code == 422 and "7" in clash.content.decode()
    assert value("MEDIA_ITEMS") == 7 and value("TIPS_RECEIVED") == 3
    # A's next edit from the refreshed form goes through
    again = {**shown, "o-MEDIA_ITEMS": "7", "o-TIPS_RECEIVED": "3"}
    a.post(url, {**again, "v-MEDIA_ITEMS": "8", "v-TIPS_RECEIVED": "3"}, HTTP_HX_REQUEST="true")
    assert value("MEDIA_ITEMS") == 8 and value("TIPS_RECEIVED") == 3
