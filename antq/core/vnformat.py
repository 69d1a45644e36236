"""Vietnamese number, money and date formatting, date parsing and alphabetical order (no Django
needed).

Official Vietnamese writes 6.512 (dot groups thousands), 4,5 (comma for decimals),
dates as dd/mm/yyyy, and large sums of money in "tỷ đồng" / "triệu đồng".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def format_number(value: int | float | Decimal, decimals: int = 0) -> str:
    """6512 -> '6.512'; 4.5 with decimals=1 -> '4,5'; -1234567 -> '-1.234.567'."""
    quant = Decimal(1).scaleb(-decimals)
    number = Decimal(str(value)).quantize(quant, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    if decimals > 0:
        out += "," + frac
    return sign + out


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(",") if "," in text else text


def format_vnd(amount: int | Decimal) -> str:
    """4_500_000_000 -> '4,5 tỷ đồng'; 750_000_000 -> '750 triệu đồng'; 12_000 -> '12.000 đồng'."""
    value = Decimal(amount)
    if abs(value) >= 1_000_000_000:
        return _trim(format_number(value / 1_000_000_000, 2)) + " tỷ đồng"
    if abs(value) >= 1_000_000:
        return _trim(format_number(value / 1_000_000, 2)) + " triệu đồng"
    return format_number(value) + " đồng"


def format_date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


_DATE_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), ("y", "m", "d")),
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), ("d", "m", "y")),
)


def parse_date(text: str) -> dt.date:
    """Parse '2022-01-01', '01/01/2022', '1/1/2022' or '01-01-2022'; ValueError otherwise."""
    raw = (text or "").strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.fullmatch(raw)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            return dt.date(parts["y"], parts["m"], parts["d"])
    raise ValueError(f"not a date: {text!r} (expected dd/mm/yyyy or yyyy-mm-dd)")


_VN_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_VN_DECIMAL = re.compile(r"[+-]?\d+,\d+")


def parse_number(text: str, *, whole: bool = True) -> Decimal:
    """Read a number as officials type it: '4.500.000' (dots group thousands), '4,5' (comma
    for decimals), or plain '6512' / '4.5'. A single dot group ('6.512') is read as thousands
    when a whole number is expected (`whole`), as a decimal point otherwise.
    InvalidOperation otherwise."""
    raw = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    single_group = raw.count(".") == 1 and "," not in raw
    if _VN_THOUSANDS.fullmatch(raw) and (whole or not single_group):
        raw = raw.replace(".", "").replace(",", ".")
    elif _VN_DECIMAL.fullmatch(raw):
        raw = raw.replace(",", ".")
    value = Decimal(raw)
    if not value.is_finite():
        raise InvalidOperation(text)
    return value


def plain_number(value: Decimal | int | None) -> str:
    """A number for an input field: no grouping, no exponent, no trailing zeros."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text


# Vietnamese alphabetical order: a ă â b c d đ e ê … o ô ơ … u ư …; the tones, in the
# dictionaries' order (none, huyền, hỏi, ngã, sắc, nặng), decide only between names otherwise
# equal.
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def sort_key(text: str) -> tuple[list[tuple[str, int]], list[int]]:
    """A key that sorts Vietnamese names as a Vietnamese reader expects (“Ban Tổ chức” before
    “Ban Tuyên giáo”, “Đảng ủy” after “Dân vận”; case ignored)."""
    letters: list[tuple[str, int]] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", text.casefold()):
        if ch in _LETTER_MARKS and letters:
            letters[-1] = (letters[-1][0], _LETTER_MARKS[ch])
        elif ch in _TONES and tones:
            tones[-1] = _TONES[ch]
        else:
            letters.append(("d", 4) if ch == "đ" else (ch, 0))
            tones.append(0)
    return letters, tones
