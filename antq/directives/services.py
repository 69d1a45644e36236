"""Writes for documents, links, plans, tasks, assignments and progress; each one audited."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from antq.accounts.models import Body
from antq.core.services import audit_record
from antq.directives.models import (
    Assignment,
    Document,
    DocumentKind,
    DocumentLink,
    LinkKind,
    ProgressReport,
    Task,
)
from antq.directives.symbols import Reference, normalise_symbol


class DuplicateDocument(ValidationError):
    """The same symbol from the same issuer is already registered."""

    def __init__(self, existing: Document):
        self.existing = existing
        super().__init__(
            _("%(doc)s from %(issuer)s is already registered.")
            % {"doc": existing, "issuer": existing.issuer_label or _("an unknown issuer")},
            code="duplicate",
        )


def max_upload_bytes() -> int:
    return settings.ANTQ_MAX_UPLOAD_MB * 1024 * 1024


def sniff_document_file(upload: UploadedFile) -> str:
    """'pdf' or 'docx', judged by content (not by name); ValidationError otherwise."""
    if upload.size > max_upload_bytes():
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": upload.size / 1024 / 1024, "limit": settings.ANTQ_MAX_UPLOAD_MB},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        finally:
            upload.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
    raise ValidationError(
        _("Only PDF or Word (DOCX) files are accepted; this file is neither."), code="bad_type"
    )


def _find_duplicate(
    *, symbol: str, issuer: Body | None, issuer_name: str, issued_on: dt.date | None, term: str
) -> Document | None:
    """Numbering restarts each term for Party documents and each year for state documents.
    A stub (made from a citation, its issuer only a code) matches whoever registers it."""
    stub = (
        Document.objects.filter(symbol=symbol, is_stub=True)
        .filter(Q(issued_on=issued_on) | Q(issued_on__isnull=True))
        .first()
    )
    if stub is not None:
        return stub
    qs = Document.objects.filter(symbol=symbol, is_stub=False)
    qs = (
        qs.filter(issuer=issuer)
        if issuer
        else qs.filter(issuer__isnull=True, issuer_name=issuer_name)
    )
    for doc in qs:
        if doc.is_stub or issued_on is None or doc.issued_on is None:
            return doc
        if term and doc.term:
            if term == doc.term:
                return doc
        elif doc.issued_on.year == issued_on.year:
            return doc
    return None


_DOC_FIELDS = (
    "kind",
    "symbol",
    "number",
    "issuer_id",
    "issuer_name",
    "issued_on",
    "term",
    "subject",
    "status",
    "is_illustrative",
)


@transaction.atomic
def document_create(
    *,
    actor: Any,
    kind: str,
    symbol: str,
    issuer: Body | None = None,
    issuer_name: str = "",
    issued_on: dt.date | None = None,
    term: str = "",
    subject: str = "",
    full_text: str = "",
    status: str = "in_force",
    file: UploadedFile | None = None,
    is_illustrative: bool = False,
) -> Document:
    normal = normalise_symbol(symbol)
    if normal is None:
        raise ValidationError(
            {
                "symbol": _(
                    "“%(symbol)s” is not a document symbol such as 44-KL/TW or 30/2020/NĐ-CP."
                )
                % {"symbol": symbol[:60]}
            },
            code="bad_symbol",
        )
    if issuer is None and not issuer_name.strip():
        raise ValidationError({"issuer": _("Give the issuing body.")}, code="no_issuer")
    existing = _find_duplicate(
        symbol=normal, issuer=issuer, issuer_name=issuer_name, issued_on=issued_on, term=term
    )
    if existing is not None:
        if existing.is_stub:
            return document_complete_stub(
                existing,
                actor=actor,
                kind=kind,
                issuer=issuer,
                issuer_name=issuer_name,
                issued_on=issued_on,
                term=term,
                subject=subject,
                full_text=full_text,
                status=status,
                file=file,
                is_illustrative=is_illustrative,
            )
        raise DuplicateDocument(existing)
    doc = Document(
        kind=kind,
        symbol=normal,
        number=normal.split("/")[0].split("-")[0],
        issuer=issuer,
        issuer_name=issuer_name.strip(),
        issued_on=issued_on,
        term=term.strip(),
        subject=subject.strip(),
        full_text=full_text,
        status=status,
        is_illustrative=is_illustrative,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _attach_file(doc, file)
    doc.save()
    audit_record(actor=actor, action="directives.document_create", obj=doc, summary=str(doc))
    return doc


def _attach_file(doc: Document, file: UploadedFile | None) -> None:
    if file is None:
        return
    doc.file_type = sniff_document_file(file)
    doc.file_name = (file.name or f"document.{doc.file_type}")[-255:]
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    doc.file.save(f"{stamp}-{doc.symbol.replace('/', '_')}.{doc.file_type}", file, save=False)


@transaction.atomic
def document_complete_stub(doc: Document, *, actor: Any, **fields: Any) -> Document:
    file = fields.pop("file", None)
    for key, value in fields.items():
        setattr(doc, key, value.strip() if isinstance(value, str) and key != "full_text" else value)
    doc.is_stub = False
    _attach_file(doc, file)
    doc.save()
    audit_record(actor=actor, action="directives.document_complete", obj=doc, summary=str(doc))
    return doc


@transaction.atomic
def document_update(
    doc: Document, *, actor: Any, file: UploadedFile | None = None, **fields: Any
) -> Document:
    old = {f: getattr(doc, f) for f in _DOC_FIELDS}
    for key, value in fields.items():
        setattr(doc, key, value)
    if "symbol" in fields:
        normal = normalise_symbol(doc.symbol)
        if normal is None:
            raise ValidationError({"symbol": _("Not a document symbol.")}, code="bad_symbol")
        doc.symbol = normal
    existing = _find_duplicate(
        symbol=doc.symbol,
        issuer=doc.issuer,
        issuer_name=doc.issuer_name,
        issued_on=doc.issued_on,
        term=doc.term,
    )
    if existing is not None and existing.pk != doc.pk:
        raise DuplicateDocument(existing)
    _attach_file(doc, file)
    doc.save()
    new = {f: getattr(doc, f) for f in _DOC_FIELDS}
    audit_record(
        actor=actor,
        action="directives.document_update",
        obj=doc,
        summary=str(doc),
        changes={k: [str(old[k]), str(new[k])] for k in new if old[k] != new[k]},
    )
    return doc


def _downstream_ids(doc: Document) -> set[int]:
    """Documents that (transitively) point to `doc`: linking doc to any of them is a cycle."""
    seen: set[int] = set()
    frontier = {doc.pk}
    while frontier:
        nxt = (
            set(
                DocumentLink.objects.filter(target_id__in=frontier).values_list(
                    "source_id", flat=True
                )
            )
            - seen
        )
        seen |= nxt
        frontier = nxt
    return seen


@transaction.atomic
def document_link(*, source: Document, target: Document, kind: str, actor: Any) -> DocumentLink:
    if source.pk == target.pk:
        raise ValidationError(_("A document cannot be linked to itself."), code="self_link")
    if kind != LinkKind.CITES and target.pk in _downstream_ids(source):
        raise ValidationError(
            _("%(target)s already derives from %(source)s: this link would make a loop.")
            % {"target": target, "source": source},
            code="cycle",
        )
    link, created = DocumentLink.objects.get_or_create(source=source, target=target, kind=kind)
    if created:
        audit_record(
            actor=actor,
            action="directives.link_create",
            obj=link,
            summary=f"{source} {kind} {target}",
        )
    return link


@dataclass(frozen=True)
class CitationOutcome:
    reference: Reference
    document: Document
    created_stub: bool


_KIND_CODES = set(DocumentKind.values)


@transaction.atomic
def document_link_citations(
    *, source: Document, references: Iterable[Reference], actor: Any, kind: str = LinkKind.CITES
) -> list[CitationOutcome]:
    """Link every cited document, creating stubs for those not yet registered."""
    outcomes: list[CitationOutcome] = []
    for ref in references:
        if ref.symbol == source.symbol:
            continue
        candidates = Document.objects.filter(symbol=ref.symbol)
        if ref.date is not None:
            dated = candidates.filter(issued_on=ref.date)
            candidates = dated if dated.exists() else candidates
        target = candidates.order_by("is_stub", "-issued_on").first()
        created = False
        if target is None:
            target = Document.objects.create(
                kind=ref.kind if ref.kind in _KIND_CODES else DocumentKind.OTHER,
                symbol=ref.symbol,
                number=ref.number,
                issuer_name=ref.issuer,
                issued_on=ref.date,
                is_stub=True,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            audit_record(
                actor=actor, action="directives.document_stub", obj=target, summary=str(target)
            )
            created = True
        if target.pk != source.pk:
            document_link(source=source, target=target, kind=kind, actor=actor)
            outcomes.append(CitationOutcome(ref, target, created))
    return outcomes


@transaction.atomic
def task_create(
    *,
    plan: Document,
    title: str,
    lead_body: Body | None,
    actor: Any,
    content: str = "",
    coordinating_bodies: Iterable[Body] = (),
    advising_body: Body | None = None,
    due_on: dt.date | None = None,
    recurrence: str = "once",
    expected_output: str = "",
    for_all_recipients: bool = False,
    order: int | None = None,
) -> Task:
    errors: dict[str, str] = {}
    if lead_body is None:
        errors["lead_body"] = _("A task needs a lead body (chủ trì).")
    if not title.strip():
        errors["title"] = _("A task needs a title.")
    if due_on and plan.issued_on and due_on < plan.issued_on:
        errors["due_on"] = _("The deadline is before the plan was issued (%(date)s).") % {
            "date": plan.issued_on.strftime("%d/%m/%Y")
        }
    if recurrence == "once" and due_on is None and not for_all_recipients:
        pass  # an open-ended one-off task is allowed; it is never overdue
    if errors:
        raise ValidationError(errors)
    if order is None:
        order = (plan.tasks.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    task = Task.objects.create(
        plan=plan,
        order=order,
        title=title.strip(),
        content=content,
        lead_body=lead_body,
        advising_body=advising_body,
        due_on=due_on,
        recurrence=recurrence,
        expected_output=expected_output,
        for_all_recipients=for_all_recipients,
    )
    task.coordinating_bodies.set(list(coordinating_bodies))
    Assignment.objects.get_or_create(
        task=task,
        body=lead_body,
        defaults={
            "is_lead": True,
            "due_on": due_on,
            "sent_on": plan.issued_on or timezone.localdate(),
        },
    )
    audit_record(actor=actor, action="directives.task_create", obj=task, summary=str(task))
    return task


@transaction.atomic
def plan_send(
    *, plan: Document, bodies: Iterable[Body], sent_on: dt.date, actor: Any
) -> list[Assignment]:
    """Send a plan to bodies: each gets an assignment for every task meant for all recipients."""
    created: list[Assignment] = []
    bodies = list(bodies)
    for task in plan.tasks.filter(for_all_recipients=True):
        for body in bodies:
            assignment, new = Assignment.objects.get_or_create(
                task=task, body=body, defaults={"due_on": task.due_on, "sent_on": sent_on}
            )
            if new:
                created.append(assignment)
    if created:
        audit_record(
            actor=actor,
            action="directives.plan_send",
            obj=plan,
            summary=ngettext(
                "%(plan)s sent to %(n)d body", "%(plan)s sent to %(n)d bodies", len(bodies)
            )
            % {"plan": plan, "n": len(bodies)},
            changes={"bodies": [b.code for b in bodies], "assignments": len(created)},
        )
    return created


@transaction.atomic
def progress_report_create(
    *,
    assignment: Assignment,
    text: str,
    completed: bool,
    reported_on: dt.date,
    actor: Any,
    evidence: Document | None = None,
) -> ProgressReport:
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("Say what has been done.")
    if reported_on > timezone.localdate():
        errors["reported_on"] = _("The report date cannot be in the future.")
    elif reported_on < assignment.sent_on:
        errors["reported_on"] = _("The report date is before the task was assigned (%(date)s).") % {
            "date": assignment.sent_on.strftime("%d/%m/%Y")
        }
    if errors:
        raise ValidationError(errors)
    report = ProgressReport.objects.create(
        assignment=assignment,
        text=text.strip(),
        completed=completed,
        reported_on=reported_on,
        evidence=evidence,
        author=actor if getattr(actor, "pk", None) else None,
    )
    plan = assignment.task.plan
    if (
        evidence is not None
        and evidence.pk != plan.pk
        and evidence.kind
        in (
            DocumentKind.PLAN,
            DocumentKind.PROGRAMME,
            DocumentKind.DIRECTIVE,
            DocumentKind.RESOLUTION,
        )
    ):
        # An implementing plan given as evidence joins the lineage of the plan it implements.
        document_link(source=evidence, target=plan, kind=LinkKind.IMPLEMENTS, actor=actor)
    audit_record(
        actor=actor,
        action="directives.progress_report",
        obj=report,
        summary=f"{assignment.body} — {assignment.task}",
        changes={"completed": completed, "reported_on": str(reported_on)},
    )
    return report
