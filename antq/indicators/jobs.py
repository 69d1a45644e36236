"""Imports of filled templates in the background, with their progress readable meanwhile.

The upload's request starts a thread and returns at once; the thread reads and checks the
workbook (reporting how many rows it has read, outside any transaction, so that the progress
is visible to the page polling it), then saves everything in one transaction, all or nothing.
A server that stops mid-import leaves nothing half-written (the transaction rolls back); its
job, no longer updated, is reported as interrupted after STALE_AFTER.

With settings.ANTQ_IMPORTS_INLINE (the tests) the same work runs inside the request.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from antq.indicators import xlsx
from antq.indicators.models import DataSet, ImportJob, ImportStatus
from antq.indicators.services import ValueErrors

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=10)
KEEP = timedelta(days=30)  # finished jobs are kept this long, for their result page
REPORT_EVERY = 0.5  # seconds between progress writes


def import_start(*, data_set: DataSet, data: bytes, filename: str, user: Any) -> ImportJob:
    ImportJob.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    job = ImportJob.objects.create(user=user, data_set=data_set, filename=filename[:200])
    language = translation.get_language()
    if getattr(settings, "ANTQ_IMPORTS_INLINE", False):
        _run(job.pk, data, language)
        job.refresh_from_db()
    else:
        threading.Thread(
            target=_run_in_thread, args=(job.pk, data, language), name=f"import-{job.pk}"
        ).start()
    return job


def job_state(job: ImportJob) -> ImportJob:
    """The job, marked failed when it stopped being updated (the server stopped)."""
    if job.status == ImportStatus.RUNNING and timezone.now() - job.updated_at > STALE_AFTER:
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(
            status=ImportStatus.FAILED,
            problems=[_("The import was interrupted (the server stopped); nothing was saved.")],
        )
        job.refresh_from_db()
    return job


def jobs_by_status() -> list[tuple[tuple[str], int]]:
    """For /metrics: imports kept (30 days) by status, running ones that stopped being
    updated counted as interrupted."""
    counts = dict.fromkeys(["running", "interrupted", "done", "failed"], 0)
    for row in ImportJob.objects.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    counts["interrupted"] = ImportJob.objects.filter(
        status=ImportStatus.RUNNING, updated_at__lt=timezone.now() - STALE_AFTER
    ).count()
    counts["running"] -= counts["interrupted"]
    return [((status,), n) for status, n in counts.items()]


def _run_in_thread(job_id, data: bytes, language: str) -> None:
    try:
        _run(job_id, data, language)
    finally:
        connection.close()
        close_old_connections()


def _run(job_id, data: bytes, language: str) -> None:
    job = ImportJob.objects.select_related("data_set", "user").get(pk=job_id)
    last = 0.0

    def progress(done: int, total: int, stage: str) -> None:
        nonlocal last
        now = time.monotonic()
        if stage == "save" or now - last >= REPORT_EVERY:
            last = now
            ImportJob.objects.filter(pk=job_id).update(
                done=done, total=total, stage=stage, updated_at=timezone.now()
            )

    with translation.override(language):
        try:
            counts = xlsx.import_workbook(
                data,
                job.filename,
                job.user,
                reason=_("Imported from an Excel template"),
                data_set=job.data_set,
                calendar=job.data_set.calendar,
                progress=progress,
            )
        except ValueErrors as exc:
            _finish(job_id, ImportStatus.FAILED, problems=[str(p) for p in exc.problems])
        except Exception:
            log.exception("import %s failed", job_id)
            _finish(
                job_id,
                ImportStatus.FAILED,
                problems=[_("The import stopped because of an internal error; nothing was saved.")],
            )
        else:
            _finish(job_id, ImportStatus.DONE, counts=counts)


def _finish(job_id, status: str, **fields: Any) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=status, stage="", updated_at=timezone.now(), **fields
    )


__all__ = ["import_start", "job_state", "jobs_by_status"]
