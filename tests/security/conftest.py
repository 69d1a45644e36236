"""The matrix's world, built once per module inside a transaction that is rolled back at the
end of the module, and each test in a savepoint of it, rolled back too: what one cell writes,
no other cell sees.

Two fixtures of the suite are replaced here, for speed (the matrix has thousands of cells):
`db` is a savepoint in the world's transaction rather than a Django test case per test (whose
set-up, and its check of deferred constraints over the whole database before the rollback,
cost more than most cells), and the settings the suite sets for every test are set once for
the module.
"""

from __future__ import annotations

import os
import tempfile

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test.utils import override_settings

from tests.security import world as world_module


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    env = world_module.master_key_env()
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    media = tempfile.TemporaryDirectory(prefix="antq-matrix-")
    from django.conf import settings as django_settings

    settings = override_settings(
        MEDIA_ROOT=media.name,
        ANTQ_IMPORTS_INLINE=True,  # a thread would not see the test's transaction
        PASSWORD_HASHERS=["tests.hashers.FastArgon2PasswordHasher"],
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        STORAGES={
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    settings.enable()
    try:
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                built = world_module.build()
                built.sessions = sessions(built)
                yield built
            finally:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
    finally:
        settings.disable()
        media.cleanup()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def sessions(world) -> dict[str, str]:
    """A session per persona, made once: each test sends its cookie (what the test writes to
    its session is rolled back with the rest)."""
    from django.conf import settings
    from django.test import Client

    out = {}
    for persona, user in world.users.items():
        if user is not None and persona != world_module.TOKEN:
            client = Client()
            client.force_login(user)
            out[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return out


@pytest.fixture
def db(world, django_db_blocker):
    """A savepoint in the world's transaction for one test, rolled back after it."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _plain_static_storage():
    """The suite's settings for each test are the world's, set once (above); the cache
    (throttles, rate limits) starts empty for each test."""
    cache.clear()
