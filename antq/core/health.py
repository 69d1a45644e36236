"""/healthz: can this server do its work — the databases answer, the cache keeps a value,
the data directory's disk has room, no migration waits — in a few cheap queries.

No login, no secret in the answer (what failed is logged, not shown): a load balancer or a
monitoring probe reads the status code, 200 or 503.
"""

from __future__ import annotations

import logging
import secrets
import shutil

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse

log = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"


def check_database(alias: str) -> dict:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        log.error("healthz: database %s does not answer", alias, exc_info=True)
        return {"status": ERROR}
    return {"status": OK}


def check_cache() -> dict:
    key = f"antq:healthz:{secrets.token_hex(8)}"
    try:
        cache.set(key, "1", 10)
        kept = cache.get(key) == "1"
        cache.delete(key)
    except Exception:
        log.error("healthz: the cache does not answer", exc_info=True)
        return {"status": ERROR}
    if not kept:
        log.error("healthz: the cache did not keep a value")
    return {"status": OK if kept else ERROR}


def check_disk() -> dict:
    minimum = settings.ANTQ_HEALTH_MIN_FREE_MB * 1024 * 1024
    free = shutil.disk_usage(settings.DATA_DIR).free
    return {"status": OK if free >= minimum else ERROR, "free_bytes": free, "min_bytes": minimum}


def check_migrations() -> dict:
    """Migrations of the code being run not applied yet (`antq setup` not run after an
    upgrade). The migration graph is read from the loaded modules: a few milliseconds."""
    try:
        executor = MigrationExecutor(connections["default"])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        log.error("healthz: cannot read the migrations", exc_info=True)
        return {"status": ERROR}
    return {"status": OK if not plan else ERROR, "unapplied": len(plan)}


def health() -> dict:
    checks: dict[str, dict] = {}
    for alias in connections:
        checks["database" if alias == "default" else f"database_{alias}"] = check_database(alias)
    checks["cache"] = check_cache()
    checks["disk"] = check_disk()
    if checks["database"]["status"] == OK:
        checks["migrations"] = check_migrations()
    else:
        checks["migrations"] = {"status": ERROR}
    status = OK if all(c["status"] == OK for c in checks.values()) else ERROR
    return {"status": status, "checks": checks}


def healthz_view(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse("method not allowed\n", status=405, content_type="text/plain")
        response["Allow"] = "GET, HEAD"
        return response
    answer = health()
    response = JsonResponse(answer, status=200 if answer["status"] == OK else 503)
    response["Cache-Control"] = "no-store"
    return response
