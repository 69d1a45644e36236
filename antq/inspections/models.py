"""Inspections (cuộc kiểm tra): the delegation, what and whom it inspects over which period,
its working sessions, findings and conclusion notice, and the recommendations followed up to
closure.

The conclusion notice (thông báo kết luận) is a document of antq.directives, and each
recommendation a task of that notice assigned to the responsible body — so it is followed up
like every other task (progress reports, reminders, overdue lists) and the responsible body
sees it among its tasks.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from antq.accounts.models import Body
from antq.areas.models import Area
from antq.directives.models import Document, Task


class Level(models.TextChoices):
    CENTRAL = "central", _("Central level")
    PROVINCIAL = "provincial", _("Provincial level")
    GRASSROOTS = "grassroots", _("Grassroots level")


# The time an inspection may take (Quy định 331-QĐ/TW, 2025): days from the start; it may be
# extended once by up to a third.
TIME_LIMIT_DAYS = {Level.CENTRAL: 60, Level.PROVINCIAL: 45, Level.GRASSROOTS: 20}


class Phase(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    CONDUCT = "conduct", _("Conduct")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", pgettext_lazy("inspection", "Closed")


class Inspection(models.Model):
    title = models.CharField(pgettext_lazy("inspection", "title"), max_length=300)
    inspecting_body = models.ForeignKey(
        Body, verbose_name=_("inspecting body"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    decision = models.ForeignKey(
        Document,
        verbose_name=_("decision setting it up"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subjects = models.ManyToManyField(
        Document, verbose_name=_("documents inspected"), related_name="inspections"
    )
    inspected_bodies = models.ManyToManyField(
        Body, verbose_name=_("bodies inspected"), related_name="inspections"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area inspected"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("period covered from"))
    period_end = models.DateField(_("period covered to"))
    starts_on = models.DateField(_("starts on"))
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    conclusion = models.OneToOneField(
        Document,
        verbose_name=_("conclusion notice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concluded_inspection",
    )
    closed_on = models.DateField(pgettext_lazy("inspection", "closed on"), null=True, blank=True)
    outline_sent_on = models.DateField(_("outline sent on"), null=True, blank=True)
    self_reports_due_on = models.DateField(
        _("self-inspection reports due on"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="inspection_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def limit_days(self) -> int:
        return TIME_LIMIT_DAYS[self.level]

    @property
    def deadline(self) -> dt.date:
        return self.starts_on + dt.timedelta(days=self.limit_days + self.extension_days)


class MemberRole(models.TextChoices):
    HEAD = "truong_doan", _("Head of the delegation")
    DEPUTY = "pho_truong_doan", _("Deputy head")
    MEMBER = "thanh_vien", _("Member")
    SECRETARY = "thu_ky", _("Secretary")


class Member(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)  # by title and body, never a name
    body_name = models.CharField(_("body"), max_length=255, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.title}"


class Session(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=255)
    body = models.ForeignKey(
        Body, verbose_name=_("body worked with"), on_delete=models.PROTECT, related_name="+"
    )
    attendees = models.TextField(_("attendees (by title and body)"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return f"{self.held_at:%d/%m/%Y} — {self.body}"


def session_file_path(instance: SessionFile, filename: str) -> str:
    return f"inspections/{instance.session.inspection_id}/{filename}"


class SessionFile(models.Model):
    """A file of a working session: the minutes as signed, a report handed over, a photo."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=session_file_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    SHORTCOMING = "shortcoming", _("Shortcoming")
    CAUSE = "cause", _("Cause")


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=16, choices=FindingKind.choices)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Recommendation(models.Model):
    """A recommendation of the conclusion notice: its task (of the notice) is assigned to the
    responsible body; it is settled when that task is done, or formally carried over."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    task = models.OneToOneField(Task, on_delete=models.PROTECT, related_name="recommendation")
    carried_over_on = models.DateField(_("carried over on"), null=True, blank=True)
    carried_over_reason = models.TextField(_("why it is carried over"), blank=True)

    class Meta:
        ordering = ["task__order", "pk"]

    def __str__(self) -> str:
        return self.task.title


class Prefill(models.TextChoices):
    """What antq writes into a section of each body's draft self-inspection report."""

    NONE = "", _("Written by the body")
    LEADERSHIP = "leadership", _("Pre-filled: leadership, plans and their tasks")
    RESULTS = "results", _("Pre-filled: results from the data")


class OutlineSection(models.Model):
    """A section of the delegation's outline (đề cương) for the self-inspection reports."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="outline")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=300)
    guidance = models.TextField(_("what to report"), blank=True)
    prefill = models.CharField(
        _("pre-filled from the data"), max_length=16, choices=Prefill.choices, blank=True
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.heading


class SelfReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for completion")


class SelfReport(models.Model):
    """An inspected body's self-inspection report (báo cáo tự kiểm tra): a draft pre-filled
    from antq when the outline is sent, edited by the body and submitted to the delegation."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="self_reports"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SelfReportStatus.choices, default=SelfReportStatus.DRAFT
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_reason = models.TextField(_("why it was returned"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["body__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "body"], name="self_report_one_per_body")
        ]

    def __str__(self) -> str:
        return f"{self.inspection} — {self.body}"

    @property
    def editable(self) -> bool:
        return self.status != SelfReportStatus.SUBMITTED


class SelfReportSection(models.Model):
    report = models.ForeignKey(SelfReport, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(_("heading"), max_length=300)
    guidance = models.TextField(_("what to report"), blank=True)
    prefill = models.CharField(max_length=16, choices=Prefill.choices, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.heading
