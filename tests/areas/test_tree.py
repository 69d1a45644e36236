"""The area tree over time, at national scale, from the official files."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from antq.areas import selectors
from antq.areas.models import Area, Level, Succession

pytestmark = pytest.mark.django_db

REFORM = dt.date(2025, 7, 1)


def test_it_has_34_provinces_and_3321_communes_after_the_reform():
    assert selectors.areas_on(REFORM, level=Level.PROVINCE).count() == 34
    assert selectors.areas_on(REFORM, level=Level.COMMUNE).count() == 3321


def test_it_has_63_provinces_before_the_reform():
    on = dt.date(2025, 1, 1)
    assert selectors.areas_on(on, level=Level.PROVINCE).count() == 63
    assert selectors.areas_on(on, level=Level.DISTRICT).count() == 696
    # 10,056 rows in the January list: 10,051 communes and 5 island districts without any.
    assert selectors.areas_on(on, level=Level.COMMUNE).count() == 10051


def test_the_nation_has_the_provinces_as_children_on_each_side_of_the_reform():
    vn = selectors.nation()
    assert selectors.area_children(vn, dt.date(2025, 6, 30)).count() == 63
    assert selectors.area_children(vn, REFORM).count() == 34
    assert selectors.area_subtree(vn, REFORM, level=Level.COMMUNE).count() == 3321


def test_lang_son_had_11_districts_and_194_communes_in_2022():
    on = dt.date(2022, 1, 1)
    lang_son = selectors.area_by_code("20", on)
    children = list(selectors.area_children(lang_son, on))
    assert len(children) == 11
    assert {a.level for a in children} == {Level.DISTRICT}
    assert selectors.area_subtree(lang_son, on, level=Level.COMMUNE).count() == 194
    van_lang = selectors.area_by_code("182", on)
    assert van_lang.name == "Huyện Văn Lãng"
    assert selectors.area_children(van_lang, on).count() == 17


def test_lang_son_has_65_communes_and_wards_in_2026():
    on = dt.date(2026, 1, 1)
    lang_son = selectors.area_by_code("20", on)
    children = list(selectors.area_children(lang_son, on))
    assert len(children) == 65
    kinds = defaultdict(int)
    for a in children:
        kinds[a.kind] += 1
    assert dict(kinds) == {"commune": 61, "ward": 4}


def test_lang_son_is_one_area_across_the_reform():
    assert selectors.area_by_code("20", dt.date(2022, 1, 1)) == selectors.area_by_code(
        "20", dt.date(2026, 1, 1)
    )


def test_code_05977_is_resolved_by_date():
    before = selectors.area_by_code("05977", dt.date(2025, 6, 30))
    after = selectors.area_by_code("05977", REFORM)
    assert before.name == "Phường Vĩnh Trại"
    assert after.name == "Phường Đông Kinh"
    assert before != after
    assert before.valid_to == dt.date(2025, 6, 30)
    assert after.valid_from == REFORM


def test_a_code_is_unknown_before_any_record_and_after_its_end():
    with pytest.raises(Area.DoesNotExist):
        selectors.area_by_code("20", dt.date(2018, 12, 31))
    with pytest.raises(Area.DoesNotExist):
        selectors.area_by_code("182", REFORM)  # district level abolished
    with pytest.raises(Area.DoesNotExist):
        selectors.area_by_code("99999", REFORM)


def test_every_pre_reform_lang_son_commune_has_successors_in_lang_son():
    before = dt.date(2025, 6, 30)
    lang_son = selectors.area_by_code("20", before)
    communes = list(selectors.area_subtree(lang_son, before, level=Level.COMMUNE))
    assert len(communes) == 194
    today_communes = set(selectors.area_subtree(lang_son, dt.date(2026, 1, 1), level=Level.COMMUNE))
    for commune in communes:
        shares = selectors.area_successors(commune, dt.date(2026, 1, 1))
        assert shares, f"{commune} has no successor"
        assert sum(s.share for s in shares) == Decimal(1), commune
        assert {s.area for s in shares} <= today_communes


def test_a_merged_commune_passes_its_values_whole_to_the_new_one():
    hoang_viet = selectors.area_by_code("06157", dt.date(2022, 1, 1))
    [share] = selectors.area_successors(hoang_viet, dt.date(2026, 1, 1))
    assert share.area.name == "Xã Na Sầm"
    assert share.share == 1
    # before the reform it is its own successor; before it existed, nothing
    assert selectors.area_successors(hoang_viet, dt.date(2024, 1, 1))[0].area == hoang_viet
    assert selectors.area_successors(hoang_viet, dt.date(2010, 1, 1)) == []


def test_shares_of_every_predecessor_add_up_to_one_so_totals_are_preserved():
    totals: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)
    for pred, date, share in Succession.objects.values_list(
        "predecessor_id", "effective_date", "share"
    ):
        totals[(pred, date)] += share
    assert totals
    assert {v for v in totals.values()} == {Decimal(1)}


def test_a_split_commune_is_divided_in_equal_shares():
    # Phường Ngọc Hà (Hà Nội) was split into two new wards.
    ngoc_ha = selectors.area_by_code("00016", dt.date(2022, 1, 1))
    shares = selectors.area_successors(ngoc_ha, REFORM)
    assert len(shares) == 2
    assert [s.share for s in shares] == [Decimal("0.5"), Decimal("0.5")]


def test_part_of_the_area_with_all_of_the_population_takes_the_whole_share():
    rows = Succession.objects.filter(note__icontains="toàn bộ dân số").select_related("predecessor")
    assert rows.exists()
    for row in rows[:20]:
        assert row.share == 1
        others = Succession.objects.filter(
            predecessor=row.predecessor, effective_date=row.effective_date
        ).exclude(pk=row.pk)
        assert all(o.share == 0 for o in others)


def test_an_unchanged_commune_carries_on_under_the_new_province():
    # Xã Thạnh An (Cần Giờ, Hồ Chí Minh City) is 'Giữ nguyên': same area, new parent.
    old = selectors.area_by_code("27676", dt.date(2022, 1, 1))
    new = selectors.area_by_code("27676", REFORM)
    assert old == new and old.valid_to is None
    assert selectors.area_parent(old, dt.date(2022, 1, 1)).level == Level.DISTRICT
    assert selectors.area_parent(old, REFORM).code == "79"
    names = [a.name for a in selectors.area_ancestors(old, dt.date(2022, 1, 1))]
    assert names == ["Việt Nam", "Thành phố Hồ Chí Minh", "Huyện Cần Giờ"]


def test_ancestors_run_from_the_nation_down():
    na_sam_old = selectors.area_by_code("06124", dt.date(2022, 1, 1))
    assert [a.code for a in selectors.area_ancestors(na_sam_old, dt.date(2022, 1, 1))] == [
        "VN",
        "20",
        "182",
    ]
    na_sam_new = selectors.area_by_code("06124", dt.date(2026, 1, 1))
    assert [
        a.code for a in selectors.area_ancestors(na_sam_new, dt.date(2026, 1, 1), include_self=True)
    ] == [
        "VN",
        "20",
        "06124",
    ]


def test_island_districts_became_special_zones():
    con_dao = selectors.area_by_code("755", dt.date(2022, 1, 1))
    [share] = selectors.area_successors(con_dao, REFORM)
    assert share.area.kind == "special_zone"
    assert share.area.name == "Đặc khu Côn Đảo"


def test_a_merged_province_passes_to_the_new_one():
    ha_giang = selectors.area_by_code("02", dt.date(2022, 1, 1))
    [share] = selectors.area_successors(ha_giang, REFORM)
    assert share.area.name == "Tỉnh Tuyên Quang"
    assert selectors.area_by_code("08", dt.date(2022, 1, 1)) == share.area


def test_a_subtree_lookup_is_one_query(django_assert_num_queries):
    vn = selectors.nation()
    with django_assert_num_queries(1):
        assert len(list(selectors.area_subtree(vn, REFORM, level=Level.COMMUNE))) == 3321
    commune = selectors.area_by_code("06124", REFORM)
    with django_assert_num_queries(1):
        assert len(selectors.area_ancestors(commune, REFORM)) == 2
