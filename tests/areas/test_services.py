"""Reloading the official files, succession shares and parent links."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from antq.areas import selectors
from antq.areas.models import Area, AreaLink, AreaTreePath, Kind, Level, Succession
from antq.areas.services import area_link_create, areas_load, succession_set_shares
from antq.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Service errors are translated; these tests read the English source messages.
    with translation.override("en"):
        yield


REFORM = dt.date(2025, 7, 1)


def snapshot():
    return (
        Area.objects.count(),
        AreaLink.objects.count(),
        Succession.objects.count(),
        AreaTreePath.objects.count(),
    )


def test_loading_again_changes_nothing_and_keeps_area_ids(national_plan):
    before = snapshot()
    vinh_trai = selectors.area_by_code("05977", dt.date(2022, 1, 1))
    result = areas_load(national_plan)
    assert result.created == 0 and result.updated == 0
    assert snapshot() == before
    assert selectors.area_by_code("05977", dt.date(2022, 1, 1)).pk == vinh_trai.pk


def test_setup_skips_files_it_has_already_loaded(capsys):
    call_command("load_areas")
    call_command("setup")
    out = capsys.readouterr().out
    assert "Đã nạp danh mục" in out
    assert "đã được nạp trước đó, không thay đổi" in out


def test_an_administrator_sets_split_shares_and_a_reload_keeps_them(national_plan, people):
    ngoc_ha = selectors.area_by_code("00016", dt.date(2022, 1, 1))
    rows = list(Succession.objects.filter(predecessor=ngoc_ha).order_by("successor__code"))
    shares = {rows[0].successor_id: Decimal("0.7"), rows[1].successor_id: Decimal("0.3")}
    succession_set_shares(
        predecessor=ngoc_ha, effective_date=REFORM, shares=shares, actor=people.manager
    )
    areas_load(national_plan)
    got = {s.area.pk: s.share for s in selectors.area_successors(ngoc_ha, REFORM)}
    assert got == shares
    event = AuditEvent.objects.filter(action="areas.succession_shares").get()
    assert event.actor == people.manager


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (("0.5", "0.4"), "add up to exactly 1"),
        (("1.5", "-0.5"), "between 0 and 1"),
    ],
)
def test_shares_that_do_not_add_up_are_refused(people, values, message):
    ngoc_ha = selectors.area_by_code("00016", dt.date(2022, 1, 1))
    rows = list(Succession.objects.filter(predecessor=ngoc_ha).order_by("successor__code"))
    shares = {r.successor_id: Decimal(v) for r, v in zip(rows, values, strict=True)}
    with pytest.raises(ValueError, match=message):
        succession_set_shares(predecessor=ngoc_ha, effective_date=REFORM, shares=shares, actor=None)
    assert [s.share for s in Succession.objects.filter(predecessor=ngoc_ha)] == [Decimal("0.5")] * 2


def test_shares_must_name_every_successor(people):
    ngoc_ha = selectors.area_by_code("00016", dt.date(2022, 1, 1))
    row = Succession.objects.filter(predecessor=ngoc_ha).first()
    with pytest.raises(ValueError, match="every successor"):
        succession_set_shares(
            predecessor=ngoc_ha,
            effective_date=REFORM,
            shares={row.successor_id: Decimal(1)},
            actor=None,
        )


def test_a_village_added_under_a_commune_joins_the_subtree(people):
    na_sam = selectors.area_by_code("06124", dt.date(2026, 1, 1))
    village = Area.objects.create(
        code="06124-001",
        name="Thôn Minh Họa",
        level=Level.VILLAGE,
        kind=Kind.VILLAGE,
        valid_from=REFORM,
        source="admin",
    )
    area_link_create(
        child=village, parent=na_sam, valid_from=REFORM, valid_to=None, actor=people.manager
    )
    lang_son = selectors.area_by_code("20", dt.date(2026, 1, 1))
    assert village in selectors.area_subtree(lang_son, dt.date(2026, 1, 1), level=Level.VILLAGE)
    assert [a.code for a in selectors.area_ancestors(village, dt.date(2026, 1, 1))] == [
        "VN",
        "20",
        "06124",
    ]
    with pytest.raises(ValueError, match="already has a parent"):
        area_link_create(child=village, parent=na_sam, valid_from=REFORM, valid_to=None, actor=None)
    with pytest.raises(ValueError, match="higher level"):
        area_link_create(child=na_sam, parent=village, valid_from=REFORM, valid_to=None, actor=None)


def test_the_set_shares_command_lists_and_sets_shares():
    import io

    from django.core.management import CommandError

    out = io.StringIO()
    call_command("set_shares", "00016", "--on", "2022-01-01", stdout=out)
    listed = dict(line.split()[0].split("=") for line in out.getvalue().splitlines())
    assert set(listed.values()) == {"0.50000000"}
    first, second = sorted(listed)
    call_command("set_shares", "00016", f"{first}=0.6", f"{second}=0.4", "--on", "2022-01-01")
    ngoc_ha = selectors.area_by_code("00016", dt.date(2022, 1, 1))
    assert sorted(s.share for s in selectors.area_successors(ngoc_ha, REFORM)) == [
        Decimal("0.4"),
        Decimal("0.6"),
    ]
    for bad in ([f"{first}=0.6", f"{second}=0.6"], [f"{first}=abc"], ["99999=1"]):
        with pytest.raises(CommandError):
            call_command("set_shares", "00016", *bad, "--on", "2022-01-01")
    with pytest.raises(CommandError, match="Không có địa bàn"):
        call_command("set_shares", "00016", "--on", "2026-01-01")
