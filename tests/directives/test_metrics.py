"""Reminders in /metrics: the tasks `antq remind` would chase today."""

from __future__ import annotations

import pytest
from django.utils import timezone

from antq.directives.selectors import due_soon_and_overdue
from tests.scrape import by_label, scrape

pytestmark = pytest.mark.django_db


def test_reminders_due_are_what_antq_remind_would_chase(client, chain):
    soon, late = due_soon_and_overdue(today=timezone.localdate(), days=7)
    assert late  # the plan's first task was due on 31/05/2019 and nobody reported
    reminders = by_label(scrape(client)["antq_reminders_due"], "kind")
    assert reminders == {"due_soon": float(len(soon)), "overdue": float(len(late))}
