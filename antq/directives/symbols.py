"""Vietnamese document citations: find "Kết luận số 44-KL/TW, ngày 22/01/2019" in free text.

Plain module (standard library only): it imports and runs without Django being set up.

``parse_references(text)`` returns every citation of a Party or State document in ``text``, in
order, as frozen :class:`Reference` objects; ``normalise_symbol(text)`` turns one written symbol
("30/2020/NĐ - CP", "44–KL/TW") into the canonical form the app stores and compares.

Grammar accepted
================

Text preparation (offsets still refer to the caller's string): the text is composed to Unicode
NFC (so decomposed NFD input matches), the Icelandic look-alikes ``Ð``/``ð`` (U+00D0/U+00F0) are
read as ``Đ``/``đ``, every dash (hyphen U+2010..U+2015, minus U+2212, small and full-width
hyphen-minus) as ``-``, the division and full-width slashes as ``/``, and zero-width spaces as
spaces.

Symbol (the document's "số, ký hiệu")::

    PARTY  = NUMBER S "-" S KIND S "/" S PART ("-" PART)*          Hướng dẫn 36-HD/VPTW
    STATE  = NUMBER S "/" S [YEAR S "/" S] CODES                    Nghị định 30/2020/NĐ-CP
    CODES  = STATEKIND S "-" S PART ("-" PART)*   (kind, then issuing body: "NĐ-CP", "QĐ-BCA-V05")
           | PART ("-" PART)*                     (no kind: laws "QH15", letters "CAT-PV05")
    NUMBER = 1..6 ASCII digits, kept as written ("09"); not preceded by a letter, digit,
             "/", ".", "," or "-" (so "22/01/2019", "1.000/..." and "0912-345-678" are no start)
    YEAR   = 4 digits, 1800..2099
    KIND   = a known kind code (any case: "KL", "QĐi", "TTr", "kl") or 2..6 capital letters
    PART   = a capital letter, then capitals, digits, "&", "đ", with at most one lower-case
             ASCII letter ("TW", "BCA", "V05", "UBTVQH15", "BNN&PTNT", "TTg")
    S      = up to two spaces or tabs (never a line break): "44 - KL/TW", "30/2020/NĐ - CP"

The symbol must end at a word boundary. Spaces around "-" inside the issuing body are *not*
accepted ("30/2020/NĐ-CP - UBND tỉnh" is NĐ-CP followed by prose), and a spaced "-" after the
first code only when that code is a known kind. Fully or partly lower-case symbols ("44-kl/tw",
"30/2020/nđ-cp") are accepted only without inner spaces and only when the kind code is a known one;
they are upper-cased. A lower-case "đ" inside capitals ("Nđ-CP", "Qđ-TTg") is read as "Đ".

Rejected although they fit the shape: a state symbol with a known kind and no issuer ("12/QĐ"),
and a state symbol of one code with neither year nor kind ("205/A1", an address) unless "số" or a
document type word stands right before it ("Nghị định số 34/CP").

Type word (``kind_name``): the nearest document type word before the symbol ("Kết luận", "Chỉ
thị", "Thông tư liên tịch", "Bộ luật", ...; any letter case), joined to it by blanks and an
optional "số" / "số:" / "số." (a line break may fall anywhere there), or by a title and then a
mandatory "số": "Bộ luật Tố tụng hình sự số 101/2015/QH13". A title has no digits, line breaks
or sentence punctuation and is at most 100 characters; a type word across a title must be
capitalised ("theo quy định của pháp luật số ..." names no Quy định) and agree with the
symbol's kind code, if it has one ("Quyết định khen thưởng theo đề nghị số
102/TTr-UBND" names no type word); right before the symbol it is taken as written. Words that
merely contain a type word ("pháp luật", "kỷ luật", "mệnh lệnh") are no type word. The search
looks back at most 200 characters and never past the previous citation.

``kind``: the kind code written in the symbol ("KL", "NĐ", "QĐ", "TTLT", "QĐi", "L" for Lệnh);
for a symbol without one, the code of the type word (:data:`TYPE_WORDS`: Luật → ``LUAT``, Bộ
luật → ``BLUAT``, Pháp lệnh → ``PL``, Công văn → ``CV``, Nghị quyết → ``NQ``, ...), else None.
Under the type word "Công văn" a state symbol never carries a kind (Nghị định 30/2020/NĐ-CP,
Phụ lục III), so "Công văn số 123/CT-TTHT" has kind ``CV`` and issuer ``CT-TTHT``.

``date``: the issue date, when the citation states it::

    AFTER = [","] ["của" BODY [","]] [("được"|"đã")] ["ký"] [("ban hành"|"thông qua")] ["vào"]
            ["("] "ngày" [":"] DATE
    DATE  = D sep M sep YYYY  (sep one of "/", "-", "." used twice)  |  D "tháng" M "năm" YYYY

Blanks and line breaks may separate the pieces (at most 20 characters before and after the
comma), blanks but no line break the parts of a numeric DATE; YYYY has exactly four digits. BODY is at most 80 characters
without digits, line breaks or sentence punctuation ("Ban Bí thư (khóa XII)") and must not
contain a word that makes the date something else: "về", "từ", "đến", "tới", "hiệu", "lực",
"kể", "trước", "sau", "tại", "theo", "trong", "hết", "hạn", "cho", "với", "lúc". So "có hiệu lực
(thi hành) (kể) từ ngày ..." right after a symbol is no issue date, and neither is a date after
"của Ban Bí thư về ...". An impossible date (31/02/2019) gives None.

``span``: offsets into the caller's original string, from the type word (or from the symbol when
there is none) to the end of the symbol; ``symbol_span`` covers the symbol alone. The date is
outside both. Spans never overlap and increase.

Robustness: never raises on a ``str`` (empty, control characters, lone surrogates, megabytes).
All patterns are free of nested ambiguous repetition and every backwards look is bounded, so
the running time is linear in the length of the text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

__all__ = ["KIND_CODES", "TYPE_WORDS", "Reference", "normalise_symbol", "parse_references"]


@dataclass(frozen=True)
class Reference:
    """One cited document. See the module docstring for the meaning of each field."""

    symbol: str  # canonical: "44-KL/TW", "30/2020/NĐ-CP", "1534/CAT-PV05"
    kind: str | None  # "KL", "NĐ", "QĐ", ...; derived from the type word when the symbol has none
    kind_name: str | None  # the type word as written in Vietnamese ("Kết luận"), if present
    number: str  # as written, leading zeros kept ("09")
    issuer: str  # "TW", "CP", "BCA-V05", "QH15", "CAT-PV05"
    year: int | None  # the year inside a state symbol ("30/2020/..." → 2020), else None
    date: dt.date | None  # the issue date, when the citation states it
    span: tuple[int, int]  # original-text offsets: type word (or symbol) .. end of symbol
    symbol_span: tuple[int, int]  # original-text offsets of the symbol alone
    style: Literal["party", "state"]  # "44-KL/TW" (Hướng dẫn 36) or "30/2020/NĐ-CP" (NĐ 30)


# --------------------------------------------------------------------------------------------
# Vocabulary

#: Kind codes written inside symbols. Party codes follow Hướng dẫn 36-HD/VPTW, state codes
#: Nghị định 30/2020/NĐ-CP (Phụ lục III) and the Law on legal documents (NĐ, TT, TTLT, L ...).
KIND_CODES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "NQLT": "Nghị quyết liên tịch",
    "QĐ": "Quyết định",
    "QĐi": "Quy định",  # Party "Quy định" (e.g. 08-QĐi/TW)
    "QyĐ": "Quy định",  # state "Quy định"
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QC": "Quy chế",
    "HD": "Hướng dẫn",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TB": "Thông báo",
    "TC": "Thông cáo",
    "TTr": "Tờ trình",
    "CV": "Công văn",  # Party letters carry it ("15-CV/TU"); state letters carry no kind
    "CĐ": "Công điện",
    "HĐ": "Hợp đồng",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GUQ": "Giấy ủy quyền",
    "BGN": "Bản ghi nhớ",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "L": "Lệnh",
}

#: Document type words (canonical spelling) and the kind code used when a symbol has none.
#: Laws, codes and ordinances are numbered without a kind ("30/2023/QH15"), so they get codes
#: of their own that never occur inside a symbol: LUAT, BLUAT, PL, HP.
TYPE_WORDS: dict[str, str] = {
    "Thông tư liên tịch": "TTLT",
    "Nghị quyết liên tịch": "NQLT",
    "Thông báo kết luận": "TB",
    "Thông tư": "TT",
    "Thông tri": "TT",
    "Bộ luật": "BLUAT",
    "Luật": "LUAT",
    "Pháp lệnh": "PL",
    "Hiến pháp": "HP",
    "Lệnh": "L",
    "Công văn": "CV",
    "Công điện": "CĐ",
    "Chỉ thị": "CT",
    "Kết luận": "KL",
    "Kế hoạch": "KH",
    "Nghị định": "NĐ",
    "Quyết định": "QĐ",
    "Nghị quyết": "NQ",
    "Hướng dẫn": "HD",
    "Báo cáo": "BC",
    "Thông báo": "TB",
    "Thông cáo": "TC",
    "Tờ trình": "TTr",
    "Chương trình": "CTr",
    "Quy định": "QyĐ",
    "Quy chế": "QC",
    "Đề án": "ĐA",
    "Phương án": "PA",
    "Dự án": "DA",
    "Biên bản": "BB",
    "Hợp đồng": "HĐ",
    "Giấy mời": "GM",
}

# Phrases that contain a type word but are not one ("pháp luật" is not "Luật"). Matching them
# first stops the type-word search from taking their second half.
_DECOYS = ("pháp luật", "kỷ luật", "kỉ luật", "luật sư", "mệnh lệnh", "sắc lệnh")

# Codes whose canonical spelling has a lower-case letter; everything else is upper-cased.
# "ThU" is a city Party committee (Thành ủy) in Hướng dẫn 36-HD/VPTW.
_MIXED_CASE = {code.upper(): code for code in ("QĐi", "QyĐ", "TTr", "CTr", "TTg", "ThU")}

# Words that, inside "của <body>" before "ngày", show the date is not the issue date.
_NOT_ISSUE = frozenset(
    "về từ đến tới hiệu lực kể trước sau tại theo trong hết hạn cho với lúc".split()
)


# --------------------------------------------------------------------------------------------
# Patterns


def _ci(phrase: str) -> str:
    """A case-insensitive pattern for a literal phrase, spelled out per letter.

    re.IGNORECASE is avoided on purpose: it would also match look-alikes such as the Kelvin
    sign for "K", which then would not upper-case to a known code."""
    out = []
    for ch in phrase:
        if ch == " ":
            out.append(r"\s+")
        elif ch.lower() != ch.upper() and len(ch.upper()) == 1:
            out.append(f"[{re.escape(ch.upper())}{re.escape(ch.lower())}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _alternation(words) -> str:
    return "|".join(_ci(w) for w in sorted(words, key=len, reverse=True))


_STATE_KINDS = {k for k in KIND_CODES if k not in ("KL", "QĐi", "CV")}
_PART = r"[A-ZĐ][A-ZĐđ0-9&]*(?:[a-z][A-ZĐđ0-9&]*)?"  # "TW", "V05", "BNN&PTNT", "TTg"
# In a symbol written in lower case each part has one case: "cp", "CP", "ttg"; never "TWabc".
# The three branches start differently, so there is no backtracking between them.
_LOWER_FIRST = r"(?:[a-zđ][a-zđ0-9&]*|[A-ZĐ][A-ZĐ0-9&]*)"  # the issuer starts with a letter
_LOWER_PART = rf"(?:[0-9&]+{_LOWER_FIRST}?|{_LOWER_FIRST})"
_SP = r"[^\S\n]{0,2}"  # up to two blanks inside a symbol, never a line break
_NUM = r"[0-9]{1,6}"
_YEAR = r"(?:18|19|20)[0-9]{2}"
_ANY_KIND = _alternation(KIND_CODES)
_STATE_KIND = _alternation(_STATE_KINDS)

_SYMBOL = re.compile(
    rf"""
    (?<![\w/.,-])
    (?:
        (?P<p_num>{_NUM}){_SP}-{_SP}
        (?P<p_kind>{_ANY_KIND}|[A-ZĐ][A-ZĐđ]{{1,5}}){_SP}/{_SP}
        (?P<p_iss>{_PART}(?:-{_PART})*)
      |
        (?P<s_num>{_NUM}){_SP}/{_SP}
        (?:(?P<s_year>{_YEAR}){_SP}/{_SP})?
        (?P<s_codes>(?:(?:{_STATE_KIND}){_SP}-{_SP}{_PART}|{_PART})(?:-{_PART})*)
      |
        (?P<lp_num>{_NUM})-(?P<lp_kind>{_ANY_KIND})/
        (?P<lp_iss>{_LOWER_FIRST}(?:-{_LOWER_PART})*)
      |
        (?P<ls_num>{_NUM})/(?:(?P<ls_year>{_YEAR})/)?
        (?P<ls_codes>(?:{_STATE_KIND})-{_LOWER_FIRST}(?:-{_LOWER_PART})*)
    )
    (?![\w&])
    """,
    re.VERBOSE,
)

_SO = r"(?<!\w)" + _ci("số") + r"(?!\w)"
_TYPE_WORD = re.compile(r"(?<!\w)(?:" + _alternation([*TYPE_WORDS, *_DECOYS]) + r")(?!\w)")
_TYPE_NAMES = {" ".join(w.lower().split()): w for w in TYPE_WORDS}
# What may stand between a type word and the symbol (matched to the end of the look-back).
_CONNECT = re.compile(
    rf"\s*(?:{_SO}\s*[:.]?\s*)?"
    rf"|\s+(?P<title>[^\W\d_][^\d\n.;:!?]{{0,100}}?)\s+{_SO}\s*[:.]?\s*"
)
# Type words that may head a symbol of another kind code across a title (Party "Quy định"s
# were numbered "...-QĐ/TW" before "QĐi" came in).
_ALSO_HEADS = {"Quy định": {"QĐ", "QĐi"}, "Thông báo kết luận": {"TB"}}
_SO_TAIL = re.compile(rf"{_SO}\s*[:.]?\s*\Z")
_LOOK_BACK = 200  # characters searched for a type word before a symbol

_DATE = (
    r"(?:(?P<d>[0-9]{1,2})[^\S\n]*(?P<sep>[/.-])[^\S\n]*(?P<m>[0-9]{1,2})"
    r"[^\S\n]*(?P=sep)[^\S\n]*(?P<y>[0-9]{4})"
    rf"|(?P<d2>[0-9]{{1,2}})\s+{_ci('tháng')}\s+(?P<m2>[0-9]{{1,2}})\s*,?\s*"
    rf"{_ci('năm')}\s+(?P<y2>[0-9]{{4}}))(?![0-9])"
)
_AFTER = re.compile(
    r"\s{0,20}(?:,\s{0,20})?"
    rf"(?:{_ci('của')}\s+(?P<by>[^\d\n.;:!?]{{1,80}}?)\s*,?\s*)?"
    rf"(?:(?:{_ci('được')}|{_ci('đã')})\s+)?(?:{_ci('ký')}\s+)?"
    rf"(?:(?:{_ci('ban hành')}|{_ci('thông qua')})\s+)?(?:{_ci('vào')}\s+)?(?:\(\s*)?"
    rf"{_ci('ngày')}\s*:?\s*{_DATE}"
)
_WORD = re.compile(r"\w+")

# One symbol alone, for normalise_symbol: an optional "số", the symbol, blanks, the end.
_STANDALONE = re.compile(rf"\s*(?:{_ci('số')}\s*[:.]?\s*)?")
_SYMBOL_ALONE = re.compile(_SYMBOL.pattern + r"\s*\Z", re.VERBOSE)


# --------------------------------------------------------------------------------------------
# Text preparation with an offset map back to the original string

_TRANSLATE = str.maketrans(
    {
        "\u00d0": "Đ",  # Ð (Icelandic eth) typed for Đ
        "\u00f0": "đ",
        "\u0189": "Đ",  # Ɖ (African D)
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
        **dict.fromkeys("\u2044\u2215\uff0f", "/"),
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff", " "),
    }
)
# A base character followed by combining marks: the only places where NFC changes Vietnamese.
# Other scripts' marks are left alone, which keeps them as they are (harmless for matching).
_CLUSTER = re.compile(r"(?s).[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


class _Prepared:
    """The text as matched (NFC, look-alikes replaced) and a map of its offsets to the original."""

    def __init__(self, text: str) -> None:
        self.original_length = len(text)
        # Where NFC changed a cluster: its start and length in the prepared and original text.
        self._nstart = array("q")
        self._nlen = array("q")
        self._ostart = array("q")
        self._olen = array("q")
        if unicodedata.is_normalized("NFC", text):
            self.text = text.translate(_TRANSLATE)
            return
        pieces: list[str] = []
        last = 0
        prepared_length = 0
        for m in _CLUSTER.finditer(text):
            before = text[last : m.start()]
            pieces.append(before)
            prepared_length += len(before)
            cluster = m.group()
            composed = unicodedata.normalize("NFC", cluster)
            if composed != cluster:
                self._nstart.append(prepared_length)
                self._nlen.append(len(composed))
                self._ostart.append(m.start())
                self._olen.append(len(cluster))
            pieces.append(composed)
            prepared_length += len(composed)
            last = m.end()
        pieces.append(text[last:])
        # The translation is one character for one, so it keeps every offset.
        self.text = "".join(pieces).translate(_TRANSLATE)

    def original(self, offset: int, *, end: bool = False) -> int:
        """The original-text offset of a prepared-text offset (a start, or an end if end)."""
        i = bisect_right(self._nstart, offset) - 1
        if i < 0:
            return offset
        nstart, nlen, ostart, olen = self._nstart[i], self._nlen[i], self._ostart[i], self._olen[i]
        if offset == nstart:
            return ostart
        if offset < nstart + nlen:  # inside a composed cluster
            return ostart + olen if end else ostart
        return ostart + olen + (offset - nstart - nlen)


# --------------------------------------------------------------------------------------------
# Building references


def _canon(code: str) -> str:
    code = code.strip().upper()  # "đ" → "Đ"; inputs are ASCII letters, digits, "&", "Đ"
    return _MIXED_CASE.get(code, code)


def _codes(text: str) -> list[str]:
    return [_canon(c) for c in text.split("-")]


@dataclass(frozen=True)
class _Symbol:
    style: Literal["party", "state"]
    number: str
    year: int | None
    codes: tuple[str, ...]  # party: (kind, issuer parts...); state: the codes after the year
    kind: str | None  # the kind code written in the symbol

    @property
    def text(self) -> str:
        if self.style == "party":
            return f"{self.number}-{self.codes[0]}/{'-'.join(self.codes[1:])}"
        year = f"{self.year}/" if self.year is not None else ""
        return f"{self.number}/{year}{'-'.join(self.codes)}"


def _symbol(m: re.Match[str]) -> _Symbol | None:
    """The symbol a match of _SYMBOL stands for, or None when it fits the shape only."""
    if m["p_num"] or m["lp_num"]:
        number = m["p_num"] or m["lp_num"]
        kind = _canon(m["p_kind"] or m["lp_kind"])
        issuer = _codes(m["p_iss"] or m["lp_iss"])
        return _Symbol("party", number, None, (kind, *issuer), kind)
    number = m["s_num"] or m["ls_num"]
    year = m["s_year"] or m["ls_year"]
    codes = tuple(_codes(m["s_codes"] or m["ls_codes"]))
    kind = codes[0] if codes[0] in _STATE_KINDS else None
    if kind is not None and len(codes) == 1:
        return None  # "12/QĐ": a kind without an issuing body
    return _Symbol("state", number, int(year) if year else None, codes, kind)


def _type_word(
    text: str, lo: int, hi: int, kind: str | None
) -> tuple[str | None, int | None, bool]:
    """The type word citing the symbol at text[hi:], searched in text[lo:hi]: its canonical
    spelling and start, or (None, None, whether "số" stands right before the symbol).

    A type word right before the symbol is taken as written. Across a title it must agree with
    the kind code of the symbol, if any: in "Quyết định khen thưởng theo đề nghị số
    102/TTr-UBND" the Quyết định is not the Tờ trình cited."""
    matches = list(_TYPE_WORD.finditer(text, lo, hi))
    for tw in reversed(matches):
        name = _TYPE_NAMES.get(" ".join(tw.group().lower().split()))
        if name is None:
            continue
        link = _CONNECT.fullmatch(text, tw.end(), hi)
        if link is None:
            continue
        if link["title"] is not None:
            if not tw.group()[0].isupper():
                continue  # "theo quy định của pháp luật số ...": a common noun, not a title
            if kind is not None and kind != TYPE_WORDS[name]:
                if kind not in _ALSO_HEADS.get(name, ()):
                    continue
        return name, tw.start(), True
    return None, None, _SO_TAIL.search(text, lo, hi) is not None


def _issue_date(text: str, pos: int) -> dt.date | None:
    m = _AFTER.match(text, pos)
    if m is None:
        return None
    if m["by"] is not None and any(w.lower() in _NOT_ISSUE for w in _WORD.findall(m["by"])):
        return None
    day, month, year = (m["d"], m["m"], m["y"]) if m["d"] else (m["d2"], m["m2"], m["y2"])
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_references(text: str) -> list[Reference]:
    """Every document citation in ``text``, in order of appearance."""
    if not isinstance(text, str) or not text:
        return []
    prepared = _Prepared(text)
    norm = prepared.text
    references: list[Reference] = []
    previous_end = 0
    for m in _SYMBOL.finditer(norm):
        symbol = _symbol(m)
        if symbol is None:
            continue
        start, end = m.span()
        kind_name, word_start, in_context = _type_word(
            norm, max(previous_end, start - _LOOK_BACK), start, symbol.kind
        )
        kind, issuer_codes = symbol.kind, symbol.codes[1:] if symbol.kind else symbol.codes
        if symbol.style == "state":
            if kind_name == "Công văn":
                kind, issuer_codes = None, symbol.codes  # letters carry no kind (NĐ 30/2020)
            if symbol.year is None and kind is None and len(symbol.codes) == 1 and not in_context:
                continue  # "205/A1" is an address unless "số" or a type word announces it
        if kind is None and kind_name is not None:
            kind = TYPE_WORDS[kind_name]
        span_start = word_start if word_start is not None else start
        references.append(
            Reference(
                symbol=symbol.text,
                kind=kind,
                kind_name=kind_name,
                number=symbol.number,
                issuer="-".join(issuer_codes),
                year=symbol.year,
                date=_issue_date(norm, end),
                span=(prepared.original(span_start), prepared.original(end, end=True)),
                symbol_span=(prepared.original(start), prepared.original(end, end=True)),
                style=symbol.style,
            )
        )
        previous_end = end
    return references


def normalise_symbol(text: str) -> str | None:
    """The canonical form of one written symbol, or None if ``text`` is not exactly one.

    "44 – KL/TW" → "44-KL/TW"; "Số: 30/2020/nđ-cp" → "30/2020/NĐ-CP"; "2248/QĐ-TTG" →
    "2248/QĐ-TTg"; "100/100" → None. Leading zeros are kept ("09-CT/TW" ≠ "9-CT/TW").
    A one-code symbol such as "34/CP" is accepted here, the text being a symbol by assumption."""
    if not isinstance(text, str):
        return None
    norm = _Prepared(text).text
    lead = _STANDALONE.match(norm)
    start = lead.end() if lead else 0
    m = _SYMBOL_ALONE.match(norm, start)
    if m is None:
        return None
    symbol = _symbol(m)
    return symbol.text if symbol is not None else None
