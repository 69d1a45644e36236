"""The demo tells the seed's chain: 09-CT/TW → 44-KL/TW → 100-KH/TU → 11 district plans."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from antq.accounts.models import User
from antq.directives.models import Document, DocumentLink
from antq.directives.selectors import lineage, plan_dashboard

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_chain_and_its_progress(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("demo", "--prepare-only", stdout=io.StringIO())
    call_command("demo", "--prepare-only", stdout=io.StringIO())  # idempotent
    admin = User.objects.get(username="quantri")
    kl44 = Document.objects.get(symbol="44-KL/TW")
    [ct09] = [n.document for n in lineage(admin, kl44)["up"]]
    assert ct09.symbol == "09-CT/TW" and ct09.issued_on.isoformat() == "2011-12-01"
    [plan] = [n for n in lineage(admin, kl44)["down"]]
    assert (
        plan.document.symbol == "100-KH/TU" and plan.document.issued_on.isoformat() == "2019-03-22"
    )
    district_plans = [n.document for n in plan.children]
    assert len(district_plans) == 11
    assert all(
        d.is_illustrative and d.issuer.name.startswith(("Huyện ủy", "Thành ủy"))
        for d in district_plans
    )
    assert DocumentLink.objects.filter(kind="implements", target=plan.document).count() == 11
    rows = plan_dashboard(admin, plan.document)
    statuses = {s for r in rows for s in r.counts}
    assert {"done", "done_late"} <= statuses  # a realistic mix
    assert Document.objects.filter(symbol="100-KH/TU").count() == 1
