"""Writing an OfficialDocument as PDF (reportlab), in the same layout as the DOCX, with the
vendored Liberation Serif (metric-compatible with Times New Roman, every Vietnamese glyph)
embedded — the server needs no font installed."""

from __future__ import annotations

import io
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Paragraph as P
from reportlab.platypus import Table as T

from antq.reports.chart import FONTS, chart_png
from antq.reports.content import (
    PARTY,
    PARTY_MOTTO,
    STATE_MOTTO,
    STATE_NAME,
    Chart,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    addressee_lines,
)

SERIF = "AntqSerif"


@cache
def _register() -> None:
    faces = {
        SERIF: "LiberationSerif-Regular.ttf",
        f"{SERIF}-Bold": "LiberationSerif-Bold.ttf",
        f"{SERIF}-Italic": "LiberationSerif-Italic.ttf",
        f"{SERIF}-BoldItalic": "LiberationSerif-BoldItalic.ttf",
    }
    for name, file in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))
    pdfmetrics.registerFontFamily(
        SERIF,
        normal=SERIF,
        bold=f"{SERIF}-Bold",
        italic=f"{SERIF}-Italic",
        boldItalic=f"{SERIF}-BoldItalic",
    )


def _style(size=14, align=TA_JUSTIFY, indent=0, before=0, after=0, leading=None):
    return ParagraphStyle(
        "s",
        fontName=SERIF,
        fontSize=size,
        leading=leading or size * 1.3,
        alignment=align,
        firstLineIndent=indent,
        spaceBefore=before,
        spaceAfter=after,
    )


def _p(text: str, style, *, bold=False, italic=False, underline=False) -> P:
    markup = escape(text)
    if underline:
        markup = f"<u>{markup}</u>"
    if italic:
        markup = f"<i>{markup}</i>"
    if bold:
        markup = f"<b>{markup}</b>"
    return P(markup, style)


def _letterhead(report: OfficialDocument) -> T:
    head = report.letterhead
    c = _style(14, TA_CENTER, leading=17)
    left = []
    if head.superior:
        left.append(_p(head.superior, c))
    left += [
        _p(head.issuer, c, bold=True),
        _p("*" if head.layout == PARTY else "––––––––", c),
        _p(head.number_symbol, c),
    ]
    if report.is_letter and report.subject:
        left.append(_p(report.subject, _style(12, TA_CENTER, leading=14)))
    if head.layout == PARTY:
        right = [_p(PARTY_MOTTO, _style(15, TA_CENTER), bold=True, underline=True), Spacer(1, 14)]
    else:
        right = [
            _p(STATE_NAME, _style(12, TA_CENTER), bold=True),
            _p(STATE_MOTTO, c, bold=True, underline=True),
        ]
    right.append(_p(head.place_date, c, italic=True))
    # the State's name (12 pt bold, one line) needs the wider right column (NĐ 30/2020)
    widths = [7.5 * cm, 9 * cm] if head.layout == PARTY else [6.5 * cm, 10 * cm]
    table = T([[left, right]], colWidths=widths)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _addressees(report: OfficialDocument) -> list:
    lines = addressee_lines(report.addressees)
    if len(lines) == 1:
        return [_p(lines[0], _style(14, TA_CENTER, before=12, after=6))]
    names = [_p(line, _style(14, TA_LEFT, leading=17)) for line in lines[1:]]
    table = T(
        [[_p(lines[0], _style(14, TA_RIGHT, leading=17)), names]], colWidths=[5 * cm, 11.5 * cm]
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (1, 0), (1, 0), 3),
                ("RIGHTPADDING", (0, 0), (0, 0), 0),
            ]
        )
    )
    return [Spacer(1, 6), table, Spacer(1, 10)]


ALIGN = {"l": TA_LEFT, "c": TA_CENTER, "r": TA_RIGHT}


def _table(block: Table) -> list:
    header = _style(12, TA_CENTER, leading=14)
    styles = {a: _style(12, ALIGN[a], leading=14) for a in ALIGN}
    data = [[_p(c, header, bold=True) for c in block.columns]]
    rows = block.rows + ([block.total] if block.total else [])
    for i, row in enumerate(rows):
        last = block.total is not None and i == len(rows) - 1
        data.append([_p(v, styles[block.alignment(j)], bold=last) for j, v in enumerate(row)])
    if block.widths:  # within the frame's padding, as wide as the text
        widths = [w * (16.5 * cm - 12) / sum(block.widths) for w in block.widths]
    else:
        first = 4 * cm
        other = (16.5 * cm - first) / max(len(block.columns) - 1, 1)
        widths = [first] + [other] * (len(block.columns) - 1)
    table = T(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1ede4")),
            ]
        )
    )
    return [_p(block.title, _style(12, TA_CENTER, before=6, after=4), bold=True), table]


def _chart(block: Chart) -> Image:
    png = chart_png(block)
    image = Image(io.BytesIO(png))
    ratio = image.imageHeight / image.imageWidth
    image.drawWidth = 15 * cm
    image.drawHeight = 15 * cm * ratio
    return image


def _closing(report: OfficialDocument) -> T:
    small = _style(12, TA_LEFT, leading=14)
    left = [_p("Nơi nhận:", _style(14, TA_LEFT), underline=True)]
    left += [_p(f"- {line}", small) for line in report.recipients]
    right = []
    if report.signature:
        c = _style(14, TA_CENTER, leading=17)
        right = [
            _p(report.signature.on_behalf, c, bold=True),
            _p(report.signature.position, c, bold=True),
            Spacer(1, 60),
            _p(report.signature.signer, c, bold=True),
        ]
    table = T([[left, right]], colWidths=[8 * cm, 8.5 * cm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def pdf_bytes(report: OfficialDocument) -> bytes:
    _register()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        leftMargin=30 * mm,
        rightMargin=15 * mm,
        title=report.title,
        author="antq",
    )
    body = _style(14, TA_JUSTIFY, indent=1 * cm, after=6)
    story: list = [_letterhead(report)]
    if report.is_letter:
        story += _addressees(report)
    else:
        story.append(Spacer(1, 18))
        story.append(_p(report.kind_title, _style(16, TA_CENTER), bold=True))
        story.append(_p(report.subject, _style(14, TA_CENTER, leading=18), bold=True))
        story.append(_p("-----", _style(14, TA_CENTER, after=6)))
    previous = None
    for block in report.blocks:
        if isinstance(block, Heading):
            story.append(
                _p(block.text, _style(14, TA_JUSTIFY, indent=1 * cm, before=6, after=3), bold=True)
            )
        elif isinstance(block, Paragraph):
            if isinstance(previous, Table):  # a table has no space after it of its own
                story.append(Spacer(1, 8))
            story.append(_p(block.text, body, italic=block.italic))
        elif isinstance(block, Table):
            story += _table(block)
        elif isinstance(block, Chart):
            story.append(_chart(block))
        previous = block
    story += [Spacer(1, 12), _closing(report)]
    doc.build(story)
    return out.getvalue()
