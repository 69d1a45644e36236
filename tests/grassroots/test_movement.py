"""The annual assessment of the movement (criteria sheet of 100 points, self-assessment,
review by the level above, class) and the “An toàn về an ninh, trật tự” recognitions
(Thông tư 124/2021/TT-BCA): the arithmetic, the rules, the counts they feed, the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from antq.areas.selectors import area_by_code
from antq.grassroots import services
from antq.grassroots.models import MovementAssessment, SafetyRecognition
from antq.indicators import derived
from antq.indicators.engine import analytics
from antq.indicators.models import Indicator
from antq.indicators.periods import parse_period
from antq.indicators.services import catalogue_install

pytestmark = pytest.mark.django_db
D = dt.date
YEAR = 2025


@pytest.fixture
def sheet():
    catalogue_install()
    services.registries_install(start=D(2019, 1, 1))
    return services.sheet_save(
        actor=None, year=YEAR, name="Tiêu chí thử", criteria=list(services.STANDARD_CRITERIA)
    )


def na_sam():
    return area_by_code("06124", D(YEAR, 12, 31))


def count(code: str, area_code: str = "20", year: int = YEAR) -> Decimal:
    on = D(year, 12, 31)
    return analytics(
        indicators=[Indicator.objects.get(code=code)],
        area=area_by_code(area_code, on),
        start=parse_period(str(year)),
        end=parse_period(str(year)),
        on=on,
    ).total


def test_the_standard_sheet_adds_up_to_100_and_a_bad_sheet_is_refused(sheet):
    assert sum(c.max_points for c in sheet.criteria.all()) == 100
    with pytest.raises(services.RecordErrors) as exc:
        services.sheet_save(actor=None, year=2024, name="Sai", criteria=[("Một", 60), ("Hai", 30)])
    assert "90" in exc.value.errors[""]
    with pytest.raises(services.RecordErrors) as exc:
        services.sheet_save(
            actor=None,
            year=2024,
            name="Sai",
            criteria=[("Một", 60), ("Hai", 40)],
            excellent_from=70,
            good_from=80,
        )
    assert "thresholds" in exc.value.errors


def test_self_assessment_review_and_class_arithmetic(sheet, people):
    points = {c.number: c.max_points for c in sheet.criteria.all()}
    points[1] = Decimal("7.5")  # 10 → 7.5
    points[3] = Decimal("12")  # 15 → 12
    a = services.assessment_self(actor=people.official, sheet=sheet, area=na_sam(), points=points)
    assert a.status == "draft" and a.self_total == Decimal("94.5")
    a = services.assessment_self(
        actor=people.official, sheet=sheet, area=na_sam(), points={}, submit=True
    )
    assert a.status == "submitted"
    with pytest.raises(services.RecordErrors):  # locked once submitted
        services.assessment_self(actor=people.official, sheet=sheet, area=na_sam(), points=points)
    # The commune's own people cannot review it; the province can.
    with pytest.raises(PermissionDenied):
        services.assessment_review(actor=people.official, assessment=a, points={})
    reviewed = services.assessment_review(
        actor=people.manager, assessment=a, points={6: "10", 7: "8,5"}, note="trừ điểm"
    )
    # 94.5 - (15 - 10) - (10 - 8.5) = 88 → good (excellent from 90)
    assert reviewed.review_total == Decimal("88") and reviewed.classification == "kha"
    assert count("MOVEMENT_CLASS_GOOD") == 1 and count("MOVEMENT_CLASS_EXCELLENT") == 0
    assert count("MOVEMENT_CLASS_GOOD", year=YEAR - 1) == 0
    # Reviewed again: the class and the counts follow.
    services.assessment_review(actor=people.manager, assessment=a, points={6: "15", 7: "10"})
    a.refresh_from_db()
    assert a.review_total == Decimal("94.5") and a.classification == "xuat_sac"
    assert count("MOVEMENT_CLASS_GOOD") == 0 and count("MOVEMENT_CLASS_EXCELLENT") == 1
    behind = derived.records_behind(
        Indicator.objects.get(code="MOVEMENT_CLASS_EXCELLENT"),
        area_by_code("20", D(YEAR, 12, 31)),
        parse_period(str(YEAR)),
        parse_period(str(YEAR)),
    )
    assert [r.pk for r, _u, _d in behind.records] == [a.pk]


def test_points_outside_a_criterion_are_refused_and_nothing_is_saved(sheet, people):
    with pytest.raises(services.RecordErrors) as exc:
        services.assessment_self(
            actor=people.official,
            sheet=sheet,
            area=na_sam(),
            points={1: "11", 2: "-1", 3: "abc", 4: "2,345"},
        )
    assert set(exc.value.errors) == {"c1", "c2", "c3", "c4"}
    assert "10" in exc.value.errors["c1"]
    assert (
        not MovementAssessment.objects.exists()
        or not MovementAssessment.objects.get().scores.exists()
    )
    with pytest.raises(services.RecordErrors) as exc:  # submitting needs every criterion
        services.assessment_self(
            actor=people.official, sheet=sheet, area=na_sam(), points={1: "5"}, submit=True
        )
    assert "c2" in exc.value.errors
    with pytest.raises(PermissionDenied):  # another commune's official
        services.assessment_self(actor=people.outsider, sheet=sheet, area=na_sam(), points={1: "5"})
    with pytest.raises(services.RecordErrors):  # a review before the commune submits
        a = services.assessment_self(
            actor=people.official, sheet=sheet, area=na_sam(), points={1: "5"}
        )
        services.assessment_review(actor=people.manager, assessment=a, points={})


def test_a_sheet_that_does_not_add_up_cannot_be_used(sheet, people):
    c = sheet.criteria.get(number=1)
    c.max_points = 5  # an administrator's slip in the admin site
    c.save()
    with pytest.raises(services.RecordErrors) as exc:
        services.assessment_self(actor=people.official, sheet=sheet, area=na_sam(), points={1: "5"})
    assert "95" in exc.value.errors[""]


def test_recognitions_register_in_the_first_quarter_and_count_at_the_year_end(sheet, people):
    with pytest.raises(services.RecordErrors) as exc:
        services.recognition_save(
            actor=people.official, area=na_sam(), year=YEAR, registered_on=D(YEAR, 4, 2)
        )
    assert "registered_on" in exc.value.errors
    r = services.recognition_save(
        actor=people.official, area=na_sam(), year=YEAR, registered_on=D(YEAR, 2, 10)
    )
    assert r.result == "registered"
    assert count("SAFE_AREAS_REGISTERED") == 1 and count("SAFE_AREAS_RECOGNISED") == 0
    with pytest.raises(services.RecordErrors) as exc:  # decided in spring, no decision number
        services.recognition_save(
            actor=people.official,
            area=na_sam(),
            year=YEAR,
            registered_on=D(YEAR, 2, 10),
            result="recognised",
            decided_on=D(YEAR, 5, 1),
        )
    assert {"decided_on", "decision_number"} <= set(exc.value.errors)
    services.recognition_save(
        actor=people.official,
        area=na_sam(),
        year=YEAR,
        registered_on=D(YEAR, 2, 10),
        result="recognised",
        decided_on=D(YEAR, 12, 20),
        decision_number="15/QĐ-UBND",
    )
    assert SafetyRecognition.objects.count() == 1
    assert count("SAFE_AREAS_RECOGNISED") == 1 and count("SAFE_AREAS_REGISTERED") == 1
    # Counted at the year's end only: a quarter before it holds none.
    on = D(YEAR, 6, 30)
    assert (
        analytics(
            indicators=[Indicator.objects.get(code="SAFE_AREAS_RECOGNISED")],
            area=area_by_code("20", on),
            start=parse_period(f"{YEAR}Q2"),
            end=parse_period(f"{YEAR}Q2"),
            on=on,
        ).total
        == 0
    )


def test_the_pages_self_assess_review_and_show_the_shares(client, sheet, people):
    client.force_login(people.official)
    page = client.get("/registries/assessments/", {"year": YEAR, "area": "06124"})
    assert page.status_code == 200 and 'data-testid="self-assess-06124"' in page.content.decode()
    url = f"/registries/assessments/{YEAR}/06124/"
    bad = client.post(url, {"c1": "12", "action": "save"})
    assert bad.status_code == 400 and "10" in bad.content.decode()
    assert not MovementAssessment.objects.exists()
    full = {f"c{c.number}": str(c.max_points) for c in sheet.criteria.all()}
    done = client.post(url, {**full, "c2": "6", "action": "submit"})
    assert done.status_code == 302
    a = MovementAssessment.objects.get()
    assert a.status == "submitted" and a.self_total == 96
    # the commune's own page offers no review; the province's manager reviews
    assert 'data-testid="assessment-review"' not in client.get(done.url).content.decode()
    assert client.post(done.url, {"c1": "1"}).status_code == 403
    client.force_login(people.manager)
    assert 'data-testid="assessment-review"' in client.get(done.url).content.decode()
    client.post(done.url, {**full, "c2": "6", "c3": "5", "note": "ok"})
    a.refresh_from_db()
    assert a.review_total == 86 and a.classification == "kha"
    shares = client.get("/registries/assessments/", {"year": YEAR, "area": "20"}).content.decode()
    assert "100%" in shares  # the one reviewed commune is good: 100% of those reviewed
    # another commune's official does not see it
    client.force_login(people.outsider)
    assert client.get(done.url).status_code == 404


def test_the_recognitions_page(client, sheet, people):
    client.force_login(people.official)
    url = f"/registries/recognitions/?year={YEAR}"
    bad = client.post(
        url, {"year": YEAR, "area_code": "06124", "registered_on": "02/05/" + str(YEAR)}
    )
    assert bad.status_code == 400 and not SafetyRecognition.objects.exists()
    ok = client.post(
        url,
        {
            "year": YEAR,
            "area_code": "06124",
            "registered_on": f"10/02/{YEAR}",
            "result": "registered",
        },
    )
    assert ok.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-testid="registered">1<' in page
    client.force_login(people.outsider)
    denied = client.post(
        url, {"year": YEAR, "area_code": "06124", "registered_on": f"10/02/{YEAR}"}
    )
    assert denied.status_code == 403


def test_the_lists_download_as_excel(client, sheet, people):
    import io

    import openpyxl

    services.recognition_save(
        actor=people.official, area=na_sam(), year=YEAR, registered_on=D(YEAR, 2, 10)
    )
    a = services.assessment_self(
        actor=people.official,
        sheet=sheet,
        area=na_sam(),
        points={c.number: c.max_points for c in sheet.criteria.all()},
        submit=True,
    )
    services.assessment_review(actor=people.manager, assessment=a, points={1: "9,5"})
    client.force_login(people.manager)
    for url, expect in (
        (
            "/registries/assessments.xlsx",
            ["Xã Na Sầm", "06124", "Đã thẩm định", 100, 99.5, "Xuất sắc"],
        ),
        ("/registries/recognitions.xlsx", ["Xã Na Sầm", "06124"]),
    ):
        response = client.get(url, {"year": YEAR, "area": "20"})
        assert response.status_code == 200
        ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
        data = [r for r in rows if r and r[0] == 1]
        assert len(data) == 1 and data[0][1 : 1 + len(expect)] == expect
    client.force_login(people.outsider)
    response = client.get("/registries/assessments.xlsx", {"year": YEAR, "area": "06172"})
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert not any(row[0] == 1 for row in ws.iter_rows(values_only=True))


def test_the_api_lists_assessments_and_recognitions_in_scope(client, sheet, people):
    services.recognition_save(
        actor=people.official, area=na_sam(), year=YEAR, registered_on=D(YEAR, 2, 10)
    )
    a = services.assessment_self(
        actor=people.official,
        sheet=sheet,
        area=na_sam(),
        points={c.number: c.max_points for c in sheet.criteria.all()},
        submit=True,
    )
    services.assessment_review(actor=people.manager, assessment=a, points={})
    client.force_login(people.manager)
    body = client.get("/api/v1/grassroots/assessments/", {"year": YEAR}).json()
    assert [(r["area"], r["review_total"], r["classification"]) for r in body["results"]] == [
        ("06124", 100, "xuat_sac")
    ]
    body = client.get("/api/v1/grassroots/recognitions/", {"year": YEAR, "area": "20"}).json()
    assert [r["result"] for r in body["results"]] == ["registered"]
    bad = client.get("/api/v1/grassroots/assessments/", {"year": "năm"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    client.force_login(people.outsider)
    assert client.get("/api/v1/grassroots/assessments/", {"year": YEAR}).json()["results"] == []


def test_only_the_body_that_set_the_criteria_sheet_changes_it(client, people):
    from antq.accounts.models import BodyKind, Role
    from antq.accounts.services import body_save, membership_grant, user_create
    from antq.grassroots.models import CriteriaSheet
    from tests.conftest import area

    since = D(2025, 7, 1)
    party_office = body_save(
        code="t-vp-tu", name="Văn phòng Tỉnh ủy", kind=BodyKind.PARTY_BOARD, area=area("20")
    )

    def person(username, body, role):
        user = user_create(username=username, password=None)
        membership_grant(user=user, body=body, role=role, valid_from=since)
        return user

    commune_manager = person("truongca", people.na_sam, Role.MANAGER)
    party_manager = person("vanphong", party_office, Role.MANAGER)
    police_admin = person("quantri", people.province_police, Role.ADMINISTRATOR)
    url = "/registries/assessments/sheet/"
    # a commune does not set the criteria it is assessed on
    client.force_login(commune_manager)
    assert client.post(url, {"year": YEAR}).status_code == 403
    assert not CriteriaSheet.objects.exists()
    client.force_login(people.manager)  # the provincial police
    assert client.post(url, {"year": YEAR}).status_code == 302
    sheet = CriteriaSheet.objects.get(year=YEAR)
    assert sheet.owner == people.province_police
    custom = [("Tiêu chí riêng của tỉnh", 100)]
    services.sheet_save(actor=people.manager, year=YEAR, name=sheet.name, criteria=custom)
    # another body's manager may not replace it
    for user in (party_manager, commune_manager):
        client.force_login(user)
        assert client.post(url, {"year": YEAR}).status_code == 403
        with pytest.raises(PermissionDenied):
            services.sheet_save(actor=user, year=YEAR, name="Khác", criteria=custom)
    assert [c.text for c in CriteriaSheet.objects.get(year=YEAR).criteria.all()] == [custom[0][0]]
    # the body's administrator may
    client.force_login(police_admin)
    assert client.post(url, {"year": YEAR}).status_code == 302
    assert CriteriaSheet.objects.get(year=YEAR).criteria.count() == len(services.STANDARD_CRITERIA)
