"""The load test's own arithmetic and its lost-write check (benchmarks/load), without locust
or a server: the mix of users, the steady-state percentiles, and verify.py finding a write
that was acknowledged but is not in the database."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path

import pytest
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
LOAD = ROOT / "benchmarks" / "load"


def _module(name: str):
    for path in (ROOT / "benchmarks", LOAD):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    spec = importlib.util.spec_from_file_location(f"load_{name}", LOAD / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_mix_gives_each_reporting_commune_its_official_and_approver():
    run = _module("run")
    counts, communes = run.mix(200, 20)
    assert communes == 65
    assert counts == {
        "WebEntry": 44,
        "ApiEntry": 21,
        "Approver": 65,
        "Reader": 65,
        "Manager": 5,
        "Citizen": 20,
    }
    assert sum(counts.values()) - counts["Citizen"] == 200
    small, reporting = run.mix(50, 0)
    assert reporting == 16 and small["WebEntry"] + small["ApiEntry"] == small["Approver"] == 16
    assert sum(small.values()) == 50 and "Citizen" not in small
    with pytest.raises(SystemExit):
        run.mix(3, 0)


def test_the_steady_state_starts_after_the_last_login(tmp_path):
    run = _module("run")
    times = tmp_path / "times.tsv"
    times.write_text(
        "100.0\tPOST POST /accounts/login/\t500\t0\n"
        "101.0\tGET GET /data/\t900\t0\n"  # during the ramp-up: left out
        "102.0\tSPAWNED\t0\t0\n"
        "103.0\tPOST POST /accounts/login/\t2000\t0\n"  # the last login ends at 103
        "104.0\tGET GET /data/\t100\t0\n"
        "105.0\tGET GET /data/\t300\t1\n"
        "106.0\tGET GET /data/\t200\t0\n",
        encoding="utf-8",
    )
    rows, seconds = run.steady_state(times)
    data = next(r for r in rows if r["Name"] == "GET /data/")
    assert data["Request Count"] == "3" and data["Failure Count"] == "1"
    assert float(data["50%"]) == 200 and float(data["Max Response Time"]) == 300
    assert not any(r["Name"] == "POST /accounts/login/" for r in rows)
    assert seconds == pytest.approx(3.0)
    assert run.steady_state(tmp_path / "times.tsv") == (rows, seconds)
    (tmp_path / "empty.tsv").write_text("", encoding="utf-8")
    assert run.steady_state(tmp_path / "empty.tsv") == ([], 0.0)


@pytest.mark.django_db
def test_verify_finds_an_acknowledged_value_that_is_not_stored(people, tmp_path):
    from antq.areas.selectors import area_by_code
    from antq.indicators import services
    from antq.indicators.models import DataSet, Submission

    verify = _module("verify")
    services.catalogue_install()
    services.data_sets_install()
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y%m")
    data_set = DataSet.objects.get(code=services.STANDARD_DATA_SET)
    na_sam = area_by_code("06124", timezone.localdate())
    services.entry_save(
        data_set=data_set,
        area=na_sam,
        period=month,
        values={"MEDIATIONS": "4"},
        actor=people.official,
    )
    services.submission_submit(data_set=data_set, area=na_sam, period=month, actor=people.official)

    def log(records: list[dict]) -> Path:
        path = tmp_path / f"acks-{len(list(tmp_path.iterdir()))}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        return path

    sent = {"user": "official", "area": "06124", "period": month}
    good = log(
        [
            {"kind": "value", "try": 1, "at": 1.0, **sent, "values": {"MEDIATIONS": "4"}},
            {"kind": "ack", "try": 1, "at": 1.1},
            {"kind": "submit", "try": 2, "at": 2.0, **sent},
            {"kind": "ack", "try": 2, "at": 2.1},
        ]
    )
    assert verify.main(good, tmp_path / "good.json") == 0
    # A later value acknowledged but not stored, and a decision acknowledged that never
    # happened: both found.
    lost = log(
        [
            {"kind": "value", "try": 1, "at": 1.0, **sent, "values": {"MEDIATIONS": "4"}},
            {"kind": "ack", "try": 1, "at": 1.1},
            {"kind": "value", "try": 2, "at": 1.5, **sent, "values": {"MEDIATIONS": "9"}},
            {"kind": "ack", "try": 2, "at": 1.6},
            {"kind": "submit", "try": 3, "at": 2.0, **sent},
            {"kind": "ack", "try": 3, "at": 2.1},
            {
                "kind": "decide",
                "try": 4,
                "at": 3.0,
                "user": "manager",
                "submission": Submission.objects.get().pk,
                "decision": "approve",
            },
            {"kind": "ack", "try": 4, "at": 3.1},
        ]
    )
    assert verify.main(lost, tmp_path / "lost.json") == 1
    summary = json.loads((tmp_path / "lost.json").read_text())
    assert summary["values_lost"] == 1 and summary["value_audit_mismatches"] == 1
    assert summary["report_status_wrong"] == 1 and summary["report_audit_mismatches"] == 1
    # The same later value sent but never answered (the run ended in flight) is no loss.
    in_flight = log(
        [
            {"kind": "value", "try": 1, "at": 1.0, **sent, "values": {"MEDIATIONS": "4"}},
            {"kind": "ack", "try": 1, "at": 1.1},
            {"kind": "value", "try": 2, "at": 1.5, **sent, "values": {"MEDIATIONS": "9"}},
        ]
    )
    assert verify.main(in_flight, tmp_path / "in_flight.json") == 0
