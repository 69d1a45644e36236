"""The RBAC matrix covers every URL pattern antq answers, and every method each accepts: a
new page or endpoint without its rows in tests/security/matrix.py fails here."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from tests.security import world as the_world
from tests.security.matrix import ROWS
from tests.security.test_rbac_matrix import difference, fingerprint, url_of
from tests.security.world import SUPER

# The world's fixtures, for this module (world.py says why they replace two of the suite's).
world, db, _plain_static_storage = the_world.world, the_world.db, the_world._plain_static_storage

# Patterns the matrix leaves out, each with its reason. Static files and uploads have no
# pattern here (WhiteNoise serves the static files; uploads go out through the views that
# check their record's scope, which are in the matrix).
EXCLUDED = {
    "set_language": "i18n: Django's language switch sets a cookie and touches no data",
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            inner = namespace
            if item.namespace:
                inner = f"{namespace}:{item.namespace}" if namespace else item.namespace
            yield from _walk(item, prefix + str(item.pattern), inner)
        elif isinstance(item, URLPattern):
            yield prefix + str(item.pattern), namespace, item


_ADMIN_OBJECT = re.compile(r"^admin/(\w+)/(\w+)/<path:object_id>/$")


def route_key(path: str, namespace: str, pattern: URLPattern) -> str:
    """The name the matrix knows the pattern by: its URL name, or, for the admin's two
    unnamed patterns, the bare object address (on to its change form) and the catch-all."""
    if pattern.name:
        return f"{namespace}:{pattern.name}" if namespace else pattern.name
    if match := _ADMIN_OBJECT.match(path):
        return f"admin:{match[1]}_{match[2]}_redirect"
    if namespace == "admin" and path.endswith("(?P<url>.*)$"):
        return "admin:catch_all"
    raise AssertionError(f"an unnamed pattern the matrix cannot name: {path}")


def routes() -> dict[str, URLPattern]:
    found = {}
    for path, namespace, pattern in _walk(get_resolver()):
        key = route_key(path, namespace, pattern)
        assert key not in found, f"two patterns answer to {key}"
        found[key] = pattern
    return found


def declared() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in ROWS:
        out.setdefault(row.name, set()).add(row.method)
    return out


def test_every_pattern_has_rows_in_the_matrix():
    missing = sorted(set(routes()) - set(declared()) - set(EXCLUDED))
    assert not missing, (
        "URL patterns without rows in tests/security/matrix.py (say who may use them): "
        + ", ".join(missing)
    )


def test_every_row_names_a_pattern_that_exists():
    stale = sorted(set(declared()) - set(routes()))
    assert not stale, "rows of the matrix for patterns that no longer exist: " + ", ".join(stale)


def test_the_exclusions_are_patterns_that_exist():
    assert set(EXCLUDED) <= set(routes())


def _api_methods(pattern: URLPattern) -> set[str] | None:
    view = getattr(pattern.callback, "cls", None)
    if view is None or not issubclass(view, APIView):
        return None
    return {m.upper() for m in view.http_method_names if hasattr(view, m)} & set(METHODS)


def test_every_method_of_an_api_view_has_rows():
    problems = []
    rows = declared()
    for key, pattern in routes().items():
        methods = _api_methods(pattern)
        if methods is None or key in EXCLUDED:
            continue
        if methods != rows.get(key, set()):
            problems.append(f"{key}: accepts {sorted(methods)}, rows for {sorted(rows[key])}")
    assert not problems, "\n".join(problems)


def _undeclared() -> list[tuple[str, str]]:
    """The pages' GET or POST without a row. (A Django view takes any method unless it says
    otherwise; antq's views tell only POST apart — a PUT or DELETE is answered as a GET — so
    GET and POST are the two to try. The API's views were checked above.)"""
    rows = declared()
    cases = []
    for key, pattern in routes().items():
        if key in EXCLUDED or _api_methods(pattern) is not None:
            continue
        cases += [(key, method) for method in ("GET", "POST") if method not in rows[key]]
    return cases


@pytest.mark.parametrize(("key", "method"), _undeclared(), ids=lambda v: str(v))
def test_a_method_without_a_row_is_refused_or_changes_nothing(world, db, key, method):
    """A page's method the matrix has no row for is either refused (405) or read-only: a
    POST that a view treats as a GET, a GET of an action that only redirects. Tried as the
    superuser, who reaches the most."""
    from django.conf import settings
    from django.test import Client

    row = next(r for r in ROWS if r.name == key)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[SUPER]
    url = url_of(world, row)
    query = row.query(world) if callable(row.query) else row.query
    before = fingerprint()
    response = client.generic(method, url + (f"?{_encode(query)}" if query else ""))
    changed = difference(before, fingerprint())
    assert response.status_code == 405 or not changed, (
        f"{method} {url} has no row in the matrix, answered {response.status_code} and "
        f"changed {changed}"
    )


def _encode(query: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(query, doseq=True)
