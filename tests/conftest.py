"""Shared fixtures: the national areas (loaded once per test database) and named people:
an official of one commune, a colleague in the same body, an outsider from another commune,
a provincial manager."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pytest

from antq.accounts.models import Body, BodyKind, Role, User
from antq.accounts.services import body_save, membership_grant, user_create

BEFORE = dt.date(2022, 1, 1)
AFTER = dt.date(2026, 1, 1)
PASSWORD = "mật-khẩu-thử-nghiệm-1"


@pytest.fixture(scope="session")
def national_plan():
    from antq.areas.loader import build_plan

    return build_plan()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, national_plan):
    from antq.areas.services import areas_load

    with django_db_blocker.unblock():
        areas_load(national_plan)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, tmp_path):
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]
    # Uploads are imported inside the request: a thread would not see the test's transaction.
    settings.ANTQ_IMPORTS_INLINE = True
    from django.core.cache import cache

    cache.clear()


def area(code: str, on: dt.date = AFTER):
    from antq.areas.selectors import area_by_code

    return area_by_code(code, on)


@dataclass
class People:
    official: User  # data entry, Công an xã Na Sầm (after the reform)
    colleague: User  # viewer in the same body
    outsider: User  # data entry, Công an xã Hoàng Văn Thụ
    manager: User  # manager, Công an tỉnh Lạng Sơn
    na_sam: Body
    hoang_van_thu: Body
    province_police: Body


@pytest.fixture
def people(db) -> People:
    province = body_save(
        code="t-ca-tinh", name="Công an tỉnh Lạng Sơn", kind=BodyKind.POLICE, area=area("20")
    )
    na_sam = body_save(
        code="t-ca-na-sam",
        name="Công an xã Na Sầm",
        kind=BodyKind.POLICE,
        area=area("06124"),
        parent=province,
        valid_from=dt.date(2025, 7, 1),
    )
    hvt = body_save(
        code="t-ca-hvt",
        name="Công an xã Hoàng Văn Thụ",
        kind=BodyKind.POLICE,
        area=area("06172"),
        parent=province,
        valid_from=dt.date(2025, 7, 1),
    )

    def person(username: str, body: Body, role: str) -> User:
        user = user_create(username=username, password=PASSWORD, full_name=username.title())
        membership_grant(user=user, body=body, role=role, valid_from=dt.date(2025, 7, 1))
        return user

    return People(
        official=person("official", na_sam, Role.DATA_ENTRY),
        colleague=person("colleague", na_sam, Role.VIEWER),
        outsider=person("outsider", hvt, Role.DATA_ENTRY),
        manager=person("manager", province, Role.MANAGER),
        na_sam=na_sam,
        hoang_van_thu=hvt,
        province_police=province,
    )


_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """Under CI a skipped test hides a gap: any skip fails the run."""
    if _CI and _skipped:
        print(f"\nCI=true: {len(_skipped)} test(s) skipped, which is a failure under CI:")
        for nodeid in _skipped[:20]:
            print(f"  {nodeid}")
        session.exitstatus = 1
