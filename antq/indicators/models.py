"""Indicators (chỉ tiêu) and their values per area and period (số liệu).

A value belongs to one area and one period (a code such as 202207 with its start and end
dates). Totals over areas and periods are computed by antq.indicators.engine from these rows
and the area tree, so a saved value shows in every total at once.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from antq.areas.models import Area


class Unit(models.TextChoices):
    COUNT = "count", _("count")
    PERSONS = "persons", _("persons")
    VND = "vnd", _("VND")
    PERCENT = "percent", _("%")


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Integer")
    DECIMAL = "decimal", _("Decimal")


class TimeAggregation(models.TextChoices):
    SUM = "sum", _("Sum over time (a flow)")
    LAST = "last", _("Last value (a stock)")


class Indicator(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices, default=Unit.COUNT)
    value_type = models.CharField(
        _("value type"), max_length=16, choices=ValueType.choices, default=ValueType.INTEGER
    )
    time_aggregation = models.CharField(
        _("aggregation over time"),
        max_length=8,
        choices=TimeAggregation.choices,
        default=TimeAggregation.SUM,
    )
    space_aggregation = models.CharField(_("aggregation over areas"), max_length=8, default="sum")
    min_value = models.DecimalField(
        _("smallest allowed value"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        default=0,
    )
    max_value = models.DecimalField(
        _("largest allowed value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    is_standard = models.BooleanField(_("standard catalogue"), default=False)
    # Counted from a registry (antq.indicators.derived): the registry's key, and the first
    # day it covers. Monthly values from that day on are derived and never typed; earlier
    # periods (figures from before the registry existed) are entered or imported as usual.
    derived_source = models.CharField(_("derived from the registry"), max_length=64, blank=True)
    derived_from = models.DateField(
        _("derived from the registry from"),
        null=True,
        blank=True,
        help_text=_(
            "Monthly values from this day on are counted from the registry's records and "
            "cannot be typed; earlier periods are entered or imported."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(max_value__gte=F("min_value")),
                name="indicator_range_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def is_derived_for(self, end: dt.date) -> bool:
        """Does a period ending on `end` overlap the span counted from the registry?"""
        return (
            bool(self.derived_source)
            and self.derived_from is not None
            and (end >= self.derived_from)
        )


class ValueSource(models.TextChoices):
    ENTERED = "entered", _("entered")
    IMPORTED = "imported", _("imported")
    DERIVED = "derived", _("derived from a registry")


class DataValue(models.Model):
    # No index of its own on `indicator` or `updated_by`: the unique key and datavalue_ind_start
    # start with the indicator, and nothing looks values up by who last changed them; each
    # index less makes a bulk import cheaper (docs/benchmarks.md).
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", db_index=False
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="data_values")
    period = models.CharField(_("period"), max_length=8)
    period_type = models.CharField(max_length=8)
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    source = models.CharField(
        _("source"), max_length=16, choices=ValueSource.choices, default=ValueSource.ENTERED
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period"], name="datavalue_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="datavalue_period_order"
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "period_start", "area"], name="datavalue_ind_start"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_id} {self.period} = {self.value}"


class DataTotal(models.Model):
    """A pre-computed total: the values of `grain` periods within `period` of every unit that
    stood under `area` (strictly below it) at the start of each value's period.

    Flows hold their sum; stocks the sum over units of each unit's latest value in the period,
    for units that still existed at its end. Rows exist for every period that contains a
    value (its month, quarter, half and year), so any range is the sum of a few rows
    (periods.pieces_between). Derived data: kept current by antq.indicators.totals in the
    transaction of every write, rebuilt by `antq rebuild-totals`; never edited by hand.
    """

    # Derived rows, written only by antq.indicators.totals with ids it has just read: no
    # database-level foreign keys (each costs a check per row written; on PostgreSQL at
    # commit). Django still deletes them with their indicator or area.
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    period = models.CharField(max_length=8)
    grain = models.CharField(max_length=8)  # the period type of the values counted
    value = models.DecimalField(max_digits=24, decimal_places=4)
    count = models.IntegerField()  # values (flows) or units (stocks) counted

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period", "grain"], name="datatotal_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_id} {self.period} ({self.grain}) = {self.value}"


class DataValueChange(models.Model):
    """The audit trail of a value: who changed it, when, from what to what, and why."""

    # Looked up by (indicator, area, period): the index below serves both foreign keys.
    # Append-only rows written by values_save() beside the value they describe, whose own
    # foreign keys have just been checked: no database-level constraint of their own (a
    # check per row, at commit on PostgreSQL, was a third of a bulk import's time there).
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    period = models.CharField(max_length=8)
    old_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    new_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    source = models.CharField(max_length=16, choices=ValueSource.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("change of a value")
        verbose_name_plural = _("changes of values")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["indicator", "area", "period"])]

    def __str__(self) -> str:
        return f"{self.period}: {self.old_value} → {self.new_value}"


class PeriodType(models.TextChoices):
    YEAR = "year", _("Year")
    HALF = "half", _("Six months")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")


class Calendar(models.TextChoices):
    GREGORIAN = "gregorian", _("Calendar periods")
    REPORTING = "reporting", _("State reporting periods (closing on the 14th)")


class DataSet(models.Model):
    """A reporting form (biểu mẫu): which indicators an area level reports, how often."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=300)
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicators"), related_name="data_sets"
    )
    period_type = models.CharField(_("period"), max_length=8, choices=PeriodType.choices)
    calendar = models.CharField(
        _("calendar"), max_length=16, choices=Calendar.choices, default=Calendar.GREGORIAN
    )
    level = models.CharField(_("reporting level"), max_length=16, default="commune")
    close_days = models.PositiveSmallIntegerField(
        _("days after the period to submit"),
        default=10,
        help_text=_(
            "Entry is open from the start of the period until this many days after its end."
        ),
    )
    expiry_days = models.PositiveSmallIntegerField(
        _("days after which late entry needs an approver"), default=30
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Being entered")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class Submission(models.Model):
    """A reporting unit's data set for one period, submitted and approved (then locked)."""

    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="submissions")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="submissions")
    period = models.CharField(_("period"), max_length=8)
    status = models.CharField(
        _("status"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.CharField(_("reason for returning"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["data_set", "area", "period"], name="submission_unique")
        ]

    def __str__(self) -> str:
        return f"{self.data_set_id} {self.area_id} {self.period} {self.status}"


class RuleOperator(models.TextChoices):
    LE = "le", "≤"
    LT = "lt", "<"
    GE = "ge", "≥"
    GT = "gt", ">"
    EQ = "eq", "="


class ValidationRule(models.Model):
    """A cross-indicator rule checked on every area and period, e.g. cleared cases ≤ tips of value."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    message = models.CharField(_("message shown on the cell"), max_length=300)
    left = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    operator = models.CharField(max_length=2, choices=RuleOperator.choices)
    right = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")

    def __str__(self) -> str:
        return f"{self.left_id} {self.get_operator_display()} {self.right_id}"

    def holds(self, left, right) -> bool:
        if left is None or right is None:
            return True
        return {
            "le": left <= right,
            "lt": left < right,
            "ge": left >= right,
            "gt": left > right,
            "eq": left == right,
        }[self.operator]


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


class ImportJob(models.Model):
    """An upload being imported in the background, so its page can show how far it got."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    stage = models.CharField(max_length=16, blank=True)  # "read", then "save"
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status != ImportStatus.RUNNING:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0


class DerivedChangeStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    APPLIED = "applied", _("Applied")
    KEPT = "kept", _("Approved figure kept")


class DerivedChange(models.Model):
    """A count from a registry that differs from a value in a submitted or approved report.

    The value is not changed silently: the approver of the report sees the difference and
    applies the new count or keeps the approved figure (antq.indicators.derived)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("period"), max_length=8)
    stored = models.DecimalField(_("figure in the report"), max_digits=20, decimal_places=4)
    counted = models.DecimalField(_("count from the records"), max_digits=20, decimal_places=4)
    status = models.CharField(
        max_length=16, choices=DerivedChangeStatus.choices, default=DerivedChangeStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("change from a registry")
        verbose_name_plural = _("changes from registries")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period"],
                condition=Q(status="pending"),
                name="derivedchange_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_id} {self.period}: {self.stored} → {self.counted}"
