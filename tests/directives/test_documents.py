"""The documents register: duplicates, files, links, citations, lineage."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from antq.core.models import AuditEvent
from antq.directives.models import Document, DocumentKind, DocumentLink, LinkKind
from antq.directives.selectors import lineage
from antq.directives.services import (
    DuplicateDocument,
    document_create,
    document_link,
    document_link_citations,
    progress_report_create,
    task_create,
)
from antq.directives.symbols import parse_references
from tests.directives.conftest import assignment_of

pytestmark = pytest.mark.django_db
D = dt.date

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def create(chain, **overrides):
    fields = dict(
        actor=chain.manager,
        kind=DocumentKind.PLAN,
        symbol="101-KH/TU",
        issuer=chain.tinh_uy,
        issued_on=D(2019, 4, 1),
        term="XVI",
        subject="Một kế hoạch khác",
    )
    fields.update(overrides)
    return document_create(**fields)


def test_the_same_symbol_from_the_same_issuer_in_the_same_term_is_refused(chain):
    with pytest.raises(DuplicateDocument) as caught:
        create(chain, symbol="100 - KH/TU", issued_on=D(2019, 6, 1))
    assert caught.value.existing == chain.plan
    assert Document.objects.filter(symbol="100-KH/TU").count() == 1


def test_the_same_number_in_another_term_or_from_another_issuer_is_a_new_document(chain):
    assert create(chain, symbol="100-KH/TU", issued_on=D(2021, 3, 1), term="XVII").pk
    assert create(chain, symbol="100-KH/TU", issuer=chain.van_lang, issued_on=D(2019, 4, 2)).pk


def test_state_documents_number_anew_each_year(chain):
    create(chain, kind=DocumentKind.DECISION, symbol="12/QĐ-UBND", issued_on=D(2020, 2, 1), term="")
    with pytest.raises(DuplicateDocument):
        create(
            chain, kind=DocumentKind.DECISION, symbol="12/QĐ-UBND", issued_on=D(2020, 9, 1), term=""
        )
    assert create(
        chain, kind=DocumentKind.DECISION, symbol="12/QĐ-UBND", issued_on=D(2021, 1, 5), term=""
    ).pk


def test_a_bad_symbol_or_a_missing_issuer_is_refused(chain):
    with pytest.raises(ValidationError) as caught:
        create(chain, symbol="kế hoạch số một")
    assert "symbol" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        create(chain, issuer=None, issuer_name=" ")
    assert "issuer" in caught.value.message_dict


def test_pdf_and_docx_files_are_accepted_by_content(chain, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    doc = create(chain, file=SimpleUploadedFile("kh.bin", PDF))
    assert doc.file_type == "pdf" and doc.file.read() == PDF
    doc2 = create(chain, symbol="102-KH/TU", file=SimpleUploadedFile("kh", docx_bytes()))
    assert doc2.file_type == "docx"


@pytest.mark.parametrize(
    "content",
    [b"not a pdf at all", b"PK\x03\x04broken zip", b"MZ\x90\x00 an executable"],
)
def test_a_file_that_is_not_really_pdf_or_docx_is_refused(chain, settings, tmp_path, content):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as caught:
        create(chain, file=SimpleUploadedFile("plan.pdf", content))
    assert caught.value.code == "bad_type"
    assert not Document.objects.filter(symbol="101-KH/TU").exists()


def test_a_file_over_the_limit_is_refused(chain, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ANTQ_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as caught:
        create(chain, file=big)
    assert caught.value.code == "too_large"


def test_links_refuse_self_and_loops(chain):
    with pytest.raises(ValidationError):
        document_link(source=chain.plan, target=chain.plan, kind=LinkKind.IMPLEMENTS, actor=None)
    with pytest.raises(ValidationError) as caught:
        document_link(
            source=chain.conclusion, target=chain.plan, kind=LinkKind.CONTINUES, actor=None
        )
    assert caught.value.code == "cycle"


def test_pasted_text_links_every_cited_document_and_creates_stubs(chain):
    text = (
        "Thực hiện Kết luận số 44-KL/TW, ngày 22/01/2019 của Ban Bí thư và Nghị định số "
        "09/2019/NĐ-CP ngày 24/01/2019 của Chính phủ quy định về chế độ báo cáo."
    )
    outcomes = document_link_citations(
        source=chain.plan, references=parse_references(text), actor=chain.manager
    )
    assert [(o.document.symbol, o.created_stub) for o in outcomes] == [
        ("44-KL/TW", False),
        ("09/2019/NĐ-CP", True),
    ]
    stub = Document.objects.get(symbol="09/2019/NĐ-CP")
    assert stub.is_stub and stub.issued_on == D(2019, 1, 24) and stub.kind == "NĐ"
    assert DocumentLink.objects.filter(source=chain.plan, kind="cites").count() == 2
    # registering the real document later completes the stub instead of duplicating it
    full = document_create(
        actor=chain.manager,
        kind="NĐ",
        symbol="09/2019/NĐ-CP",
        issuer_name="Chính phủ",
        issued_on=D(2019, 1, 24),
        subject="Quy định về chế độ báo cáo của cơ quan hành chính nhà nước",
    )
    assert full.pk == stub.pk and not full.is_stub


def test_an_implementing_plan_given_as_evidence_joins_the_lineage(chain):
    district_plan = document_create(
        actor=chain.district_official,
        kind=DocumentKind.PLAN,
        symbol="118-KH/HU",
        issuer=chain.van_lang,
        issued_on=D(2019, 4, 27),
        subject="Thực hiện Kế hoạch 100-KH/TU",
    )
    progress_report_create(
        assignment=assignment_of(chain, chain.van_lang),
        text="Đã ban hành kế hoạch",
        completed=True,
        reported_on=D(2019, 4, 27),
        evidence=district_plan,
        actor=chain.district_official,
    )
    tree = lineage(chain.manager, chain.conclusion)
    [plan_node] = tree["down"]
    assert plan_node.document == chain.plan
    assert [n.document.symbol for n in plan_node.children] == ["118-KH/HU"]
    up = lineage(chain.manager, district_plan)["up"]
    assert [n.document.symbol for n in up] == ["100-KH/TU"]
    assert [n.document.symbol for n in up[0].children] == ["44-KL/TW"]


def test_a_task_needs_a_lead_body_and_a_deadline_after_the_plan(chain):
    with pytest.raises(ValidationError) as caught:
        task_create(plan=chain.plan, title="Nhiệm vụ", lead_body=None, actor=None)
    assert "lead_body" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        task_create(
            plan=chain.plan,
            title="Nhiệm vụ",
            lead_body=chain.tinh_uy,
            due_on=D(2019, 1, 1),
            actor=None,
        )
    assert "due_on" in caught.value.message_dict


def test_writes_are_audited(chain):
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "directives.document_create",
        "directives.link_create",
        "directives.task_create",
        "directives.plan_send",
    } <= actions
