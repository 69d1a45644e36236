"""Writes of indicators and values: validated, located errors, all-or-nothing, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from antq.areas.models import Area
from antq.core.services import audit_record
from antq.core.vnformat import parse_number
from antq.indicators.catalogue import STANDARD
from antq.indicators.models import DataValue, DataValueChange, Indicator, ValueSource, ValueType
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


class ValueErrors(ValidationError):
    """Every problem found in a batch, each located; nothing was saved."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(problems, code="invalid_values")


def _check(
    item: ValueInput,
    indicators: dict[str, Indicator],
    area_cache: dict[tuple[str, dt.date], Area | None],
    calendar: str,
) -> tuple[Indicator, Area, Any, Decimal] | str:
    prefix = f"{item.where}: " if item.where else ""
    indicator = indicators.get((item.indicator or "").strip().upper())
    if indicator is None:
        return prefix + _("unknown indicator “%(code)s”") % {"code": str(item.indicator)[:64]}
    try:
        period = parse_period(str(item.period))
    except PeriodError:
        return prefix + _("“%(period)s” is not a period (2022, 2022S1, 2022Q3, 202207)") % {
            "period": str(item.period)[:20]
        }
    start = period.start(calendar)
    key = (str(item.area).strip(), start)
    if key not in area_cache:
        area_cache[key] = (
            Area.objects.filter(code=key[0], valid_from__lte=start)
            .exclude(valid_to__lt=start)
            .first()
        )
    area = area_cache[key]
    if area is None:
        return prefix + _("no area had the code “%(code)s” on %(date)s") % {
            "code": str(item.area)[:20],
            "date": start.strftime("%d/%m/%Y"),
        }
    raw = str(item.value).strip().replace(" ", "")
    try:
        value = parse_number(raw, whole=indicator.value_type == ValueType.INTEGER)
    except (InvalidOperation, ValueError):
        return prefix + _("“%(value)s” is not a number") % {"value": raw[:30]}
    if indicator.value_type == ValueType.INTEGER and value != value.to_integral():
        return prefix + _("%(code)s takes whole numbers only") % {"code": indicator.code}
    if indicator.min_value is not None and value < indicator.min_value:
        return prefix + _("%(value)s is below the smallest allowed value %(min)s") % {
            "value": raw,
            "min": indicator.min_value.normalize(),
        }
    if indicator.max_value is not None and value > indicator.max_value:
        return prefix + _("%(value)s is above the largest allowed value %(max)s") % {
            "value": raw,
            "max": indicator.max_value.normalize(),
        }
    return indicator, area, period, value


def _locked_problems(checked: list) -> list[str]:
    """Values in a report that is submitted or approved may not change (until returned)."""
    from antq.indicators.models import Submission

    if not checked:
        return []
    locked = set()
    subs = Submission.objects.filter(
        status__in=("submitted", "approved"),
        area__in={c[2] for c in checked},
        period__in={c[3].code for c in checked},
    ).prefetch_related("data_set__indicators")
    for sub in subs:
        for indicator in sub.data_set.indicators.all():
            locked.add((indicator.pk, sub.area_id, sub.period))
    out = []
    for item, indicator, area, period, _value in checked:
        if (indicator.pk, area.pk, period.code) in locked:
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
) -> dict[str, int]:
    """Validate every value first, then write them all (or none). A key that exists has its
    value replaced, and the change is kept in the value's audit trail."""
    items = list(items)
    indicators = {i.code: i for i in Indicator.objects.all()}
    area_cache: dict[tuple[str, dt.date], Area | None] = {}
    checked, problems = [], []
    for item in items:
        result = _check(item, indicators, area_cache, calendar)
        if isinstance(result, str):
            problems.append(result)
        else:
            checked.append((item, *result))
    problems += _locked_problems(checked)
    if problems:
        raise ValueErrors(problems)
    existing = {
        (v.indicator_id, v.area_id, v.period): v
        for v in DataValue.objects.filter(
            indicator__in={c[1] for c in checked},
            area__in={c[2] for c in checked},
            period__in={c[3].code for c in checked},
        )
    }
    user = actor if getattr(actor, "pk", None) else None
    new, changed, changes = [], [], []
    for item, indicator, area, period, value in checked:
        key = (indicator.pk, area.pk, period.code)
        current = existing.get(key)
        if current is None:
            row = DataValue(
                indicator=indicator,
                area=area,
                period=period.code,
                period_type=period.type,
                period_start=period.start(calendar),
                period_end=period.end(calendar),
                value=value,
                source=source,
                comment=item.comment[:500],
                updated_by=user,
            )
            new.append(row)
            existing[key] = row
            old = None
        else:
            if current.value == value and current.comment == item.comment[:500]:
                continue
            old = current.value
            current.value, current.source, current.comment, current.updated_by = (
                value,
                source,
                item.comment[:500],
                user,
            )
            current.updated_at = timezone.now()
            changed.append(current)
        changes.append(
            DataValueChange(
                indicator=indicator,
                area=area,
                period=period.code,
                old_value=old,
                new_value=value,
                source=source,
                reason=reason[:500],
                changed_by=user,
            )
        )
    DataValue.objects.bulk_create(new, batch_size=5000)
    DataValue.objects.bulk_update(
        changed, ["value", "source", "comment", "updated_by", "updated_at"], batch_size=5000
    )
    DataValueChange.objects.bulk_create(changes, batch_size=5000)
    return {
        "created": len(new),
        "updated": len(changed),
        "unchanged": len(checked) - len(new) - len(changed),
    }


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
) -> dict[str, int]:
    """Save cells of one form (one area, one period): all or nothing, errors by cell."""
    from antq.accounts.selectors import Action, user_can
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
    sub = _locked(data_set, area, p.code)
    if sub is not None:
        raise EntryErrors(
            {
                "": _(
                    "The report has been submitted or approved and is locked; it must be returned before it can be changed."
                )
            }
        )
    window = entry_window(data_set, p, today)
    if window.expired and not user_can(
        actor, Action.APPROVE, area=area, on=p.start(data_set.calendar)
    ):
        raise EntryErrors(
            {
                "": _("Entry for this period closed on %(date)s; late entry needs an approver.")
                % {"date": window.expires_on.strftime("%d/%m/%Y")}
            }
        )
    allowed = set(data_set.indicators.values_list("code", flat=True))
    errors: dict[str, str] = {}
    items = []
    for code, raw in values.items():
        if code not in allowed:
            errors[code] = _("%(code)s is not part of this form.") % {"code": code[:64]}
            continue
        if str(raw).strip() == "":
            continue
        items.append(
            ValueInput(code, area.code, p.code, str(raw), comments.get(code, "")[:500], where=code)
        )
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=allowed)}
    cache: dict = {}
    for item in items:
        result = _check(item, indicators, cache, data_set.calendar)
        if isinstance(result, str):
            errors[item.indicator] = result.split(": ", 1)[1]
    if errors:
        raise EntryErrors(errors)
    # Cross-indicator rules on the form as it would stand after the save.
    current = {
        v.indicator.code: v.value
        for v in DataValue.objects.filter(
            area=area, period=p.code, indicator__code__in=allowed
        ).select_related("indicator")
    }
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
    counts = values_save(items, actor=actor, source=ValueSource.ENTERED, calendar=data_set.calendar)
    from antq.indicators.models import Submission

    Submission.objects.get_or_create(data_set=data_set, area=area, period=p.code)
    return counts


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
