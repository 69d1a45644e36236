"""The read replica (DATABASE_REPLICA_URL): the analytics engine's reads go to it, every
write and every read inside a transaction on the primary stay on the primary, and the
settings build the alias only when asked, with the same engine."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from antq.areas.selectors import area_by_code
from antq.core import dbrouting
from antq.core.dbrouting import ReplicaRouter, analytics_reads
from antq.indicators.engine import analytics
from antq.indicators.models import Indicator
from antq.indicators.periods import parse_period
from antq.indicators.services import ValueInput, catalogue_install, values_save

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 1, 1)


@pytest.fixture
def replica(monkeypatch):
    """A "replica" alias answering from the test's own database connection (so it sees the
    test's rolled-back data)."""
    default = connections["default"]
    default.ensure_connection()
    monkeypatch.setitem(
        connections.settings,
        "replica",
        {**default.settings_dict, "TEST": {**default.settings_dict["TEST"], "MIRROR": "default"}},
    )
    wrapper = connections.create_connection("replica")
    wrapper.connection = default.connection
    connections["replica"] = wrapper
    yield wrapper
    wrapper.connection = None  # the connection is the default's: not ours to close
    del connections["replica"]


@pytest.fixture
def page_read(monkeypatch):
    """As a page reads: no transaction open on the primary (a test always holds one)."""
    monkeypatch.setattr(dbrouting, "primary_in_transaction", lambda: False)


@pytest.fixture
def figures(db):
    catalogue_install()
    values_save(
        [
            ValueInput("MEDIA_ITEMS", "06157", "201903", 5),
            ValueInput("MEDIA_ITEMS", "06124", "202011", 7),
        ],
        actor=None,
    )
    return Indicator.objects.get(code="MEDIA_ITEMS")


def lang_son_total(indicator, area=None, **kw):
    return analytics(
        indicators=[indicator],
        area=area or area_by_code("20", ON),
        start=parse_period("2019"),
        end=parse_period("2022"),
        on=ON,
        **kw,
    )


@pytest.mark.parametrize("mode", ["historic", "current"])
def test_analytics_reads_from_the_replica(figures, replica, page_read, mode):
    lang_son = area_by_code("20", ON)
    with CaptureQueriesContext(connections["default"]) as on_default:
        with CaptureQueriesContext(replica) as on_replica:
            result = lang_son_total(figures, lang_son, mode=mode, by_area=True)
    assert result.total == 12
    assert len(on_replica) > 0
    assert [q["sql"] for q in on_default] == []


def test_the_replica_gives_the_primarys_answer(figures, replica, page_read, monkeypatch):
    from_replica = lang_son_total(figures, mode="current", by_area=True)
    monkeypatch.setattr(dbrouting, "replica_configured", lambda: False)
    with CaptureQueriesContext(replica) as on_replica:
        from_primary = lang_son_total(figures, mode="current", by_area=True)
    assert len(on_replica) == 0
    assert from_replica == from_primary


def test_other_reads_stay_on_the_primary(figures, replica, page_read):
    with CaptureQueriesContext(replica) as on_replica:
        Indicator.objects.get(code="MEDIA_ITEMS")
        area_by_code("20", ON)
    assert len(on_replica) == 0


def test_a_read_inside_a_transaction_on_the_primary_stays_there(figures, replica):
    assert connections["default"].in_atomic_block  # the test's own transaction
    with CaptureQueriesContext(replica) as on_replica:
        assert lang_son_total(figures).total == 12
    assert len(on_replica) == 0


def test_the_router_decides_reads_only():
    router = ReplicaRouter()
    assert router.db_for_read(Indicator) is None  # not within analytics
    assert router.db_for_write(Indicator) == "default"
    assert router.allow_migrate("replica", "indicators") is False
    assert router.allow_migrate("default", "indicators") is True
    with analytics_reads():
        assert router.db_for_read(Indicator) is None  # no replica configured here
        assert router.db_for_write(Indicator) == "default"


def settings_with(tmp_path, **env: str) -> subprocess.CompletedProcess:
    code = (
        "import json; from antq import settings as s;"
        "print(json.dumps({'aliases': {a: {k: d[k] for k in ('ENGINE', 'NAME', 'HOST', 'TEST')"
        " if k in d} for a, d in s.DATABASES.items()},"
        " 'routers': getattr(s, 'DATABASE_ROUTERS', [])}, default=str))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"ANTQ_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
    )


def test_without_a_replica_there_is_one_alias(tmp_path):
    done = settings_with(tmp_path)
    assert done.returncode == 0, done.stderr
    assert list(json.loads(done.stdout)["aliases"]) == ["default"]


def test_a_postgresql_replica_becomes_an_alias_mirrored_in_tests(tmp_path):
    done = settings_with(
        tmp_path,
        DATABASE_URL="postgres://antq@10.0.0.10:5432/antq",
        DATABASE_REPLICA_URL="postgres://antq_ro@10.0.0.12:5432/antq",
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    replica = out["aliases"]["replica"]
    assert replica["ENGINE"] == "django.db.backends.postgresql"
    assert replica["HOST"] == "10.0.0.12" and replica["TEST"]["MIRROR"] == "default"
    assert out["routers"] == ["antq.core.dbrouting.ReplicaRouter"]


def test_a_replica_of_another_engine_is_refused(tmp_path):
    done = settings_with(
        tmp_path,
        DATABASE_URL="postgres://antq@10.0.0.10:5432/antq",
        DATABASE_REPLICA_URL=f"sqlite:///{tmp_path}/x.sqlite3",
    )
    assert done.returncode != 0
    assert "DATABASE_REPLICA_URL" in done.stderr


def test_a_malformed_replica_url_is_refused(tmp_path):
    done = settings_with(tmp_path, DATABASE_REPLICA_URL="mysql://x@y/z")
    assert done.returncode != 0
    assert "DATABASE_URL scheme" in done.stderr
