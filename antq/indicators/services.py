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
        value = Decimal(raw)
    except InvalidOperation:
        return prefix + _("“%(value)s” is not a number") % {"value": raw[:30]}
    if not value.is_finite():
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


def out_of_scope(user: Any, items: list[ValueInput], calendar: str = "gregorian") -> list[str]:
    """Located messages for the items whose area the user may not enter data for."""
    from antq.accounts.selectors import Action, user_can

    if getattr(user, "is_superuser", False):
        return []
    denied, seen = [], {}
    for item in items:
        try:
            start = parse_period(str(item.period)).start(calendar)
        except PeriodError:
            continue  # reported by values_save
        key = (str(item.area).strip(), start)
        if key not in seen:
            area = (
                Area.objects.filter(code=key[0], valid_from__lte=start)
                .exclude(valid_to__lt=start)
                .first()
            )
            seen[key] = area is None or user_can(user, Action.ENTER, area=area, on=start)
        if not seen[key]:
            denied.append(
                f"{item.where}: " + _("area %(code)s is outside your scope") % {"code": key[0]}
            )
    return denied
