"""Prometheus metrics for /metrics: requests by method, route and status and their latency
by route (counted by antq.core.middleware.RequestMiddleware), whether each database answers,
the data directory's free space, and gauges read from the database at scrape time, which
each app registers in its AppConfig.ready() — so core names no domain, and the tip line
gives only what it chooses to (a total).

Several gunicorn workers: `antq serve` points PROMETHEUS_MULTIPROC_DIR at a fresh directory
before the workers start; each worker writes its counts there and any worker answering a
scrape adds up all of them (prometheus_client's multiprocess mode). Without it (runserver,
tests) the counts are the process's own. prometheus_client is imported only on first use, so
that the directory is set before it is read.
"""

from __future__ import annotations

import functools
import hmac
import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse

from antq.core.clients import LOOPBACK, parse_networks, request_from

log = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Seconds; the latency target of a page or API call is 0.3 s at the 95th percentile.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"  # what generate_latest writes
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

Samples = Iterable[tuple[tuple[str, ...], float]]


@dataclass(frozen=True)
class Gauge:
    """A figure read from the database when scraped, kept `ttl` seconds in the cache (so
    that a scrape every few seconds by every worker costs one count now and then)."""

    name: str
    help: str
    labels: tuple[str, ...]
    read: Callable[[], Samples]
    ttl: int = 30


_gauges: dict[str, Gauge] = {}


def register_gauge(
    name: str, help: str, read: Callable[[], Samples], *, labels: tuple[str, ...] = (), ttl=30
) -> None:
    """Called from an app's ready(); `read` returns (label values, value) pairs."""
    if not name.startswith("antq_"):
        raise ValueError(f"metric {name!r} must start with antq_")
    _gauges[name] = Gauge(name=name, help=help, labels=labels, read=read, ttl=ttl)


def registered_gauges() -> list[Gauge]:
    return list(_gauges.values())


# --- Requests -----------------------------------------------------------------------------


@functools.cache
def _instruments():
    import prometheus_client
    from prometheus_client import CollectorRegistry, Counter, Histogram

    prometheus_client.disable_created_metrics()
    registry = CollectorRegistry(auto_describe=True)
    requests = Counter(
        "antq_http_requests",
        "HTTP requests answered, by method, route name and status.",
        ["method", "route", "status"],
        registry=registry,
    )
    latency = Histogram(
        "antq_http_request_duration_seconds",
        "Time to answer an HTTP request, by route name.",
        ["route"],
        buckets=LATENCY_BUCKETS,
        registry=registry,
    )
    return registry, requests, latency


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    _registry, requests, latency = _instruments()
    method = method if method in METHODS else "other"
    requests.labels(method=method, route=route, status=str(status)).inc()
    latency.labels(route=route).observe(seconds)


# --- Scrape -------------------------------------------------------------------------------


def _database_up(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:
        log.warning("database %s does not answer", alias, exc_info=True)
        return False


def _gauge_samples(gauge: Gauge) -> list[tuple[tuple[str, ...], float]] | None:
    key = f"antq:metrics:{gauge.name}"
    try:
        cached = cache.get(key)
    except Exception:  # a cache that does not answer: read the database instead
        cached = None
    if cached is not None:
        return cached
    try:
        samples = [(tuple(str(v) for v in labels), float(value)) for labels, value in gauge.read()]
    except Exception:
        log.warning("metric %s could not be read", gauge.name, exc_info=True)
        return None
    try:
        cache.set(key, samples, gauge.ttl)
    except Exception:
        log.warning("metric %s could not be cached", gauge.name, exc_info=True)
    return samples


class _StateCollector:
    """What is read at scrape time: databases, disk, the apps' gauges, the version."""

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily

        from antq import __version__

        yield InfoMetricFamily("antq_build", "antq's version.", value={"version": __version__})
        up = GaugeMetricFamily("antq_database_up", "1 when the database answers.", labels=["alias"])
        for alias in connections:
            up.add_metric([alias], 1.0 if _database_up(alias) else 0.0)
        yield up
        free = GaugeMetricFamily(
            "antq_data_dir_free_bytes", "Free space on the data directory's disk."
        )
        free.add_metric([], float(shutil.disk_usage(settings.DATA_DIR).free))
        yield free
        for gauge in registered_gauges():
            samples = _gauge_samples(gauge)
            if samples is None:
                continue
            family = GaugeMetricFamily(gauge.name, gauge.help, labels=list(gauge.labels))
            for labels, value in samples:
                family.add_metric(list(labels), value)
            yield family


_scrape_lock = threading.Lock()


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, and its content type."""
    from prometheus_client import CollectorRegistry, generate_latest

    registry, _requests, _latency = _instruments()
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    state = CollectorRegistry(auto_describe=False)
    state.register(_StateCollector())
    with _scrape_lock:
        body = generate_latest(registry) + generate_latest(state)
    return body, CONTENT_TYPE


# --- Who may read them ----------------------------------------------------------------------


def _token_ok(request: HttpRequest) -> bool:
    token = settings.ANTQ_METRICS_TOKEN
    scheme, _sep, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def may_read(request: HttpRequest) -> bool:
    """The loopback, the networks in ANTQ_METRICS_ALLOWED, or the bearer of
    ANTQ_METRICS_TOKEN. Behind a proxy the forwarded client must be allowed too."""
    if _token_ok(request):
        return True
    networks = LOOPBACK + parse_networks(settings.ANTQ_METRICS_ALLOWED)
    return request_from(request, networks)


def metrics_view(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse("method not allowed\n", status=405, content_type="text/plain")
        response["Allow"] = "GET, HEAD"
        return response
    if not may_read(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    body, content_type = exposition()
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response
