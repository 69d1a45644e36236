"""One selector answers "may this user do X on area/body Y"; each denial is proven."""

from __future__ import annotations

import datetime as dt

import pytest

from antq.accounts.models import Membership
from antq.accounts.selectors import Action, user_can, user_scope_area_ids
from antq.areas.models import Area
from tests.conftest import BEFORE, area

pytestmark = pytest.mark.django_db


def test_an_official_may_enter_data_for_their_own_commune(people):
    assert user_can(people.official, Action.ENTER, area=area("06124"))
    assert user_can(people.official, Action.VIEW, body=people.na_sam)


def test_an_official_of_one_commune_is_denied_on_another(people):
    other = area("06172")
    assert not user_can(people.official, Action.VIEW, area=other)
    assert not user_can(people.official, Action.ENTER, area=other)
    assert not user_can(people.official, Action.VIEW, body=people.hoang_van_thu)
    assert not user_can(people.outsider, Action.ENTER, area=area("06124"))


def test_an_official_cannot_reach_up_to_the_province(people):
    assert not user_can(people.official, Action.VIEW, area=area("20"))


def test_a_viewer_may_view_but_not_enter(people):
    assert user_can(people.colleague, Action.VIEW, area=area("06124"))
    assert not user_can(people.colleague, Action.ENTER, area=area("06124"))
    assert not user_can(people.official, Action.APPROVE, area=area("06124"))


def test_a_provincial_manager_reaches_every_commune_of_the_province(people):
    for code in ("06124", "06172", "05977"):
        assert user_can(people.manager, Action.APPROVE, area=area(code))
    assert not user_can(people.manager, Action.ADMINISTER, area=area("20"))
    assert not user_can(people.manager, Action.VIEW, area=area("01"))  # Hà Nội


def test_todays_officials_reach_the_communes_their_commune_was_formed_from(people):
    hoang_viet = area("06157", BEFORE)  # merged whole into today's Xã Na Sầm
    tan_my = area("06172", BEFORE)  # merged into Xã Hoàng Văn Thụ
    assert user_can(people.official, Action.ENTER, area=hoang_viet, on=BEFORE)
    assert not user_can(people.official, Action.VIEW, area=tan_my, on=BEFORE)
    assert user_can(people.outsider, Action.VIEW, area=tan_my, on=BEFORE)


def test_a_provincial_manager_reaches_the_old_districts_on_their_date(people):
    van_lang = area("182", BEFORE)
    assert user_can(people.manager, Action.VIEW, area=van_lang, on=BEFORE)


def test_an_ended_membership_grants_nothing(people):
    Membership.objects.filter(user=people.official).update(valid_to=dt.date(2025, 12, 31))
    assert not user_can(people.official, Action.VIEW, area=area("06124"))


def test_a_membership_in_an_ended_body_grants_nothing(people):
    people.na_sam.valid_to = dt.date(2025, 12, 31)
    people.na_sam.save()
    assert not user_can(people.official, Action.VIEW, area=area("06124"))


def test_anonymous_and_disabled_users_may_do_nothing(people):
    from django.contrib.auth.models import AnonymousUser

    assert not user_can(AnonymousUser(), Action.VIEW, area=area("06124"))
    people.official.is_active = False
    assert not user_can(people.official, Action.VIEW, area=area("06124"))


def test_the_scope_subquery_lists_exactly_the_reachable_areas(people):
    ids = {row["descendant_id"] for row in user_scope_area_ids(people.official, Action.ENTER)}
    assert ids == {area("06124").pk}
    province_ids = user_scope_area_ids(people.manager, Action.VIEW)
    assert Area.objects.filter(pk__in=province_ids, level="commune").count() == 65
    assert not user_scope_area_ids(people.colleague, Action.ENTER).exists()


def test_a_question_without_a_target_is_a_programming_error(people):
    with pytest.raises(ValueError):
        user_can(people.official, Action.VIEW)


def test_only_the_level_above_acts_from_above(people):
    """user_can_from_above: the right must come from a higher area, so a commune never
    approves its own reports, nor those of the communes it was formed from."""
    from antq.accounts.models import Role
    from antq.accounts.selectors import user_can_from_above
    from antq.accounts.services import membership_grant

    membership_grant(
        user=people.official, body=people.na_sam, role=Role.APPROVER, valid_from=dt.date(2025, 7, 1)
    )
    na_sam, hoang_viet = area("06124"), area("06157", BEFORE)  # merged whole into Na Sầm
    assert user_can(people.official, Action.APPROVE, area=na_sam)
    assert not user_can_from_above(people.official, Action.APPROVE, area=na_sam)
    assert not user_can_from_above(people.official, Action.APPROVE, area=hoang_viet, on=BEFORE)
    assert user_can_from_above(people.manager, Action.APPROVE, area=na_sam)
    assert user_can_from_above(people.manager, Action.APPROVE, area=hoang_viet, on=BEFORE)
    assert not user_can_from_above(people.manager, Action.APPROVE, area=area("20"))
