"""Reads of the analytics engine go to a read replica when one is configured
(DATABASE_REPLICA_URL): totals over a province or the country are the heavy reads, and the
primary keeps its time for data entry. Everything else — every write, and every read inside
a transaction on the primary, which must see its own writes — stays on "default".

A replica lags its primary by a moment: a value saved a second ago may be missing from a
dashboard read from the replica (docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_analytics = ContextVar("antq_analytics_reads", default=False)


@contextmanager
def analytics_reads() -> Iterator[None]:
    """Within this block, reads may be answered by the replica."""
    token = _analytics.set(True)
    try:
        yield
    finally:
        _analytics.reset(token)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def primary_in_transaction() -> bool:
    return connections[DEFAULT_DB_ALIAS].in_atomic_block


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if _analytics.get() and replica_configured() and not primary_in_transaction():
            return REPLICA
        return None

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema
