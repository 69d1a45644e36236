"""Writes of indicators and values: validated, located errors, all-or-nothing, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from antq.areas.models import Area
from antq.core.services import audit_record
from antq.core.vnformat import format_number, parse_number, plain_number
from antq.indicators import totals
from antq.indicators.catalogue import STANDARD
from antq.indicators.models import (
    DataValue,
    DataValueChange,
    Indicator,
    TimeAggregation,
    ValueSource,
    ValueType,
)
from antq.indicators.periods import PeriodError, parse_period


@transaction.atomic
def catalogue_install() -> tuple[int, int]:
    """Create or update the standard indicators; returns (created, updated)."""
    created = updated = 0
    for std in STANDARD:
        fields = {
            "name": std.name,
            "name_en": std.name_en,
            "unit": std.unit,
            "time_aggregation": std.time_aggregation,
            "value_type": std.value_type,
            "description": std.description,
            "is_standard": True,
        }
        indicator = Indicator.objects.filter(code=std.code).first()
        if indicator is None:
            Indicator.objects.create(code=std.code, **fields)
            created += 1
        elif any(getattr(indicator, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(indicator, k, v)
            indicator.save()
            updated += 1
    return created, updated


@transaction.atomic
def indicator_create(*, actor: Any, **fields: Any) -> Indicator:
    code = (fields.get("code") or "").strip().upper()
    if Indicator.objects.filter(code=code).exists():
        raise ValidationError(
            {"code": _("An indicator with the code %(code)s exists.") % {"code": code}}
        )
    indicator = Indicator(**{**fields, "code": code})
    indicator.full_clean()
    indicator.save()
    audit_record(actor=actor, action="indicators.indicator_create", obj=indicator, summary=code)
    return indicator


@dataclass(frozen=True)
class ValueInput:
    indicator: str  # code
    area: str  # official code, resolved as of the start of the period
    period: str
    value: str | int | Decimal
    comment: str = ""
    where: str = ""  # e.g. "line 12" — prefixed to every error about this row
    area_id: int | None = None  # the unit itself, for writers that hold it (derived counts)


# DataValue.value: 20 digits, 4 of them decimals.
VALUE_LIMIT = Decimal("10000000000000000")


class ValueErrors(ValidationError):
    """Every problem found in a batch, each located; nothing was saved."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(problems, code="invalid_values")


class AreaCodes:
    """Resolves official codes by date (codes are reused across the 2025 reform). The codes
    of a whole batch are read in one query; a code not read yet is looked up on demand."""

    def __init__(self, codes: Iterable[str] = (), ids: Iterable[int] = ()):
        self._spans: dict[str, list[tuple[dt.date, dt.date | None, Area]]] = {}
        self._load({str(c).strip() for c in codes if c})
        self.by_id = {a.pk: a for a in Area.objects.filter(pk__in=sorted(set(ids)))}

    def _load(self, codes: set[str]) -> None:
        codes = sorted(c for c in codes if c not in self._spans)
        for code in codes:
            self._spans[code] = []
        for i in range(0, len(codes), 900):
            for area in Area.objects.filter(code__in=codes[i : i + 900]).order_by("valid_from"):
                self._spans[area.code].append((area.valid_from, area.valid_to, area))

    def at(self, code: str, day: dt.date) -> Area | None:
        code = str(code).strip()
        if code not in self._spans:
            self._load({code})
        for valid_from, valid_to, area in self._spans[code]:
            if valid_from <= day and (valid_to is None or day <= valid_to):
                return area
        return None


@lru_cache(maxsize=2048)
def _period_or_none(code: str):
    try:
        return parse_period(code)
    except PeriodError:
        return None


def _check(
    item: ValueInput,
    indicators: dict[str, Indicator],
    areas: AreaCodes,
    calendar: str,
) -> tuple[Indicator, Area, Any, Decimal] | str:
    prefix = f"{item.where}: " if item.where else ""
    indicator = indicators.get((item.indicator or "").strip().upper())
    if indicator is None:
        return prefix + _("unknown indicator “%(code)s”") % {"code": str(item.indicator)[:64]}
    period = _period_or_none(str(item.period))
    if period is None:
        return prefix + _("“%(period)s” is not a period (2022, 2022S1, 2022Q3, 202207)") % {
            "period": str(item.period)[:20]
        }
    start = period.start(calendar)
    area = areas.by_id.get(item.area_id) if item.area_id else areas.at(item.area, start)
    if area is None:
        return prefix + _("no area had the code “%(code)s” on %(date)s") % {
            "code": str(item.area)[:20],
            "date": start.strftime("%d/%m/%Y"),
        }
    value = item.value
    if isinstance(value, int) and not isinstance(value, bool):
        value, raw = Decimal(value), str(value)
    else:
        raw = str(value).strip().replace(" ", "")
        try:
            value = parse_number(raw, whole=indicator.value_type == ValueType.INTEGER)
        except (InvalidOperation, ValueError):
            return prefix + _("“%(value)s” is not a number") % {"value": raw[:30]}
    if indicator.value_type == ValueType.INTEGER and value != value.to_integral():
        return prefix + _("%(code)s takes whole numbers only") % {"code": indicator.code}
    if indicator.min_value is not None and value < indicator.min_value:
        return prefix + _("%(value)s is below the smallest allowed value %(min)s") % {
            "value": raw,
            "min": plain_number(indicator.min_value),
        }
    if indicator.max_value is not None and value > indicator.max_value:
        return prefix + _("%(value)s is above the largest allowed value %(max)s") % {
            "value": raw,
            "max": plain_number(indicator.max_value),
        }
    if abs(value) >= VALUE_LIMIT:
        return prefix + _("%(value)s is too large to store") % {"value": raw[:30]}
    if value != value.quantize(Decimal("0.0001")):
        return prefix + _("%(value)s has more than 4 decimal places") % {"value": raw[:30]}
    return indicator, area, period, value


def _locked_problems(checked: list) -> list[str]:
    """Values in a report that is submitted or approved may not change (until returned)."""
    from antq.indicators.models import Submission

    if not checked:
        return []
    locked = set()
    areas = sorted({c[2].id for c in checked})
    periods = {c[3].code for c in checked}
    for i in range(0, len(areas), 900):
        subs = Submission.objects.filter(
            status__in=("submitted", "approved"), area_id__in=areas[i : i + 900], period__in=periods
        ).prefetch_related("data_set__indicators")
        for sub in subs:
            for indicator in sub.data_set.indicators.all():
                locked.add((indicator.id, sub.area_id, sub.period))
    if not locked:
        return []
    out = []
    for item, indicator, area, period, _value in checked:
        if (indicator.id, area.id, period.code) in locked:
            prefix = f"{item.where}: " if item.where else ""
            out.append(
                prefix
                + _(
                    "%(code)s of %(area)s for %(period)s is in a submitted or approved report and is locked"
                )
                % {
                    "code": indicator.code,
                    "area": area.code,
                    "period": period.code,
                }
            )
    return out


@transaction.atomic
def values_save(
    items: Iterable[ValueInput],
    *,
    actor: Any,
    source: str = ValueSource.ENTERED,
    reason: str = "",
    calendar: str = "gregorian",
    locked_ok: bool = False,
) -> dict[str, int]:
    """Validate every value first, then write them all (or none). A key that exists has its
    value replaced, and the change is kept in the value's audit trail. The totals of every
    area above each value (antq.indicators.totals) move in the same transaction.

    Built for bulk: the batch's area codes are read in one query, and rows are written as
    tuples with executemany (COPY on PostgreSQL), not as model instances.

    Values of an indicator counted from a registry (antq.indicators.derived), for periods
    from its first day, are refused unless `source` is "derived"; `locked_ok` lets an
    approver apply a new count to a report they approved (derived.change_decide)."""
    items = list(items)
    indicators = {i.code: i for i in Indicator.objects.all()}
    areas = AreaCodes(
        (item.area for item in items if not item.area_id),
        (item.area_id for item in items if item.area_id),
    )
    checked, problems = [], []
    for item in items:
        result = _check(item, indicators, areas, calendar)
        if isinstance(result, str):
            problems.append(result)
        elif source != ValueSource.DERIVED and result[0].is_derived_for(result[2].end(calendar)):
            prefix = f"{item.where}: " if item.where else ""
            problems.append(
                prefix
                + _(
                    "%(code)s is counted from the registry's records from %(date)s; "
                    "change the records, not the figure (%(period)s)"
                )
                % {
                    "code": result[0].code,
                    "date": result[0].derived_from.strftime("%d/%m/%Y"),
                    "period": result[2].code,
                }
            )
        else:
            checked.append((item, *result))
    if not locked_ok:
        problems += _locked_problems(checked)
    if problems:
        raise ValueErrors(problems)
    if not checked:
        return {"created": 0, "updated": 0, "unchanged": 0}

    totals.units_lock({c[2].id for c in checked})
    existing = _existing({(c[1].id, c[2].id, c[3].code) for c in checked})
    user_id = getattr(actor, "pk", None)
    now = timezone.now()
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    new_rows, updates, audit, flows = [], [], [], []
    stocks: dict[tuple[int, int, str], tuple] = {}
    seen: dict[tuple[int, int, str], Decimal] = {}
    spans: dict[tuple[int, int, str], tuple[dt.date, dt.date]] = {}
    dates: dict[str, tuple] = {}
    for item, indicator, area, period, value in checked:
        key = (indicator.id, area.id, period.code)
        comment = item.comment[:500]
        if period.code not in dates:
            start, end = period.start(calendar), period.end(calendar)
            dates[period.code] = (
                start,
                end,
                ops.adapt_datefield_value(start),
                ops.adapt_datefield_value(end),
            )
        start, end, db_start, db_end = dates[period.code]
        if key in seen:  # the same key twice in a batch: the later one wins
            old, pk = seen[key], None
            start, end = spans[key]
        else:
            pk, old, old_comment, *stored = existing.get(key, (None, None, None, None, None))
            if old is not None and old == value and old_comment == comment:
                continue
            if pk is not None:  # a replaced value keeps its dates (those of its calendar)
                start, end = stored
        seen[key] = value
        spans[key] = (start, end)
        db_value = ops.adapt_decimalfield_value(value, 20, 4)
        if pk is None and old is None:
            new_rows.append(
                (
                    indicator.id,
                    area.id,
                    period.code,
                    period.type,
                    db_start,
                    db_end,
                    db_value,
                    source,
                    comment,
                    stamp,
                    user_id,
                )
            )
        else:
            updates.append((db_value, source, comment, user_id, stamp, *key))
        audit.append(
            (
                indicator.id,
                area.id,
                period.code,
                None if old is None else ops.adapt_decimalfield_value(old, 20, 4),
                db_value,
                source,
                reason[:500],
                user_id,
                stamp,
            )
        )
        if indicator.time_aggregation == TimeAggregation.SUM:
            flows.append((*key, start, value - (old or 0), 0 if old is not None else 1))
        else:
            stocks[key] = (start, end, value)

    stocks_before, stocks_after = totals.stocks_change(stocks) if stocks else ({}, {})
    _insert(DataValue, VALUE_COLUMNS, new_rows)
    if updates:
        table = DataValue._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET value = %s, source = %s, comment = %s,"  # noqa: S608
                " updated_by_id = %s, updated_at = %s"
                " WHERE indicator_id = %s AND area_id = %s AND period = %s",
                updates,
            )
    _insert(DataValueChange, CHANGE_COLUMNS, audit)
    totals.flows_add(flows)
    totals.stocks_apply(stocks_before, stocks_after)
    created = len(new_rows)
    return {
        "created": created,
        "updated": len(audit) - created,
        "unchanged": len(checked) - len(audit),
    }


VALUE_COLUMNS = (
    "indicator_id",
    "area_id",
    "period",
    "period_type",
    "period_start",
    "period_end",
    "value",
    "source",
    "comment",
    "updated_at",
    "updated_by_id",
)
CHANGE_COLUMNS = (
    "indicator_id",
    "area_id",
    "period",
    "old_value",
    "new_value",
    "source",
    "reason",
    "changed_by_id",
    "changed_at",
)


# Above this many areas a batch reads what it replaces by ranges of the
# (indicator, period_start) index rather than one probe of the unique key per key: a long
# sequential read beats tens of thousands of random ones on a large table.
RANGE_READ_AREAS = 200
COLUMNS_READ = ("indicator_id", "area_id", "period", "id", "value", "comment")


def _existing(keys: set[tuple[int, int, str]]) -> dict[tuple[int, int, str], tuple]:
    """{(indicator, area, period): (id, value, comment, start, end)} of the keys that have
    a value."""
    out = {}
    inds = sorted({k[0] for k in keys})
    areas = sorted({k[1] for k in keys})
    periods = sorted({k[2] for k in keys})
    columns = (*COLUMNS_READ, "period_start", "period_end")
    if len(areas) > RANGE_READ_AREAS:
        # A stored value may carry either calendar's dates: look under both.
        starts = sorted(
            {parse_period(p).start(c) for p in periods for c in ("gregorian", "reporting")}
        )
        queries = [
            DataValue.objects.filter(
                indicator_id__in=inds, period_start__in=starts, period__in=periods
            )
        ]
    else:
        queries = [
            DataValue.objects.filter(
                indicator_id__in=inds, area_id__in=areas[i : i + 900], period__in=periods
            )
            for i in range(0, len(areas), 900)
        ]
    for query in queries:
        for ind, area, period, *found in query.values_list(*columns).iterator(chunk_size=5000):
            if (ind, area, period) in keys:
                out[(ind, area, period)] = tuple(found)
    return out


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Append rows (already adapted for the database) to a model's table in bulk."""
    if not rows:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) > 200:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        for i in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[i : i + 5000])


def totals_missing() -> bool:
    """Values but no totals: a database from before the totals existed (or restored
    without them)."""
    from antq.indicators.models import DataTotal

    return DataValue.objects.exists() and not DataTotal.objects.exists()


# --- data sets, entry, submission and approval -------------------------------------------------

STANDARD_DATA_SET = "phong-trao-hang-thang"
STANDARD_RULES = (
    (
        "tips-valuable-le-received",
        "TIPS_VALUABLE",
        "le",
        "TIPS_RECEIVED",
        "Số nguồn tin có giá trị không được lớn hơn số nguồn tin tiếp nhận.",
    ),
    (
        "cases-le-tips-valuable",
        "CASES_CLEARED_BY_TIPS",
        "le",
        "TIPS_VALUABLE",
        "Số vụ làm rõ nhờ nguồn tin không được lớn hơn số nguồn tin có giá trị.",
    ),
)


@transaction.atomic
def data_sets_install() -> None:
    """The standard monthly form of a commune's movement figures, and the standard rules."""
    from antq.indicators.models import DataSet, ValidationRule

    data_set, _created = DataSet.objects.get_or_create(
        code=STANDARD_DATA_SET,
        defaults={
            "name": "Biểu số liệu phong trào toàn dân bảo vệ an ninh Tổ quốc hằng tháng (cấp xã)",
            "period_type": "month",
            "calendar": "gregorian",
            "level": "commune",
            "close_days": 10,
            "expiry_days": 30,
        },
    )
    codes = [
        "MEDIA_ITEMS",
        "SM_MODELS_ACTIVE",
        "TIPS_RECEIVED",
        "TIPS_VALUABLE",
        "CASES_CLEARED_BY_TIPS",
        "SUSPECTS_BY_TIPS",
        "ASSETS_RECOVERED_VND",
        "MEDIATIONS",
        "PEOPLE_REEDUCATED",
        "MEETINGS_HELD",
    ]
    data_set.indicators.add(*Indicator.objects.filter(code__in=codes))
    for code, left, op, right, message in STANDARD_RULES:
        ValidationRule.objects.get_or_create(
            code=code,
            defaults={
                "left": Indicator.objects.get(code=left),
                "operator": op,
                "right": Indicator.objects.get(code=right),
                "message": message,
            },
        )


class EntryErrors(ValidationError):
    """Problems of a data entry form, by indicator code ('' for the whole form)."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(list(errors.values()), code="invalid_entry")


def _locked(data_set, area: Area, period: str):
    from antq.indicators.models import Submission

    sub = Submission.objects.filter(data_set=data_set, area=area, period=period).first()
    return sub if sub and sub.status in ("submitted", "approved") else None


@transaction.atomic
def entry_save(
    *,
    data_set,
    area: Area,
    period: str,
    values: dict[str, str],
    comments: dict[str, str] | None = None,
    actor: Any,
    today: dt.date | None = None,
    originals: dict[str, tuple[str, str]] | None = None,
) -> dict[str, int]:
    """Save cells of one form (one area, one period): all or nothing, errors by cell.

    `originals` ({code: (value, comment)} as the form showed them when it was opened) makes
    the save safe when two officials have the same form open: a cell the user did not touch
    is not written (so it cannot overwrite the other's figure with a stale one), and a cell
    both changed is refused with the figure the other saved, not silently overwritten."""
    from antq.accounts.selectors import Action, user_can_from_above
    from antq.indicators.models import Submission
    from antq.indicators.selectors import entry_window, rule_violations

    comments = comments or {}
    today = today or timezone.localdate()
    p = parse_period(period)
    if p.type != data_set.period_type:
        raise EntryErrors(
            {
                "": _("This form is reported by %(type)s, not by “%(period)s”.")
                % {"type": data_set.get_period_type_display().lower(), "period": period}
            }
        )
    # the report's row is held until the save commits, so a submission cannot slip in between
    # the check below and the write (submission_submit takes the same lock)
    sub, _new = Submission.objects.select_for_update().get_or_create(
        data_set=data_set, area=area, period=p.code
    )
    if sub.status in ("submitted", "approved"):
        raise EntryErrors(
            {
                "": _(
                    "The report has been submitted or approved and is locked; it must be returned before it can be changed."
                )
            }
        )
    window = entry_window(data_set, p, today)
    if window.expired and not user_can_from_above(
        actor, Action.APPROVE, area=area, on=p.start(data_set.calendar)
    ):
        raise EntryErrors(
            {
                "": _("Entry for this period closed on %(date)s; late entry needs an approver.")
                % {"date": window.expires_on.strftime("%d/%m/%Y")}
            }
        )
    allowed = set(data_set.indicators.values_list("code", flat=True))
    counted = {
        i.code for i in data_set.indicators.all() if i.is_derived_for(p.end(data_set.calendar))
    }
    errors: dict[str, str] = {}
    items = []
    stored = {
        v.indicator.code: v
        for v in DataValue.objects.filter(
            area=area, period=p.code, indicator__code__in=allowed
        ).select_related("indicator")
    }
    if originals is not None:
        values, conflicts = _touched(values, comments, originals, stored)
        errors.update(conflicts)
    for code, raw in values.items():
        if code not in allowed:
            errors[code] = _("%(code)s is not part of this form.") % {"code": code[:64]}
            continue
        if code in counted:
            errors[code] = _(
                "This figure is counted from the registry's records; change the records instead."
            )
            continue
        if str(raw).strip() == "":
            continue
        items.append(
            ValueInput(code, area.code, p.code, str(raw), comments.get(code, "")[:500], where=code)
        )
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=allowed)}
    areas = AreaCodes([area.code])
    for item in items:
        result = _check(item, indicators, areas, data_set.calendar)
        if isinstance(result, str):
            errors[item.indicator] = result.split(": ", 1)[1]
    if errors:
        raise EntryErrors(errors)
    # Cross-indicator rules on the form as it would stand after the save.
    current = {code: v.value for code, v in stored.items()}
    current.update(
        {
            i.indicator: parse_number(
                str(i.value), whole=indicators[i.indicator].value_type == ValueType.INTEGER
            )
            for i in items
        }
    )
    violations = rule_violations(current)
    touched = {i.indicator for i in items}
    errors = {code: msg for code, msg in violations.items() if code in touched}
    if errors:
        raise EntryErrors(errors)
    if not items:
        return {"created": 0, "updated": 0, "unchanged": 0}
    return values_save(items, actor=actor, source=ValueSource.ENTERED, calendar=data_set.calendar)


def _figure(x):
    """A typed text (Vietnamese format) or a stored number as a Decimal; None when empty,
    the text itself when it does not read as a number."""
    if x is None or isinstance(x, Decimal):
        return x
    text = str(x).strip()
    if not text:
        return None
    try:
        return parse_number(text)
    except (ValueError, ArithmeticError):
        return text


def _same_number(a, b) -> bool:
    """Do `a` and `b` (typed text or stored numbers) mean the same figure?"""
    return _figure(a) == _figure(b)


def _touched(values, comments, originals, stored) -> tuple[dict[str, str], dict[str, str]]:
    """The cells the user changed since the form was opened ({code: text}), and those another
    official changed meanwhile too ({code: message})."""
    touched, conflicts = {}, {}
    for code, raw in values.items():
        if code not in originals:
            touched[code] = raw
            continue
        shown_value, shown_comment = originals[code]
        comment = (comments or {}).get(code, "")
        now = stored.get(code)
        now_value, now_comment = (now.value, now.comment) if now else (None, "")
        changed = not _same_number(raw, shown_value) or comment.strip() != shown_comment.strip()
        if not changed:
            continue  # as shown: leave whatever is stored now
        if _same_number(raw, now_value) and comment.strip() == (now_comment or "").strip():
            continue  # already saved (an earlier autosave of this same edit)
        if not _same_number(shown_value, now_value):  # someone saved since it was shown
            conflicts[code] = _(
                "Someone else saved %(value)s here while you were typing; check it and enter "
                "your figure again."
            ) % {"value": format_number(now_value) if now_value is not None else "—"}
            continue
        touched[code] = raw
    return touched, conflicts


@transaction.atomic
def submission_submit(*, data_set, area: Area, period: str, actor: Any):
    from antq.indicators.models import Submission
    from antq.indicators.selectors import rule_violations

    sub, _created = Submission.objects.select_for_update().get_or_create(
        data_set=data_set, area=area, period=period
    )
    if sub.status in ("submitted", "approved"):
        raise EntryErrors({"": _("The report is already submitted.")})
    current = {
        v.indicator.code: v.value
        for v in DataValue.objects.filter(
            area=area, period=period, indicator__in=data_set.indicators.all()
        ).select_related("indicator")
    }
    if not current:
        raise EntryErrors({"": _("Enter at least one value before submitting.")})
    violations = rule_violations(current)
    if violations:
        raise EntryErrors(violations)
    sub.status, sub.submitted_at, sub.submitted_by = "submitted", timezone.now(), actor
    sub.return_reason = ""
    sub.save()
    audit_record(
        actor=actor,
        action="indicators.submit",
        obj=sub,
        summary=f"{data_set.code} {area.code} {period}",
    )
    return sub


@transaction.atomic
def submission_decide(*, submission, approve: bool, actor: Any, reason: str = ""):
    """The level above approves (locks) the report or returns it with a reason; the
    reporting unit never decides on its own report. `actor` None: the system."""
    from antq.accounts.selectors import Action, user_can_from_above
    from antq.indicators.models import Submission

    # Read again under a lock: two approvers deciding the same report at once must not both
    # succeed (the second would silently overturn the first's acknowledged decision).
    submission = (
        Submission.objects.select_for_update()
        .select_related("data_set", "area")
        .get(pk=submission.pk)
    )
    if actor is not None and not user_can_from_above(
        actor,
        Action.APPROVE,
        area=submission.area,
        on=parse_period(submission.period).start(submission.data_set.calendar),
    ):
        raise PermissionDenied(_("The level above the reporting unit decides on its report."))
    if submission.status != "submitted":
        raise EntryErrors({"": _("Only a submitted report can be approved or returned.")})
    if not approve and not reason.strip():
        raise EntryErrors({"reason": _("Say why the report is returned.")})
    submission.status = "approved" if approve else "returned"
    submission.decided_at, submission.decided_by = timezone.now(), actor
    submission.return_reason = "" if approve else reason.strip()[:500]
    submission.save()
    audit_record(
        actor=actor,
        action="indicators.approve" if approve else "indicators.return",
        obj=submission,
        summary=f"{submission.data_set.code} {submission.area.code} {submission.period}",
        changes={"reason": submission.return_reason} if not approve else {},
    )
    return submission
