"""Every cell of the RBAC matrix (tests/security/matrix.py): the persona's request to the
pattern gets the answer the table says; a denied write changes nothing in the database, an
allowed one does what it says."""

from __future__ import annotations

import functools
import json
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.security import world as the_world
from tests.security.matrix import ROWS, Row, expected
from tests.security.world import ANON, PERSONAS, TOKEN, World

# The world's fixtures, for this module (world.py says why they replace two of the suite's).
world, db, _plain_static_storage = the_world.world, the_world.db, the_world._plain_static_storage

CELLS = [(row, persona) for row in ROWS for persona in PERSONAS]


# --- requests ---------------------------------------------------------------------------------


def url_of(world: World, row: Row) -> str:
    kwargs = {**world.args[row.target], **row.extra}
    if row.name == "admin:catch_all":
        return "/admin/no-such-page/"
    if row.name.endswith("_redirect"):  # the admin's bare object address: on to its change form
        app, model = row.target.split(":", 1)[1].split(".")
        return f"/admin/{app}/{model}/{kwargs['object_id']}/"
    return reverse(row.name, kwargs=kwargs or None)


def fresh_client(world: World) -> Client:
    """A client with no cookies; its handler (the middleware chain) is built once."""
    client = world.objects.get("_client")
    if client is None:
        client = world.objects["_client"] = Client()
    client.cookies = SimpleCookie()
    return client


def send(world: World, row: Row, persona: str):
    client = fresh_client(world)
    headers: dict[str, str] = dict(row.headers)
    if persona == TOKEN:
        headers["HTTP_AUTHORIZATION"] = f"Token {world.token}"
    elif persona != ANON:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    url = url_of(world, row)
    query = row.query(world) if callable(row.query) else row.query
    if query and row.method != "GET":
        url = f"{url}?{_encode(query)}"
    data = row.data(world, persona) if row.data is not None else None
    before = fingerprint() if row.is_write else None
    if row.method == "GET":
        response = client.get(url, query or {}, **headers)
    elif row.json:
        response = client.generic(
            row.method,
            url,
            json.dumps(data or {}),
            content_type="application/json",
            **headers,
        )
    elif row.method == "POST":
        response = client.post(url, data or {}, **headers)
    else:
        response = client.generic(row.method, url, **headers)
    after = fingerprint() if row.is_write else None
    return response, before, after


def _encode(query: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(query, doseq=True)


# --- answers ----------------------------------------------------------------------------------


def answer(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code == 302:
        if location.startswith("/accounts/login/"):
            return "login"
        if location.startswith("/admin/login/"):
            return "admin-login"
        return "done"
    return str(response.status_code)


def describe(response) -> str:
    text = ""
    if response.headers.get("Content-Type", "").startswith(("text/", "application/json")):
        text = response.content.decode(errors="replace")
        if "<main" in text:
            text = text[text.index("<main") :]
        text = " ".join(text.split())[:600]
    return f"{response.status_code} {response.headers.get('Location', '')} {text}"


# --- the database's state ---------------------------------------------------------------------

# Not part of the state a write may change:
IGNORED_TABLES = {
    "django_session",  # every request may touch its own session
    "core_auditevent",  # counted below, without the records of refused tip reads
    # an import that fails keeps its job (the page that lists the problems); no data
    "indicators_importjob",
}
# Updates, not only inserts and deletes: the fields whose change a write would make.
WATCHED = {
    "accounts.user": ("password", "is_active", "is_superuser"),
    "accounts.membership": ("role", "valid_from", "valid_to"),
    "core.notification": ("read_at",),
    "directives.document": ("symbol", "subject", "status", "issuer_id"),
    "indicators.datavalue": ("value", "comment"),
    "indicators.submission": ("status", "decided_by_id"),
    "indicators.derivedchange": ("status",),
    "grassroots.selfmanagementmodel": ("name", "status", "members", "area_id"),
    "grassroots.securityteam": ("name", "area_id"),
    "grassroots.teammember": ("full_name", "left_on"),
    "grassroots.mediaitem": ("title", "area_id"),
    "grassroots.movementevent": ("title", "area_id"),
    "grassroots.movementassessment": ("status", "self_total", "review_total"),
    "grassroots.criteriasheet": ("name", "owner_id"),
    "grassroots.criterion": ("text", "max_points"),
    "tips.tip": ("state", "triage", "kind", "topic", "body_id", "assignee_id", "deadline"),
    "inspections.inspection": ("extension_days", "closed_on", "conclusion_id", "outline_sent_on"),
    "inspections.selfreport": ("status",),
    "inspections.selfreportsection": ("text",),
    "inspections.recommendation": ("carried_over_on",),
}


@functools.cache
def _fingerprint_sql() -> tuple[list[str], str]:
    """One query for the whole state: each table's row count, the audit events (but the
    records of refused tip reads), and the watched fields of each watched table."""
    quote = connection.ops.quote_name
    names, parts = [], []
    for table in sorted(connection.introspection.django_table_names(only_existing=True)):
        if table not in IGNORED_TABLES:
            names.append(f"rows:{table}")
            parts.append(f"(SELECT COUNT(*) FROM {quote(table)})")  # noqa: S608 (a model's table)
    names.append("audit")
    parts.append("(SELECT COUNT(*) FROM core_auditevent WHERE action <> 'tips.denied')")
    for label, fields in WATCHED.items():
        model = apps.get_model(label)
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        columns = [quote(model._meta.get_field(f.removesuffix("_id")).column) for f in fields]
        if connection.vendor == "postgresql":
            row = "concat_ws(',', " + ", ".join(f"quote_nullable({c})" for c in columns) + ")"
            parts.append(f"(SELECT string_agg({row}, ';' ORDER BY {pk}) FROM {table})")  # noqa: S608
        else:
            row = " || ',' || ".join(f"quote({c})" for c in columns)
            parts.append(
                f"(SELECT group_concat(r, ';') FROM (SELECT {row} AS r FROM {table} ORDER BY {pk}))"  # noqa: S608
            )
        names.append(f"state:{label}")
    return names, "SELECT " + ", ".join(parts)


def fingerprint() -> dict[str, Any]:
    names, sql = _fingerprint_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(names, cursor.fetchone(), strict=True))


def difference(before: dict, after: dict) -> list[str]:
    return [k for k in before if before[k] != after[k]]


# --- the cells --------------------------------------------------------------------------------


@pytest.mark.parametrize(("row", "persona"), CELLS, ids=[f"{r.id}|{p}" for r, p in CELLS])
def test_cell(world, db, row: Row, persona: str):
    response, before, after = send(world, row, persona)
    want = str(expected(row, persona))
    got = answer(response)
    assert got == want, f"{row.id} as {persona}: {want} expected, got {describe(response)}"
    if not row.is_write:
        return
    changed = difference(before, after)
    allowed = persona in row.ok or (ANON in row.ok and persona in (ANON, TOKEN))
    if not allowed:
        assert not changed, f"{row.id} as {persona} was refused but changed {changed}"
    elif row.must_change() is True:
        assert changed, f"{row.id} as {persona} answered {got} but changed nothing"
    elif row.must_change() is False:
        assert not changed, f"{row.id} as {persona} should change nothing; changed {changed}"
