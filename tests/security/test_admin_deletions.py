"""What the audit log accounts for (documents, tasks and their reports, data values, API
tokens) is not deleted through the admin, by a superuser either: there is no delete page
nor bulk action for them."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client

from tests.security import world as the_world
from tests.security.world import SUPER

# The world's fixtures, for this module (world.py says why they replace two of the suite's).
world, db, _plain_static_storage = the_world.world, the_world.db, the_world._plain_static_storage

LABELS = (
    "directives.document",
    "directives.documentlink",
    "directives.task",
    "directives.assignment",
    "directives.progressreport",
    "indicators.datavalue",
    "accounts.apitoken",
)


@pytest.mark.parametrize("label", LABELS)
def test_a_superuser_deletes_none_of_them_in_the_admin(world, db, label):
    model = apps.get_model(label)
    obj = model.objects.order_by("pk").first()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[SUPER]
    app, name = label.split(".")
    page = f"/admin/{app}/{name}/"
    assert client.post(f"{page}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    listed = client.get(page)
    assert listed.status_code == 200 and "delete_selected" not in listed.content.decode()
    client.post(page, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    assert model.objects.filter(pk=obj.pk).exists()
