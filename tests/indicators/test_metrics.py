"""Imports of filled templates in /metrics, by status (an import whose server stopped counts
as interrupted)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from antq.indicators.models import DataSet, ImportJob, ImportStatus
from antq.indicators.services import catalogue_install, data_sets_install
from tests.scrape import by_label, scrape

pytestmark = pytest.mark.django_db


def test_import_jobs_are_counted_by_status(client, people):
    catalogue_install()
    data_sets_install()
    data_set = DataSet.objects.first()

    def job(status, minutes_ago=0):
        j = ImportJob.objects.create(
            user=people.official, data_set=data_set, filename="x.xlsx", status=status
        )
        at = timezone.now() - dt.timedelta(minutes=minutes_ago)
        ImportJob.objects.filter(pk=j.pk).update(updated_at=at)

    assert by_label(scrape(client)["antq_import_jobs"], "status") == {
        "done": 0.0,
        "failed": 0.0,
        "running": 0.0,
        "interrupted": 0.0,
    }
    from django.core.cache import cache

    cache.clear()  # the gauge is kept a little while; a scrape later would see the jobs
    job(ImportStatus.DONE)
    job(ImportStatus.DONE)
    job(ImportStatus.FAILED)
    job(ImportStatus.RUNNING)
    job(ImportStatus.RUNNING, minutes_ago=30)  # its server stopped mid-import
    assert by_label(scrape(client)["antq_import_jobs"], "status") == {
        "done": 2.0,
        "failed": 1.0,
        "running": 1.0,
        "interrupted": 1.0,
    }
