"""/healthz: 200 when the database, the cache, the disk and the migrations are fine, 503 with
the failing check named otherwise; no login, no secret, reachable by address over HTTP."""

from __future__ import annotations

import json

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def health(client, **extra):
    response = client.get("/healthz", **extra)
    return response, json.loads(response.content)


def test_a_healthy_server_answers_200_with_every_check(client):
    response, body = health(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert body["status"] == "ok"
    assert {"database", "cache", "disk", "migrations"} <= set(body["checks"])
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert body["checks"]["migrations"]["unapplied"] == 0
    assert body["checks"]["disk"]["free_bytes"] >= body["checks"]["disk"]["min_bytes"]


def test_it_needs_no_login_and_tells_no_secret(client, settings):
    response, _body = health(client)
    text = response.content.decode()
    assert response.status_code == 200
    assert settings.SECRET_KEY not in text
    assert str(settings.DATA_DIR) not in text
    assert str(connection.settings_dict["NAME"]) not in text
    assert "Set-Cookie" not in response.headers


def test_a_full_disk_fails_the_check(client, settings):
    settings.ANTQ_HEALTH_MIN_FREE_MB = 1024 * 1024 * 1024  # a petabyte
    response, body = health(client)
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["checks"]["disk"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"


def test_a_cache_that_keeps_nothing_fails_the_check(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response, body = health(client)
    assert response.status_code == 503
    assert body["checks"]["cache"]["status"] == "error"


def test_an_unreachable_redis_fails_the_check_quickly(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    response, body = health(client)
    assert response.status_code == 503
    assert body["checks"]["cache"]["status"] == "error"
    assert "9/0" not in response.content.decode()


def test_a_running_redis_passes(client, settings, redis_url):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "antq-test",
        }
    }
    response, body = health(client)
    assert response.status_code == 200, body
    assert body["checks"]["cache"]["status"] == "ok"


def test_an_unapplied_migration_fails_the_check(client):
    from django.db.migrations.loader import MigrationLoader

    app, name = next(n for n in MigrationLoader(connection).graph.leaf_nodes() if n[0] == "core")
    with connection.cursor() as cursor:  # as if the code were newer than the database
        cursor.execute("DELETE FROM django_migrations WHERE app = %s AND name = %s", [app, name])
    response, body = health(client)
    assert response.status_code == 503
    assert body["checks"]["migrations"] == {"status": "error", "unapplied": 1}


def test_a_database_that_does_not_answer_fails_the_check_without_saying_why(client, broken_replica):
    response, body = health(client)
    assert response.status_code == 503
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["database_replica"] == {"status": "error"}
    assert broken_replica not in response.content.decode()


def test_only_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_probes_reach_a_production_server_by_address_over_plain_http(client, settings):
    settings.ALLOWED_HOSTS = ["antq.example.gov.vn"]
    settings.SECURE_SSL_REDIRECT = True
    response, body = health(client, HTTP_HOST="10.0.0.11:8000")
    assert response.status_code == 200 and body["status"] == "ok"
    assert client.get("/metrics", HTTP_HOST="10.0.0.11:8000").status_code == 200
    # every other path still checks the host and moves to HTTPS
    assert client.get("/", HTTP_HOST="10.0.0.11:8000").status_code == 400
    moved = client.get("/", HTTP_HOST="antq.example.gov.vn")
    assert moved.status_code == 301 and moved["Location"] == "https://antq.example.gov.vn/"
    assert client.get("/healthzz", HTTP_HOST="10.0.0.11:8000").status_code == 400


def test_redis_url_makes_the_cache_shared_and_quick_to_fail(tmp_path):
    import subprocess
    import sys

    code = "from antq import settings as s; import json; print(json.dumps(s.CACHES['default'], default=str))"
    env = {"ANTQ_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    with_redis = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "REDIS_URL": "redis://:secret@10.0.0.13:6379/2"},
        capture_output=True,
        text=True,
        check=True,
    )
    cache = json.loads(with_redis.stdout)
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://:secret@10.0.0.13:6379/2"
    assert cache["OPTIONS"]["socket_connect_timeout"] <= 2
    assert cache["OPTIONS"]["socket_timeout"] <= 2
    without = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(without.stdout)["BACKEND"].endswith("FileBasedCache")
