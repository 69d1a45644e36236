"""The tip line in /metrics: one total of tips awaiting assessment, counting only tips
received before the current hour (a figure that moved the minute a tip came in would date
it), and nothing per body or area."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from antq.tips.models import Tip, Triage
from tests.scrape import scrape, value
from tests.tips.conftest import send

pytestmark = pytest.mark.django_db


def awaiting(client) -> float:
    cache.clear()  # the gauge is kept for a few minutes between scrapes
    samples = scrape(client)["antq_tips_awaiting_assessment"]
    assert all(s.labels == {} for s in samples)  # one total, no body or area
    return value(samples, "antq_tips_awaiting_assessment")


def test_tips_awaiting_assessment_is_one_total_dated_to_the_hour(client, handlers):
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    assert awaiting(client) == 0
    send()  # this hour: not counted until the hour is over
    assert awaiting(client) == 0
    send(code="06172", received_at=hour - dt.timedelta(hours=2))
    assert awaiting(client) == 1
    Tip.objects.filter(received_at__lt=hour).update(triage=Triage.VALUABLE)
    assert awaiting(client) == 0
    Tip.objects.update(received_at=hour - dt.timedelta(hours=1))
    assert awaiting(client) == 1  # the first tip, still not assessed, now an hour old


def test_the_metrics_say_nothing_else_about_tips(client, handlers):
    send()
    client.get("/tips/send/")
    client.force_login(handlers.na_sam)
    client.get("/tips/")  # the officers' pages of the tip line are not counted either
    families = scrape(client)
    routes = {s.labels.get("route", "") for s in families["antq_http_requests"]}
    assert not any(r.startswith(("tips:", "api:tip")) for r in routes), routes
    tip_families = {name for name in families if "tip" in name}
    assert tip_families == {"antq_tips_awaiting_assessment"}
