"""Documents (văn bản) and the work they start: plans, tasks, assignments, progress reports.

The chain of the seed story: Directive 09-CT/TW → Conclusion 44-KL/TW (continues it) →
Plan 100-KH/TU (implements it), whose tasks are assigned to bodies that report progress,
some by issuing their own implementing plans (which then appear in the lineage).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from antq.accounts.models import Body


class DocumentKind(models.TextChoices):
    """Type codes as they appear in symbols (Hướng dẫn 36-HD/VPTW, Nghị định 30/2020/NĐ-CP)."""

    DIRECTIVE = "CT", _("Directive")
    CONCLUSION = "KL", _("Conclusion")
    RESOLUTION = "NQ", _("Resolution")
    PLAN = "KH", _("Plan")
    PROGRAMME = "CTr", _("Programme")
    DECISION = "QĐ", _("Decision")
    REGULATION = "QĐi", _("Regulation")
    DECREE = "NĐ", _("Decree")
    CIRCULAR = "TT", _("Circular")
    JOINT_CIRCULAR = "TTLT", _("Joint circular")
    GUIDANCE = "HD", _("Guidance")
    REPORT = "BC", _("Report")
    NOTICE = "TB", _("Notice")
    SUBMISSION = "TTr", _("Submission")
    LAW = "LUAT", _("Law")
    CODE = "BLUAT", pgettext_lazy("document type", "Code")
    OFFICIAL_LETTER = "CV", _("Official letter")
    OTHER = "KHAC", _("Other")


class DocumentStatus(models.TextChoices):
    IN_FORCE = "in_force", pgettext_lazy("document status", "In force")
    REPLACED = "replaced", _("Replaced")
    EXPIRED = "expired", _("Expired")


def document_file_path(instance: Document, filename: str) -> str:
    # Files live under the data dir and are never served directly: a view checks the reader.
    return f"documents/{instance.issued_on.year if instance.issued_on else 'undated'}/{filename}"


class Document(models.Model):
    kind = models.CharField(_("type"), max_length=8, choices=DocumentKind.choices)
    symbol = models.CharField(_("number and symbol"), max_length=100, db_index=True)
    number = models.CharField(_("number"), max_length=20, blank=True)
    issuer = models.ForeignKey(
        Body,
        verbose_name=_("issuing body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    issuer_name = models.CharField(
        _("issuer (when not a registered body)"), max_length=255, blank=True
    )
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    term = models.CharField(_("term (khóa)"), max_length=20, blank=True)
    subject = models.TextField(_("subject (trích yếu)"), blank=True)
    full_text = models.TextField(_("full text"), blank=True)
    file = models.FileField(_("file"), upload_to=document_file_path, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.IN_FORCE
    )
    is_stub = models.BooleanField(
        _("stub"), default=False, help_text=_("Created from a citation; details not entered yet.")
    )
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Demo data: number and date are illustrative, not a real document's."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "symbol"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "symbol", "issued_on"], name="document_issuer_symbol_date_unique"
            ),
        ]
        indexes = [models.Index(fields=["kind", "issued_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.symbol}"

    @property
    def issuer_label(self) -> str:
        return self.issuer.name if self.issuer_id else self.issuer_name


class LinkKind(models.TextChoices):
    CONTINUES = "continues", _("continues")
    IMPLEMENTS = "implements", _("implements")
    REPLACES = "replaces", _("replaces")
    AMENDS = "amends", _("amends")
    GUIDES = "guides", _("guides")
    CITES = "cites", _("cites")


class DocumentLink(models.Model):
    """`source` <kind> `target`: 44-KL/TW continues 09-CT/TW; 100-KH/TU implements 44-KL/TW."""

    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("link"), max_length=16, choices=LinkKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document link")
        verbose_name_plural = _("document links")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="doclink_unique"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="doclink_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once, by the deadline")
    REGULAR = "regular", _("Regularly (thường xuyên)")
    HALF_YEARLY = "half_yearly", _("Every six months")
    YEARLY = "yearly", _("Every year")


class Task(models.Model):
    """A unit of work in a plan (nhiệm vụ)."""

    plan = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(pgettext_lazy("task", "title"), max_length=300)
    content = models.TextField(_("content"), blank=True)
    lead_body = models.ForeignKey(
        Body, verbose_name=_("lead body (chủ trì)"), on_delete=models.PROTECT, related_name="+"
    )
    coordinating_bodies = models.ManyToManyField(
        Body, verbose_name=_("coordinating bodies (phối hợp)"), blank=True, related_name="+"
    )
    advising_body = models.ForeignKey(
        Body,
        verbose_name=_("advising body (tham mưu)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    for_all_recipients = models.BooleanField(
        _("for every recipient"),
        default=False,
        help_text=_("Every body the plan is sent to carries out this task and reports on it."),
    )
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=16, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    expected_output = models.CharField(_("expected output"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Assignment(models.Model):
    """A body's share of a task; it reports progress against it."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="assignments")
    is_lead = models.BooleanField(_("lead"), default=False)
    due_on = models.DateField(_("deadline"), null=True, blank=True)
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["task", "body"], name="assignment_task_body_unique")
        ]

    def __str__(self) -> str:
        return f"{self.body} — {self.task}"


class ProgressReport(models.Model):
    """What an assignee reported: text, whether the work is done, and evidence."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("report date"))
    text = models.TextField(_("report"))
    completed = models.BooleanField(_("the task is done"), default=False)
    evidence = models.ForeignKey(
        Document,
        verbose_name=_("evidence document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_for",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["reported_on", "id"]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.reported_on}"
