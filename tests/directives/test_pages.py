"""The documents pages: register (errors), add tasks (errors), send, paste-and-link."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from antq.directives.models import Assignment, Document, DocumentLink, Task

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "kind": "KH",
        "symbol": "101-KH/TU",
        "issuer": "",
        "issuer_name": "",
        "issued_on": "01/04/2019",
        "term": "XVI",
        "subject": "Kế hoạch",
        "status": "in_force",
        "full_text": "",
    }
    data.update(overrides)
    return data


def test_a_manager_registers_a_document(client, chain):
    client.force_login(chain.manager)
    response = client.post("/documents/new/", form(issuer=chain.tinh_uy.pk))
    doc = Document.objects.get(symbol="101-KH/TU")
    assert response.status_code == 302 and response["Location"] == f"/documents/{doc.pk}/"


def test_a_duplicate_shows_a_link_to_the_existing_document(client, chain):
    client.force_login(chain.manager)
    response = client.post("/documents/new/", form(symbol="100-KH/TU", issuer=chain.tinh_uy.pk))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="duplicate"' in html and f'href="/documents/{chain.plan.pk}/"' in html


def test_a_fake_pdf_is_refused_on_the_form(client, chain, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(chain.manager)
    data = form(issuer=chain.tinh_uy.pk)
    data["file"] = SimpleUploadedFile("plan.pdf", b"<html>not a pdf</html>")
    response = client.post("/documents/new/", data)
    assert response.status_code == 400
    assert not Document.objects.filter(symbol="101-KH/TU").exists()


def test_officials_without_a_managing_role_cannot_register(client, chain):
    client.force_login(chain.viewer)
    assert client.get("/documents/new/").status_code == 403
    assert client.post("/documents/new/", form(issuer=chain.tinh_uy.pk)).status_code == 403


def test_a_task_without_a_lead_body_or_due_before_the_plan_is_a_form_error(client, chain):
    client.force_login(chain.manager)
    url = f"/documents/{chain.plan.pk}/tasks/new/"
    base = {"title": "Nhiệm vụ mới", "recurrence": "once", "due_on": "", "lead_body": ""}
    response = client.post(url, base)
    assert (
        response.status_code == 400 and 'data-testid="error-lead_body"' in response.content.decode()
    )
    response = client.post(url, {**base, "lead_body": chain.tinh_uy.pk, "due_on": "01/01/2019"})
    assert response.status_code == 400 and 'data-testid="error-due_on"' in response.content.decode()
    assert Task.objects.filter(plan=chain.plan).count() == 2
    response = client.post(
        url,
        {**base, "lead_body": chain.tinh_uy.pk, "due_on": "30/06/2019", "for_all_recipients": "on"},
    )
    assert response.status_code == 302 and Task.objects.filter(plan=chain.plan).count() == 3


def test_sending_the_plan_creates_assignments(client, chain):
    from antq.accounts.models import Body

    client.force_login(chain.manager)
    other = Body.objects.create(
        code="t-ban", name="Ban Tuyên giáo", kind="party_board", area=chain.tinh_uy.area
    )
    client.post(
        f"/documents/{chain.plan.pk}/send/", {"bodies": [other.pk], "sent_on": "22/03/2019"}
    )
    assert Assignment.objects.filter(body=other).count() == 2


def test_pasting_a_text_offers_to_link_each_cited_document(client, chain):
    client.force_login(chain.manager)
    text = (
        "Thực hiện Kết luận số 44-KL/TW, ngày 22/01/2019 và Luật số 30/2023/QH15 ngày 28/11/2023."
    )
    fragment = client.post(
        f"/documents/{chain.plan.pk}/parse/", {"text": text}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in fragment
    assert "44-KL/TW" in fragment and "30/2023/QH15" in fragment
    assert fragment.count('name="symbol"') == 2
    client.post(
        f"/documents/{chain.plan.pk}/citations/",
        {"text": text, "symbol": ["44-KL/TW", "30/2023/QH15"]},
    )
    assert Document.objects.get(symbol="30/2023/QH15").is_stub
    assert DocumentLink.objects.filter(source=chain.plan, kind="cites").count() == 2
    empty = client.post(
        f"/documents/{chain.plan.pk}/parse/",
        {"text": "không có văn bản nào"},
        HTTP_HX_REQUEST="true",
    )
    assert 'data-testid="no-citations"' in empty.content.decode()


def test_only_managers_of_the_issuer_change_a_document(client, chain):
    client.force_login(chain.district_official)
    assert (
        client.post(f"/documents/{chain.plan.pk}/parse/", {"text": "44-KL/TW"}).status_code == 403
    )
    assert client.get(f"/documents/{chain.plan.pk}/tasks/new/").status_code == 403
    assert (
        client.post(
            f"/documents/{chain.plan.pk}/link/", {"kind": "implements", "target_symbol": "44-KL/TW"}
        ).status_code
        == 403
    )
