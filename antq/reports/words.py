"""Figures in official Vietnamese prose (no Django here).

Reports round large counts down and say so: 6.512 tin, bài is written “hơn 6.500 tin, bài”,
912 vụ “hơn 900 vụ”, 1.047 đối tượng “hơn 1.000 đối tượng”; small counts are written exactly
(“66 mô hình”), and so is a count that is already round (“6.500”). Money is written in tỷ or
triệu đồng with a decimal comma (“4,5 tỷ đồng”), and may be spelled out in words
(“bốn tỷ năm trăm triệu đồng”).
"""

from __future__ import annotations

from decimal import Decimal

from antq.core.vnformat import format_number, format_vnd

EXACT_BELOW = 200  # counts under this are written exactly


def round_down(n: int) -> int:
    """The round figure a report writes after “hơn”: hundreds below 10.000, thousands up to
    100.000, then two significant digits."""
    if n < EXACT_BELOW:
        return n
    if n < 10_000:
        step = 100
    elif n < 100_000:
        step = 1_000
    else:
        step = 10 ** (len(str(n)) - 2)
    return n // step * step


def about(n: int | Decimal) -> str:
    """“hơn 6.500” for 6.512; “66” for 66; “6.500” for 6.500."""
    n = int(n)
    rounded = round_down(n)
    if rounded == n:
        return format_number(n)
    return f"hơn {format_number(rounded)}"


def count(n: int | Decimal, unit: str, *, exact: bool = False) -> str:
    """“hơn 900 vụ”, “66 mô hình”; with `exact`, “912 vụ”."""
    return f"{format_number(int(n)) if exact else about(n)} {unit}"


def money(amount: int | Decimal) -> str:
    """“4,5 tỷ đồng”, “450 triệu đồng”, “12.000 đồng”."""
    return format_vnd(amount)


def money_in_words(amount: int | Decimal) -> str:
    """“bốn tỷ năm trăm triệu đồng” (num2words' Vietnamese), first letter capitalised as
    official documents write it in brackets: “(Bốn tỷ năm trăm triệu đồng)”."""
    from num2words import num2words

    text = num2words(int(amount), lang="vi") + " đồng"
    return text[0].upper() + text[1:]


def share(part: int | Decimal, whole: int | Decimal) -> str:
    """“62,2%” (one decimal, comma); “—” when the whole is zero."""
    if not whole:
        return "—"
    return format_number(Decimal(part) * 100 / Decimal(whole), 1) + "%"
