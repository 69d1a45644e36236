"""Crash safety (issue 8): an import killed while it writes — `antq import-values` and the
background import of an uploaded template, whose thread runs in the server's process — and
a killed backup leave nothing half-written; the job is reported as interrupted; the next
run of the same import (or backup) succeeds.

Each process is killed with SIGKILL, with no chance to clean up, at a known point: a hook
in the child holds it right after its first rows of values are written inside the import's
transaction (or after the backup's first table), and the test checks from outside that the
writer's transaction is open before killing it. The instance is a real one of the suite's
database kind, filled by `antq restore` from a backup of the test database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import signal
import sqlite3
import subprocess
import threading
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from openpyxl import load_workbook

from antq.accounts.models import BodyKind, Role
from antq.accounts.services import body_save, membership_grant, user_create
from antq.areas.models import Level
from antq.areas.selectors import area_subtree
from antq.core.backup import backup_create
from antq.indicators import xlsx
from antq.indicators.models import DataSet
from antq.indicators.services import catalogue_install, data_sets_install
from tests.conftest import PASSWORD, area
from tests.instances import TIMEOUT, Instance, fresh_instance

pytestmark = pytest.mark.django_db  # the test database must exist for the instance's seed
BEFORE_REFORM = dt.date(2022, 1, 1)
DATA_SET = "phong-trao-hang-thang"
UPLOAD_PERIODS = ["202401", "202402", "202403"]

# Held right after the first rows of values are written, inside the import's transaction.
HOLD_IMPORT = """
import sys, time
from antq.indicators import services
_real_insert = services._insert
def _held(model, columns, rows):
    _real_insert(model, columns, rows)
    if model._meta.label == "indicators.DataValue" and rows:
        print("WRITTEN", len(rows), flush=True)
        time.sleep(600)
services._insert = _held
"""

CLI_IMPORT = (
    HOLD_IMPORT
    + """
from django.core.management import call_command
call_command("import_values", sys.argv[1], "--reason", "crash test")
"""
)

# What the upload view does: start the background import (a thread of this process).
JOB_START = """
import sys
from antq.accounts.models import User
from antq.indicators import jobs
from antq.indicators.models import DataSet
job = jobs.import_start(
    data_set=DataSet.objects.get(code=sys.argv[2]),
    data=open(sys.argv[1], "rb").read(),
    filename="bieu-mau.xlsx",
    user=User.objects.get(username="nhaplieu"),
)
print("JOB", job.pk, flush=True)
"""

JOB_WAIT = """
import threading
for thread in threading.enumerate():
    if thread.name.startswith("import-"):
        thread.join()
job.refresh_from_db()
print("DONE", job.status, job.counts.get("created"), job.problems, flush=True)
"""

# What the job's page shows: right after the crash, and once 10 minutes have passed.
JOB_STATE = """
import sys, datetime as dt
from django.utils import timezone, translation
from antq.indicators import jobs
from antq.indicators.models import ImportJob
translation.activate("vi")
job = jobs.job_state(ImportJob.objects.get(pk=sys.argv.pop(1)))
print("NOW", job.status, job.stage, flush=True)
ImportJob.objects.filter(pk=job.pk).update(
    updated_at=timezone.now() - jobs.STALE_AFTER - dt.timedelta(seconds=1)
)
job = jobs.job_state(ImportJob.objects.get(pk=job.pk))
print("LATER", job.status, "|".join(job.problems), flush=True)
"""

# Held after the links and successions are rewritten, before the tree is rebuilt.
HOLD_AREAS = """
import time
from antq.areas import services
def _held(*args, **kwargs):
    print("REWRITTEN", flush=True)
    time.sleep(600)
services.area_tree_rebuild = _held
from django.core.management import call_command
call_command("load_areas")
"""

HOLD_BACKUP = """
import sys, time
from pathlib import Path
from antq.core import backup
_real_table = backup._write_table
def _held(*args, **kwargs):
    entry = _real_table(*args, **kwargs)
    print("TABLE", entry["table"], flush=True)
    time.sleep(600)
backup._write_table = _held
backup.backup_create(Path(sys.argv[1]))
"""


@dataclass
class Seeded:
    instance: Instance
    communes: list[str]  # Lạng Sơn's communes before the reform
    workbook: bytes  # the province's monthly template for UPLOAD_PERIODS, filled in
    workbook_rows: int


def filled_template(periods: list[str]) -> tuple[bytes, int]:
    data_set = DataSet.objects.get(code=DATA_SET)
    book = load_workbook(
        io.BytesIO(xlsx.template_workbook(data_set, area("20", dt.date(2024, 1, 1)), periods))
    )
    rows = 0
    for row in book["Số liệu"].iter_rows(min_row=8):
        if row[0].value in ("MEDIA_ITEMS", "TIPS_RECEIVED"):
            row[5].value = 3
            rows += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), rows


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real instance of the suite's database kind with the national areas, the standard
    catalogue and form, and a manager of Lạng Sơn's police (who uploads); Lạng Sơn's
    communes; the province's template, filled in."""
    base = tmp_path_factory.mktemp("crash")
    seed = base / "seed"
    with django_db_blocker.unblock(), transaction.atomic():
        catalogue_install()
        data_sets_install()
        police = body_save(
            code="t-ca-ls", name="Công an tỉnh Lạng Sơn", kind=BodyKind.POLICE, area=area("20")
        )
        user = user_create(username="nhaplieu", password=PASSWORD, full_name="Nhập Liệu")
        membership_grant(user=user, body=police, role=Role.MANAGER, valid_from=dt.date(2025, 7, 1))
        communes = sorted(
            area_subtree(area("20", BEFORE_REFORM), BEFORE_REFORM, level=Level.COMMUNE).values_list(
                "code", flat=True
            )
        )
        workbook = filled_template(UPLOAD_PERIODS)
        backup_create(seed)
        transaction.set_rollback(True)
    vendor = connection.vendor
    with fresh_instance(vendor, base) as inst:
        restored = inst.antq("restore", str(seed), "--quiet")
        assert restored.returncode == 0, restored.stdout + restored.stderr
        yield Seeded(inst, communes, *workbook)


def wait_for(process: subprocess.Popen, prefix: str) -> str:
    """The first line the process prints that starts with `prefix` (it is killed if that
    takes longer than the suite's timeout)."""
    watchdog = threading.Timer(TIMEOUT, process.kill)
    watchdog.start()
    try:
        for line in process.stdout:
            if line.startswith(prefix):
                return line.strip()
    finally:
        watchdog.cancel()
    process.wait()
    raise AssertionError(f"no {prefix!r} line; exit {process.returncode}:\n{process.stderr.read()}")


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    process.stdout.close()
    process.stderr.close()


def assert_a_writer_is_mid_transaction(inst: Instance) -> None:
    """The held process has written rows it has not committed: PostgreSQL shows its
    transaction id; SQLite's write lock is taken."""
    if inst.vendor == "postgresql":
        writers = inst.sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
        )
        assert writers[0][0] >= 1
        return
    conn = sqlite3.connect(inst.data_dir / "antq.sqlite3", timeout=0)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            conn.execute("BEGIN IMMEDIATE")
    finally:
        conn.close()


def assert_database_sound(inst: Instance) -> None:
    if inst.vendor == "sqlite":
        assert inst.sql("PRAGMA integrity_check") == [("ok",)]


def count_values(inst: Instance, periods: list[str]) -> tuple[int, int]:
    marks = ", ".join(["%s"] * len(periods))
    values = inst.sql(
        f"SELECT count(*) FROM indicators_datavalue WHERE period IN ({marks})",  # noqa: S608
        tuple(periods),
    )
    changes = inst.sql(
        f"SELECT count(*) FROM indicators_datavaluechange WHERE period IN ({marks})",  # noqa: S608
        tuple(periods),
    )
    return values[0][0], changes[0][0]


def months(year: int) -> list[str]:
    return [f"{year}{m:02d}" for m in range(1, 13)]


def test_a_killed_import_saves_nothing_and_the_same_import_then_succeeds(seeded, tmp_path):
    inst, communes = seeded.instance, seeded.communes
    periods = months(2019) + months(2020)
    path = tmp_path / "so-lieu.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["indicator", "area", "period", "value"])
        for code in communes:
            for n, period in enumerate(periods):
                writer.writerow(["MEDIA_ITEMS", code, period, n % 7])
    rows = len(communes) * len(periods)
    assert rows > 4000
    totals_before = inst.sql("SELECT count(*) FROM indicators_datatotal")

    process = inst.start_python(CLI_IMPORT, str(path))
    written = wait_for(process, "WRITTEN")
    assert int(written.split()[1]) == rows  # every row was written, none committed
    assert_a_writer_is_mid_transaction(inst)
    kill(process)

    assert count_values(inst, periods) == (0, 0)
    assert inst.sql("SELECT count(*) FROM indicators_datatotal") == totals_before
    assert_database_sound(inst)

    again = inst.antq("import-values", str(path))
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"{rows} giá trị mới" in again.stdout
    assert count_values(inst, periods) == (rows, rows)


def test_a_killed_server_during_an_upload_saves_nothing_reports_it_and_the_upload_then_succeeds(
    seeded, tmp_path
):
    inst, rows = seeded.instance, seeded.workbook_rows
    path = tmp_path / "bieu-mau.xlsx"
    path.write_bytes(seeded.workbook)
    assert rows > 1000

    process = inst.start_python(HOLD_IMPORT + JOB_START, str(path), DATA_SET)
    job_id = wait_for(process, "JOB").split()[1]
    assert int(wait_for(process, "WRITTEN").split()[1]) == rows
    # the page polling the job sees how far it got: every row read, the save under way
    assert inst.sql(
        "SELECT status, stage, done, total FROM indicators_importjob WHERE id = %s",
        (job_id.replace("-", "") if inst.vendor == "sqlite" else job_id,),
    ) == [("running", "save", rows, rows)]
    assert_a_writer_is_mid_transaction(inst)
    kill(process)  # the server's process dies with the import's thread

    assert count_values(inst, UPLOAD_PERIODS) == (0, 0)
    assert_database_sound(inst)
    lines = inst.python(JOB_STATE + JOB_START + JOB_WAIT, job_id, str(path), DATA_SET)
    now, later, _job, done = lines.splitlines()
    # Nobody can tell a dead import from a slow one at once; after 10 minutes without news
    # the job's page says it was interrupted and nothing was saved.
    assert now == "NOW running save"
    assert later.startswith("LATER failed") and "bị gián đoạn" in later
    # and the same file, uploaded again, is imported whole
    assert done == f"DONE done {rows} []"
    assert count_values(inst, UPLOAD_PERIODS) == (rows, rows)


def test_a_killed_reload_of_the_areas_changes_nothing(seeded):
    """`antq load-areas` deletes and rewrites the parent links and successions, then
    rebuilds the tree, in one transaction: killed halfway, the old rows are all there (a
    committed rewrite would have given them new ids)."""
    inst = seeded.instance
    tables = ("areas_area", "areas_arealink", "areas_succession", "areas_areatreepath")

    def state():
        return [
            inst.sql(f"SELECT count(*), sum(id), max(id) FROM {t}")[0]  # noqa: S608
            for t in (*tables, "areas_areaload", "core_auditevent")
        ]

    before = state()
    process = inst.start_python(HOLD_AREAS)
    wait_for(process, "REWRITTEN")
    assert_a_writer_is_mid_transaction(inst)
    kill(process)

    assert state() == before
    assert_database_sound(inst)


def test_a_killed_backup_leaves_nothing_that_looks_like_a_backup(seeded, tmp_path):
    inst = seeded.instance
    target = tmp_path / "backups" / "today"
    target.parent.mkdir()

    process = inst.start_python(HOLD_BACKUP, str(target))
    wait_for(process, "TABLE")
    kill(process)

    assert not target.exists()
    (partial,) = target.parent.iterdir()  # the work directory, named as unfinished
    assert partial.name.startswith(".today.partial-")
    assert not (partial / "manifest.json").exists()
    refused = inst.antq("restore", str(partial), "--force")
    assert refused.returncode == 1 and "không phải bản sao lưu antq hoàn chỉnh" in refused.stderr

    made = inst.antq("backup", str(target), "--quiet")
    assert made.returncode == 0, made.stdout + made.stderr
    assert (target / "manifest.json").is_file()
