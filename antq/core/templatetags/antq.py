"""Template filters for Vietnamese number and money formatting."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from antq.core.vnformat import format_number, format_vnd

register = template.Library()


@register.filter
def vn_number(value, decimals: int = 0) -> str:
    if value in (None, ""):
        return "—"
    text = format_number(value, int(decimals))
    if get_language() == "en":
        text = text.replace(".", "\0").replace(",", ".").replace("\0", ",")
    return text


@register.filter
def plain_number(value) -> str:
    """For an input's value: 4500000, never 4.500.000 (which would not read back)."""
    from antq.core.vnformat import plain_number as _plain

    return "" if value in (None, "") else _plain(value)


@register.filter
def vn_money(value) -> str:
    if value in (None, ""):
        return "—"
    return format_vnd(value)


@register.filter
def vn_percent(value) -> str:
    """A share (0..1) as a percentage: 0.33333333 -> '33,33%'."""
    if value in (None, ""):
        return "—"
    text = vn_number(Decimal(value) * 100, 2)
    sep = "," if get_language() != "en" else "."
    return text.rstrip("0").rstrip(sep) + "%"
