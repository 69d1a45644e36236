"""An official document as data: letterhead, title, blocks of text, tables, charts, signature
and recipients — written out by antq.reports.docx and antq.reports.pdf (no Django here).

Two layouts: the Party's (Hướng dẫn 36-HD/VPTW: "ĐẢNG CỘNG SẢN VIỆT NAM" on the right, the
superior and the issuing body with the asterisk line on the left) and the State's (Nghị định
30/2020/NĐ-CP: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc").

A công văn (official letter) has no kind name: its `kind_title` is empty, its subject ("V/v …")
is written under the number and symbol, and its body opens with "Kính gửi: …" (`addressees`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

PARTY, STATE = "party", "state"
PARTY_MOTTO = "ĐẢNG CỘNG SẢN VIỆT NAM"
STATE_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
STATE_MOTTO = "Độc lập - Tự do - Hạnh phúc"
FONT = "Times New Roman"  # named in the DOCX; the PDF embeds Liberation Serif (same metrics)


def place_and_date(place: str, day: dt.date) -> str:
    """“Lạng Sơn, ngày 10 tháng 3 năm 2023” (days and months below 10 as the decrees write
    them: ngày 05 tháng 3 in state documents is also accepted; the Party's guide writes the
    plain number)."""
    return f"{place}, ngày {day.day:02d} tháng {day.month} năm {day.year}"


@dataclass
class Letterhead:
    layout: str  # PARTY or STATE
    superior: str  # ĐẢNG BỘ TỈNH LẠNG SƠN / UBND TỈNH LẠNG SƠN ('' for none)
    issuer: str  # TỈNH ỦY / CÔNG AN TỈNH LẠNG SƠN
    number_symbol: str  # Số   -BC/TU (the number left blank in a draft)
    place_date: str


@dataclass
class Heading:
    text: str
    level: int = 1  # 1: I., II. …; 2: 1., 2. …


@dataclass
class Paragraph:
    text: str
    italic: bool = False


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]
    total: list[str] | None = None
    numeric_from: int = 1  # columns from this index are numbers, right-aligned
    widths: list[float] | None = None  # relative column widths (None: the first one wider)
    align: str = ""  # one letter a column, "l", "c" or "r" ('': by `numeric_from`)

    def alignment(self, column: int) -> str:
        if self.align:
            return self.align[column]
        return "r" if column >= self.numeric_from else "l"


@dataclass
class Chart:
    title: str
    bars: list[tuple[str, float]]
    unit: str = ""


@dataclass
class Signature:
    on_behalf: str  # T/M TỈNH ỦY
    position: str  # BÍ THƯ
    signer: str = ""  # names stay out of generated drafts: the signer signs the printed copy


@dataclass
class OfficialDocument:
    letterhead: Letterhead
    kind_title: str  # BÁO CÁO; '' for a công văn
    subject: str  # the trích yếu, under the kind (a công văn's "V/v …", under its number)
    blocks: list = field(default_factory=list)
    signature: Signature | None = None
    recipients: list[str] = field(default_factory=list)
    addressees: list[str] = field(default_factory=list)  # Kính gửi (a công văn)
    has_data: bool = True
    figures: dict[str, Decimal] = field(default_factory=dict)  # indicator code → total
    annex: list[Table] = field(default_factory=list)  # tables for the XLSX annex
    file_stem: str = "bao-cao"

    @property
    def is_letter(self) -> bool:
        """A công văn: no kind name, the subject under the number, "Kính gửi" first."""
        return not self.kind_title

    @property
    def title(self) -> str:
        """“BÁO CÁO Kết quả …”, “Công văn V/v …”: the document named in a line."""
        return f"Công văn {self.subject}" if self.is_letter else f"{self.kind_title} {self.subject}"


def addressee_lines(addressees: list[str]) -> list[str]:
    """“Kính gửi: X.” for one addressee; “Kính gửi:” then “- X;” … “- Z.” for several."""
    if not addressees:
        return []
    if len(addressees) == 1:
        return [f"Kính gửi: {addressees[0]}."]
    last = len(addressees) - 1
    return ["Kính gửi:"] + [f"- {a}{'.' if i == last else ';'}" for i, a in enumerate(addressees)]
